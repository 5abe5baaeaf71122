package dev.genaiprocessors.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's edges as imports: processors-client is the machinery under the provider modules and knows none of them. (The pom's enforcer rule keeps the same edges as dependencies.) */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.client");

  @Test
  void clientKnowsNoProviderNoLiveMachineryAndNoTestKit() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.client..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.genaiprocessors.gemini..",
            "dev.genaiprocessors.openai..",
            "dev.genaiprocessors.live..",
            "dev.genaiprocessors.audio..",
            "dev.genaiprocessors.offline..",
            "dev.genaiprocessors.testkit..")
        .because("the provider modules build on processors-client, never the reverse")
        .check(MAIN_CLASSES);
  }
}
