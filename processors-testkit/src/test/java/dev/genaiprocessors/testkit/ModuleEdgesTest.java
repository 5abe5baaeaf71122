package dev.genaiprocessors.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's edges as imports: an emulator is the other side of the protocol and shares no code with the clients it tests. (The pom's enforcer rule keeps the same edges as dependencies.) */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.testkit");

  @Test
  void emulatorsShareNoCodeWithTheClients() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.genaiprocessors.client..",
            "dev.genaiprocessors.gemini..",
            "dev.genaiprocessors.openai..",
            "dev.genaiprocessors.offline..",
            "dev.genaiprocessors.server..")
        .because(
            "an emulator that shares its mapping with the client it tests cannot catch that client's mistakes")
        .check(MAIN_CLASSES);
  }
}
