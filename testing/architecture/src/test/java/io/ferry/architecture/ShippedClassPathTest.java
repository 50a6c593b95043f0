package io.ferry.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the packaged products would load: the jars of each service's Quarkus application and of the
 * {@code ferry} command's runtime class path hold no test server, testkit, benchmark or test framework.
 */
class ShippedClassPathTest {
    static final List<String> NEVER_SHIPPED = List.of("ferry-s3-server", "ferry-oci-server", "ferry-bench",
            "ferry-testkit", "ferry-storage-testkit", "ferry-architecture-tests", "ferry-deployment-tests", "s3proxy", "testcontainers", "junit",
            "assertj", "quarkus-junit", "archunit");

    @Test
    void theServicesShipNoTestServerTestkitOrBenchmark() throws IOException {
        for (String service : List.of("scanner-service", "transfer-service", "verifier-service")) {
            assertClean(Modules.HOME.resolve(service).resolve("target/quarkus-app/lib/main"));
        }
    }

    @Test
    void theFerryCommandsRuntimeClassPathHoldsNoTestServerTestkitOrBenchmark() throws IOException {
        assertClean(Modules.HOME.resolve("cli/target/lib"));
        assertThat(Files.readString(Modules.HOME.resolve("ferry"))).as("the ferry script's class path")
                .contains("$home/cli/target/classes:$home/cli/target/lib/*")
                .doesNotContain("bench/target").doesNotContain("testing/");
    }

    private static void assertClean(Path lib) throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
        assertThat(jars).as("jars in %s", lib).isNotEmpty()
                .anyMatch(n -> n.contains("kafka-clients"))
                .noneMatch(n -> NEVER_SHIPPED.stream().anyMatch(n::contains));
    }
}
