package dev.genaiprocessors.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's edges as imports: processors-server never uses a provider, the local engines or the
 * test kit in main code. (The pom's enforcer rule keeps the same edges as dependencies.)
 */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.server");

  @Test
  void serverUsesNoProviderNorTestKit() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.genaiprocessors.gemini..",
            "dev.genaiprocessors.openai..",
            "dev.genaiprocessors.offline..",
            "dev.genaiprocessors.testkit..")
        .because("the server brings users to any pipeline; providers are the application's choice")
        .allowEmptyShould(true)
        .check(MAIN_CLASSES);
  }
}
