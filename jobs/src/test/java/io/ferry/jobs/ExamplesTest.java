package io.ferry.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.job.InvalidJobException;
import io.ferry.storage.ObjectStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every ReplicationJob in {@code examples/} (the OME document's scenarios, as written there) is read
 * as Ferry reads a submitted job: what each honoured field becomes, and exactly which fields Ferry
 * reports as not honoured. A new example, or a field Ferry starts or stops honouring, fails this
 * test until its expectation here says so.
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of(System.getProperty("ferry.home", "..")).resolve("examples");
    static final JobKernel KERNEL = new JobKernel(ObjectStores.installed(Map.of()), JobPolicy.UNRESTRICTED);

    record Expectation(Consumer<ValidatedJob> honoured, List<String> notHonoured) {
    }

    static final Map<String, Expectation> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("model-backup-replication", new Expectation(r -> {
            assertThat(r.endpoints().source().parameters()).containsEntry("compartment_id", "ocid1.compartment.oc1..xxxxx")
                    .containsEntry("authentication", "instance_principal");
            assertThat(r.endpoints().destination().parameters()).containsEntry("compartment_id", "ocid1.compartment.oc1..xxxxx")
                    .containsEntry("region", "us-ashburn-1");
            assertThat(r.settings().verifyAfterCopy()).isTrue();
        }, List.of()));
        EXPECTED.put("cross-region-model-replication", new Expectation(r ->
                assertThat(r.endpoints().destination().parameter("storage_tier")).isEqualTo("infrequent_access"), List.of()));
        EXPECTED.put("external-backup-replication", new Expectation(r -> {
            assertThat(r.document().spec().destination().storageUri()).startsWith("s3://");
            assertThat(r.endpoints().destination().parameters()).containsEntry("access_key_id_secret", "aws-credentials");
        }, List.of()));
        EXPECTED.put("pvc-to-object-storage", new Expectation(r -> {
            assertThat(r.endpoints().source().parameter("mount_path")).isEqualTo("/mnt/training-data");
            assertThat(r.endpoints().destination().parameter("storage_tier")).isEqualTo("archive");
        }, List.of()));
        EXPECTED.put("model-distribution-us-west", new Expectation(r ->
                assertThat(r.endpoints().destination().parameter("region")).isEqualTo("us-west-1"), List.of()));
        EXPECTED.put("model-distribution-europe", new Expectation(r ->
                assertThat(r.endpoints().destination().parameter("region")).isEqualTo("eu-frankfurt-1"), List.of()));
        EXPECTED.put("dataset-sync-to-training-region", new Expectation(r ->
                assertThat(r.endpoints().destination().parameter("storage_tier")).isEqualTo("standard"), List.of()));
        EXPECTED.put("legacy-storage-migration", new Expectation(r ->
                assertThat(r.document().spec().source().storageUri()).startsWith("nfs://"),
                List.of("spec.source.parameters.mount_options is not honoured by Ferry's nfs:// backend")));
        EXPECTED.put("large-model-replication", new Expectation(r -> {
            assertThat(r.settings().multipartThreshold()).isEqualTo(100L << 20); // sizes are binary, as rclone reads them
            assertThat(r.settings().chunkSize()).isEqualTo(50L << 20);
        }, List.of("metadata.annotations.ome.io/parallel-streams is not honoured by Ferry",
                "metadata.annotations.ome.io/transfer-optimization is not honoured by Ferry")));
        EXPECTED.put("incremental-dataset-sync", new Expectation(r -> {
            assertThat(r.settings().preserveTimestamps()).isTrue();
            assertThat(r.settings().verifyAfterCopy()).isTrue();
        }, List.of()));
        EXPECTED.put("optimized-replication", new Expectation(r -> {
            assertThat(r.settings().bandwidthLimit()).isEqualTo(125_000_000L);
            assertThat(r.endpoints().source().parameter("connection_pool_size")).isEqualTo("20");
        }, List.of("metadata.annotations.ome.io/parallel-transfers is not honoured by Ferry",
                "metadata.annotations.ome.io/performance-tier is not honoured by Ferry",
                "spec.source.parameters.read_buffer_size is not honoured by Ferry's oci:// backend",
                "spec.destination.parameters.upload_concurrency is not honoured by Ferry's oci:// backend",
                "spec.destination.parameters.write_buffer_size is not honoured by Ferry's oci:// backend")));
        EXPECTED.put("cost-optimized-backup", new Expectation(r ->
                assertThat(r.endpoints().destination().parameter("storage_tier")).isEqualTo("archive"),
                List.of("spec.destination.parameters.compression is not honoured by Ferry's oci:// backend",
                        "spec.destination.parameters.deduplication is not honoured by Ferry's oci:// backend")));
        EXPECTED.put("resilient-replication", new Expectation(r ->
                assertThat(r.settings().maxRetries()).isEqualTo(5),
                List.of("metadata.annotations.ome.io/retry-policy is not honoured by Ferry",
                        "spec.source.parameters.retry_on_error is not honoured by Ferry's oci:// backend",
                        "spec.source.parameters.timeout is not honoured by Ferry's oci:// backend",
                        "spec.destination.parameters.atomic_operations is not honoured by Ferry's oci:// backend",
                        "spec.destination.parameters.verify_integrity is not honoured by Ferry's oci:// backend")));
    }

    /** Refused as written, with the field named. */
    static final Map<String, String> REFUSED = Map.of(
            "07-daily-model-backup.yaml", "spec.destination.storageUri");

    @Test
    void shouldReadEveryExampleAsExpectedAndReportWhatItDoesNotHonour() throws IOException {
        var seen = new ArrayList<String>();
        var report = new StringBuilder();
        for (Path file : exampleFiles()) {
            if (REFUSED.containsKey(file.getFileName().toString())) {
                continue;
            }
            for (String document : JobDocuments.split(Files.readString(file))) {
                ValidatedJob reading = KERNEL.read(document);
                String name = reading.document().metadata().name();
                Expectation expected = EXPECTED.get(name);
                assertThat(expected).as("an expectation for job %s of %s", name, file).isNotNull();
                expected.honoured().accept(reading);
                assertThat(reading.notHonoured()).as("not honoured in %s", file.getFileName())
                        .containsExactlyInAnyOrderElementsOf(expected.notHonoured());
                seen.add(name);
                report.append(file.getFileName()).append(" / ").append(name).append(": ")
                        .append(reading.notHonoured().isEmpty() ? "every field honoured" : String.join("; ", reading.notHonoured()))
                        .append('\n');
            }
        }
        System.out.print(report);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @Test
    void shouldRefuseTheExamplesFerryCannotRunNamingTheField() throws IOException {
        for (var refused : REFUSED.entrySet()) {
            String document = Files.readString(EXAMPLES.resolve(refused.getKey()));
            assertThatThrownBy(() -> KERNEL.read(document))
                    .as(refused.getKey())
                    .isInstanceOf(InvalidJobException.class)
                    .hasMessageContaining(refused.getValue());
        }
    }

    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("examples in %s", EXAMPLES.toAbsolutePath()).isNotEmpty();
            return yaml;
        }
    }
}
