package dev.genaiprocessors.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's edges as imports: processors-core is the base of every other module and uses none of
 * them. (The pom's enforcer rule keeps the same edge as a dependency.)
 */
class ModuleEdgesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.genaiprocessors.core");

  @Test
  void coreUsesNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.genaiprocessors.core..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.genaiprocessors..")
                .and(not(resideInAPackage("dev.genaiprocessors.core.."))))
        .because("processors-core is the base of every other module")
        .check(MAIN_CLASSES);
  }
}
