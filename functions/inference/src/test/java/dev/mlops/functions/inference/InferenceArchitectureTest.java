package dev.mlops.functions.inference;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The inference function knows no training: nothing its handler reaches, however indirectly (the core's
 * serving, model and registry records, the adapters it builds), leads into the core's {@code train} package.
 * It lives here because only this module's class path is the inference function's: the function's classes, the
 * core and the adapters as the jar ships them.
 */
@AnalyzeClasses(packages = "dev.mlops", importOptions = ImportOption.DoNotIncludeTests.class)
class InferenceArchitectureTest {

    @ArchTest
    static final ArchRule inferenceKnowsNoTraining = noClasses()
            .that().resideInAPackage("dev.mlops.functions.inference..")
            .should().transitivelyDependOnClassesThat().resideInAPackage("dev.mlops.core.train..")
            .because("serving loads, checks and runs models; fitting them is the training function's job");
}
