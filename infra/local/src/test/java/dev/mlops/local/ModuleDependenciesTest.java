package dev.mlops.local;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies between the modules point one way (ARCHITECTURE.md): handlers ({@code functions/*}) → adapters
 * ({@code functions/aws}) → core, and none of them knows the local runtime, which hosts them exactly as Lambda
 * does. It lives here because this module's class path holds every one of them.
 */
@AnalyzeClasses(packages = "dev.mlops", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDependenciesTest {

    @ArchTest
    static final ArchRule handlersKnowNoLocalRuntime = noClasses()
            .that().resideInAnyPackage("dev.mlops.functions..", "dev.mlops.aws..", "dev.mlops.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.mlops.local..")
            .because("the same jars run on AWS, where there is no local runtime");

    @ArchTest
    static final ArchRule adaptersKnowNoHandler = noClasses()
            .that().resideInAnyPackage("dev.mlops.aws..", "dev.mlops.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.mlops.functions..")
            .because("dependencies point one way: handlers -> adapters -> core");

    @ArchTest
    static final ArchRule coreKnowsNoAdapter = noClasses()
            .that().resideInAPackage("dev.mlops.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.mlops.aws..")
            .because("the core is written against its ports; the adapters implement them");
}
