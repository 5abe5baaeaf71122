package dev.genaiprocessors.offline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's edges as imports. processors-offline is for local engines and must not use the network
 * stack. Today two cloud engines (GeminiSpeechRecognizer, GeminiSpeechSynthesizer) still live here and
 * use processors-live's GeminiModel; the rules below hold for what is true today and keep every other
 * class off processors-live. When those engines move to processors-gemini, replace
 * onlyTheGeminiEnginesUseProcessorsLive with "no class depends on dev.genaiprocessors.live.." (and
 * tighten the pom's enforcer rule as its comment says).
 */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.genaiprocessors.offline");

  @Test
  void offlineUsesNoNetworkStackDirectly() {
    noClasses().that().resideInAPackage("dev.genaiprocessors.offline..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "reactor.netty..")
        .because("processors-offline runs local engines with no network")
        .check(MAIN_CLASSES);
  }

  @Test
  void onlyTheGeminiEnginesUseProcessorsLive() {
    noClasses().that().resideInAPackage("dev.genaiprocessors.offline..")
        .and().haveSimpleNameNotStartingWith("GeminiSpeech")
        .should().dependOnClassesThat().resideInAPackage("dev.genaiprocessors.live..")
        .because("only the two cloud speech engines, which move to processors-gemini, may use live")
        .check(MAIN_CLASSES);
  }

  @Test
  void offlineNeverUsesLiveInternals() {
    noClasses().that().resideInAPackage("dev.genaiprocessors.offline..")
        .should().dependOnClassesThat().resideInAPackage("dev.genaiprocessors.live.internal..")
        .because("live.internal is not API")
        .check(MAIN_CLASSES);
  }
}
