package dev.pdsim.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the README's layout section, checked on the compiled classes with
 * ArchUnit: no package cycle (each package its own slice, so {@code scenario} and
 * {@code scenario.yaml} count apart), and data flowing one way, scenario to cluster to serving to
 * report, with nothing downstream reaching back upstream.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pdsim");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.pdsim.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void dependenciesPointUpstreamOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("engine").definedBy("dev.pdsim.engine..")
                .layer("diag").definedBy("dev.pdsim.diag..")
                .layer("model").definedBy("dev.pdsim.model..")
                .layer("scenario").definedBy("dev.pdsim.scenario..")
                .layer("cluster").definedBy("dev.pdsim.cluster..")
                .layer("cost").definedBy("dev.pdsim.cost..")
                .layer("metadata").definedBy("dev.pdsim.metadata..")
                .layer("workload").definedBy("dev.pdsim.workload..")
                .layer("metrics").definedBy("dev.pdsim.metrics..")
                .layer("serving").definedBy("dev.pdsim.serving..")
                .layer("experiment").definedBy("dev.pdsim.experiment..")
                .layer("report").definedBy("dev.pdsim.report..")
                .layer("cli").definedBy("dev.pdsim.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("experiment").mayOnlyBeAccessedByLayers("report", "cli")
                .whereLayer("serving").mayOnlyBeAccessedByLayers("experiment", "report", "cli")
                .whereLayer("cost").mayOnlyBeAccessedByLayers("serving", "experiment", "report", "cli")
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("cost", "serving", "experiment", "report", "cli")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("workload", "serving", "experiment", "report", "cli")
                .check(classes);
    }

    @Test
    void theEngineKnowsNothingAboutServing() {
        noClasses().that().resideInAPackage("dev.pdsim.engine..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.pdsim.engine..", "java..",
                        "org.apache.commons.math3..")
                .check(classes);
    }

    @Test
    void diagnosticsDependOnNoOtherPackage() {
        noClasses().that().resideInAPackage("dev.pdsim.diag..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.pdsim.diag..", "java..", "org.apache.commons.text..")
                .check(classes);
    }
}
