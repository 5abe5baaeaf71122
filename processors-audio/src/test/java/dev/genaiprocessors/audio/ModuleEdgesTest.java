package dev.genaiprocessors.audio;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's edges as imports: processors-audio builds on processors-core only, and audio and live
 * never use each other. (The pom's enforcer rule keeps the same edges as dependencies.)
 */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.audio");

  @Test
  void audioNeverUsesLiveOrOffline() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.audio..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.genaiprocessors.live..",
            "dev.genaiprocessors.offline..",
            "dev.genaiprocessors.client..",
            "dev.genaiprocessors.gemini..",
            "dev.genaiprocessors.openai..",
            "dev.genaiprocessors.testkit..")
        .because(
            "audio and live stay independent, and every module above builds on audio, not the reverse")
        .check(MAIN_CLASSES);
  }

  @Test
  void audioUsesNoNetworkStack() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.audio..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "reactor.netty..")
        .because("audio runs locally; network clients live in their own modules")
        .check(MAIN_CLASSES);
  }
}
