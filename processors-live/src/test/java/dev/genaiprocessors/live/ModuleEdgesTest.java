package dev.genaiprocessors.live;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's edges as imports: processors-live builds on processors-core only. Audio and live never use
 * each other, live knows no provider, and it holds no network code. (The pom's enforcer rule keeps the
 * same edges as dependencies.)
 */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.live");

  @Test
  void liveNeverUsesAudioOrOffline() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.live..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.genaiprocessors.audio..", "dev.genaiprocessors.offline..")
        .because("audio and live stay independent, and offline builds on live, not the reverse")
        .check(MAIN_CLASSES);
  }

  @Test
  void liveKnowsNoProviderAndNoNetwork() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.live..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.genaiprocessors.gemini..",
            "dev.genaiprocessors.openai..",
            "dev.genaiprocessors.client..",
            "dev.genaiprocessors.testkit..",
            "io.netty..",
            "reactor.netty..")
        .because("processors-live is the provider-neutral machinery every live provider builds on")
        .check(MAIN_CLASSES);
  }
}
