package dev.genaiprocessors.offline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's edges as imports: processors-offline runs local engines only. It uses no network stack and
 * no cloud client (the pom's enforcer rule keeps the same edges as dependencies, transitive ones included).
 */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.offline");

  @Test
  void offlineUsesNoNetworkStack() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.offline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "reactor.netty..", "java.net.http..")
        .because("processors-offline runs local engines with no network")
        .check(MAIN_CLASSES);
  }

  @Test
  void offlineUsesNoCloudClientNorTestKit() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.offline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.genaiprocessors.client..",
            "dev.genaiprocessors.gemini..",
            "dev.genaiprocessors.openai..",
            "dev.genaiprocessors.testkit..")
        .because("processors-offline is local only: cloud engines live in their provider's module")
        .check(MAIN_CLASSES);
  }
}
