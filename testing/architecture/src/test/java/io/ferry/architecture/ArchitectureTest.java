package io.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules of ARCHITECTURE.md, over the compiled classes of every shipped module. */
class ArchitectureTest {
    static JavaClasses shipped;

    @BeforeAll
    static void importClasses() {
        shipped = Modules.classes(Modules.SHIPPED);
        // A rule over classes that were never imported would pass on nothing.
        for (String pkg : List.of("io.ferry.scanner", "io.ferry.transfer", "io.ferry.verifier", "io.ferry.jobs", "io.ferry.auth",
                "io.ferry.schemas", "io.ferry.checksum", "io.ferry.storage", "io.ferry.storage.s3", "io.ferry.cli")) {
            assertThat(shipped.containPackage(pkg)).as("classes of %s imported", pkg).isTrue();
        }
    }

    @Test
    void servicesMeetOnlyOnTopics() {
        slices().matching("io.ferry.(scanner|transfer|verifier|cli)..").should().notDependOnEachOther()
                .because("services talk through Kafka topics only; the CLI through their HTTP APIs")
                .check(shipped);
    }

    @Test
    void servicesAndTheJobKernelSeeStoresOnlyThroughTheSpi() {
        List<String> above = new ArrayList<>(List.of(Modules.SERVICES));
        above.addAll(List.of("io.ferry.jobs..", "io.ferry.cli..", "io.ferry.schemas..", "io.ferry.checksum.."));
        noClasses().that().resideInAnyPackage(above.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(Modules.CONCRETE_STORES)
                .because("a backend is chosen by URI scheme at run time (ObjectStores), never compiled against")
                .check(shipped);
    }

    @Test
    void storageBackendsDoNotKnowEachOther() {
        slices().matching("io.ferry.storage.(file|s3|oci)..").should().notDependOnEachOther().check(shipped);
    }

    @Test
    void contractsDependOnNoStorageJobKernelOrService() {
        List<String> forbidden = new ArrayList<>(List.of(Modules.SERVICES));
        forbidden.addAll(List.of("io.ferry.storage..", "io.ferry.jobs..", "io.ferry.cli..", "io.ferry.kafka.broker.."));
        noClasses().that().resideInAPackage("io.ferry.schemas..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("schemas/ holds the contracts every service shares; the checksum type is its only Ferry dependency")
                .check(shipped);
    }

    @Test
    void storageDependsOnNoContractJobKernelOrService() {
        List<String> forbidden = new ArrayList<>(List.of(Modules.SERVICES));
        forbidden.addAll(List.of("io.ferry.schemas..", "io.ferry.jobs..", "io.ferry.cli..", "io.ferry.kafka.broker.."));
        noClasses().that().resideInAPackage("io.ferry.storage..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("storage is below the contracts: a store knows objects, not jobs or topics")
                .check(shipped);
    }

    @Test
    void theChecksumTypeIsALeaf() {
        noClasses().that().resideInAPackage("io.ferry.checksum..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.ferry.checksum..", "java..")
                .check(shipped);
    }

    @Test
    void theJobKernelKnowsNoServiceOrClient() {
        List<String> forbidden = new ArrayList<>(List.of(Modules.SERVICES));
        forbidden.addAll(List.of("io.ferry.cli..", "io.ferry.kafka.broker.."));
        noClasses().that().resideInAPackage("io.ferry.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .check(shipped);
    }

    @Test
    void theAuthorizationRulesStandAlone() {
        noClasses().that().resideInAPackage("io.ferry.auth..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.ferry.auth..", "java..", "com.fasterxml.jackson..")
                .because("who may do what is decided in one place every service and the CLI share, knowing nothing of them")
                .check(shipped);
    }

    @Test
    void servicesDoNotStartBrokers() {
        noClasses().that().resideInAnyPackage(Modules.SERVICES)
                .should().dependOnClassesThat().resideInAPackage("io.ferry.kafka.broker..")
                .because("the broker launcher is local mode's, run by the ferry command")
                .check(shipped);
    }

    @Test
    void nothingShippedUsesTestServersTestkitsOrTheBenchmark() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(Modules.TESTING_PACKAGES)
                .because("test doubles and tools stay under testing/ and bench/")
                .check(shipped);
    }
}
