package io.ferry.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Ferry's modules as ARCHITECTURE.md names them, and their compiled main classes. */
final class Modules {
    static final Path HOME = Path.of(System.getProperty("ferry.home", "../..")).toAbsolutePath().normalize();

    /** What ships: the ferry command, the services and everything they are built from. */
    static final List<String> SHIPPED = List.of("checksums", "schemas", "storage/storage-api", "storage/storage-file",
            "storage/storage-s3", "storage/storage-oci", "jobs", "auth", "kafka-broker", "scanner-service", "transfer-service",
            "verifier-service", "cli");

    /** What only tests and the benchmark use. */
    static final List<String> TESTING = List.of("testing/testkit", "testing/storage-testkit", "testing/s3-server",
            "testing/oci-server", "bench");

    /** The packages of the modules that never ship. */
    static final String[] TESTING_PACKAGES = {"io.ferry.testing..", "io.ferry.storage.testkit..", "io.ferry.s3.server..",
        "io.ferry.oci.server..", "io.ferry.bench.."};

    /** The packages of the concrete stores, which only the storage SPI may reach. */
    static final String[] CONCRETE_STORES = {"io.ferry.storage.file..", "io.ferry.storage.s3..", "io.ferry.storage.oci.."};

    static final String[] SERVICES = {"io.ferry.scanner..", "io.ferry.transfer..", "io.ferry.verifier.."};

    private Modules() {
    }

    /** The compiled main classes of the given modules; each must have been built. */
    static JavaClasses classes(List<String> modules) {
        Path[] dirs = modules.stream().map(m -> HOME.resolve(m).resolve("target/classes")).toArray(Path[]::new);
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(dir + " is missing: build every module first (./mvnw verify builds this one last)");
            }
        }
        return new ClassFileImporter().importPaths(dirs);
    }
}
