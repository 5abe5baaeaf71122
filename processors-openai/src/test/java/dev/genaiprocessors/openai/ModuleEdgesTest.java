package dev.genaiprocessors.openai;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's edges as imports: processors-openai never uses another provider, the local engines or the test kit. (The pom's enforcer rule keeps the same edges as dependencies.) */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.openai");

  @Test
  void openAiUsesNoOtherProviderNorTestKit() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.openai..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.genaiprocessors.gemini..",
            "dev.genaiprocessors.offline..",
            "dev.genaiprocessors.testkit..")
        .because("a provider module builds on core, audio, live and client only")
        .check(MAIN_CLASSES);
  }
}
