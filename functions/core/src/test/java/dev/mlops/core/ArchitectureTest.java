package dev.mlops.core;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core's dependency rules (ARCHITECTURE.md, "Modules and folders"): its packages run one way, from the
 * ground up, with no cycle between them, and nothing in it knows AWS. A class that reaches up a floor fails
 * the build here, naming the class and the dependency.
 *
 * <pre>
 *   services   ingest  search  registry  serving  monitoring  batch
 *   ports      ObjectStore, ModelRegistry, RunLog, ...
 *   payloads   domain (records), pipeline (what the state machine passes)
 *   train      fitting, evaluation, the time guard
 *   drift      the statistics of the drift check
 *   model      artifacts, signature, prediction; model families and task types
 *   data       CSV, schema, validation, profiles, the row-hash split
 *   root       Names, Json, Layout
 *   errors     the stable error names
 * </pre>
 */
@AnalyzeClasses(packages = "dev.mlops.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String CORE = "dev.mlops.core";

    /** Each floor may use the floors below it, never one above (classes of one floor use each other freely). */
    @ArchTest
    static final ArchRule packagesRunOneWay = Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("errors").definedBy(CORE + ".errors..")
            .layer("root").definedBy(CORE)
            .layer("data").definedBy(CORE + ".data..")
            .layer("model").definedBy(CORE + ".model..")
            .layer("drift").definedBy(CORE + ".drift..")
            .layer("train").definedBy(CORE + ".train..")
            .layer("payloads").definedBy(CORE + ".pipeline..", CORE + ".domain..")
            .layer("ports").definedBy(CORE + ".ports..")
            .layer("services").definedBy(CORE + ".ingest..", CORE + ".search..", CORE + ".registry..",
                    CORE + ".serving..", CORE + ".monitoring..", CORE + ".batch..")
            .whereLayer("services").mayNotBeAccessedByAnyLayer()
            .whereLayer("ports").mayOnlyBeAccessedByLayers("services")
            .whereLayer("payloads").mayOnlyBeAccessedByLayers("ports", "services")
            .whereLayer("train").mayOnlyBeAccessedByLayers("payloads", "ports", "services")
            .whereLayer("drift").mayOnlyBeAccessedByLayers("train", "payloads", "ports", "services")
            .whereLayer("model").mayOnlyBeAccessedByLayers("drift", "train", "payloads", "ports", "services")
            .whereLayer("data").mayOnlyBeAccessedByLayers("model", "drift", "train", "payloads", "ports",
                    "services")
            .whereLayer("root").mayOnlyBeAccessedByLayers("data", "model", "drift", "train", "payloads", "ports",
                    "services")
            .because("the core's packages run one way, from the ground up (ARCHITECTURE.md)");

    /** No two packages of the core need each other, however indirectly. */
    @ArchTest
    static final ArchRule noCycleBetweenPackages = slices().matching(CORE + ".(*)..").should().beFreeOfCycles();

    /** The core is pure Java: S3, DynamoDB, Lambda and friends are the adapters' and the handlers' business. */
    @ArchTest
    static final ArchRule coreKnowsNoAws = noClasses().that().resideInAPackage(CORE + "..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
            .because("nothing in core knows about Lambda, S3 or DynamoDB (ARCHITECTURE.md)");
}
