package dev.aggregator;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Dependencies point one way: the wiring at the top (dev.aggregator), then the REST API and operations,
 * then the flows (stock, order intake, delivery), then the vendor registry, then shared infrastructure
 * (config, support). The demo vendors sit beside the flows and use only infrastructure.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.aggregator");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.aggregator.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void layersPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Wiring").definedBy("dev.aggregator")
                .layer("Api").definedBy("dev.aggregator.api..")
                .layer("Ops").definedBy("dev.aggregator.ops..")
                .layer("Flows").definedBy("dev.aggregator.stock..", "dev.aggregator.order..", "dev.aggregator.delivery..")
                .layer("Events").definedBy("dev.aggregator.webhook..")
                .layer("Demo").definedBy("dev.aggregator.demo..")
                .layer("Vendor").definedBy("dev.aggregator.vendor..")
                .layer("Infrastructure").definedBy("dev.aggregator.config..", "dev.aggregator.support..")
                .whereLayer("Wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Ops").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Flows").mayOnlyBeAccessedByLayers("Wiring", "Ops")
                .whereLayer("Events").mayOnlyBeAccessedByLayers("Wiring", "Ops", "Flows")
                .whereLayer("Demo").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Vendor").mayOnlyBeAccessedByLayers("Wiring", "Ops", "Flows")
                .check(CLASSES);
    }
}
