package io.ferry.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.Json;
import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobMode;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.schemas.job.Sizes;
import io.ferry.storage.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobDocumentsTest {
    static final JobKernel KERNEL = new JobKernel(ObjectStores.installed(Map.of()), JobPolicy.UNRESTRICTED);

    static final String OME_LARGE_MODEL = """
            apiVersion: ome.io/v1beta1
            kind: ReplicationJob
            metadata:
              name: large-model-replication
              annotations:
                ome.io/transfer-optimization: large-files
                ome.io/parallel-streams: "8"
                ome.io/chunk-size: "100MB"
            spec:
              source:
                storageUri: oci://models/large-models/175b-model/
                parameters:
                  region: us-phoenix-1
                  multipart_threshold: "100MB"
                  multipart_chunksize: "50MB"
                nodeSelector:
                  zone: us-phoenix-1a
              destination:
                storageUri: oci://distributed-models/large-models/175b-model/
                parameters:
                  region: us-ashburn-1
                  multipart_threshold: "100MB"
                  multipart_chunksize: "50MB"
              compartmentID: ocid1.compartment.oc1..xxxxx
              futureField: {nested: [1, 2]}
            """;

    @Test
    void shouldAcceptTheOmeDocumentUnchangedAndReadItsSettings() {
        ReplicationJob job = JobDocuments.parse(OME_LARGE_MODEL);
        assertThat(job.key()).isEqualTo("default/large-model-replication");
        assertThat(job.spec().compartmentID()).isEqualTo("ocid1.compartment.oc1..xxxxx");
        JobSettings s = JobSettings.of(job);
        assertThat(s.mode()).isEqualTo(JobMode.ONCE);
        assertThat(s.chunkSize()).isEqualTo(50L << 20);
        assertThat(s.multipartThreshold()).isEqualTo(100L << 20);
        assertThat(s.verifyAfterCopy()).isTrue();
    }

    @Test
    void shouldPreserveUnknownFieldsThroughARoundTrip() throws Exception {
        ReplicationJob job = JobDocuments.parse(OME_LARGE_MODEL);
        String json = Json.MAPPER.writeValueAsString(job);
        assertThat(json).contains("\"futureField\":{\"nested\":[1,2]}").contains("\"nodeSelector\":{\"zone\":\"us-phoenix-1a\"}");
        assertThat(JobDocuments.parse(json)).isEqualTo(job);
    }

    @Test
    void shouldNameTheMissingDestination() {
        assertThatThrownBy(() -> JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  source: {storageUri: file:///a/}
                """)).isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field)
                        .containsExactly("spec.destination"));
    }

    @Test
    void shouldNameEveryBadFieldAtOnce() {
        assertThatThrownBy(() -> JobDocuments.parse("""
                apiVersion: ome.io/v1alpha1
                metadata: {name: Bad_Name}
                spec:
                  source: {storageUri: "no-scheme/path"}
                  destination: {}
                """)).isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("apiVersion", "metadata.name", "spec.source.storageUri",
                                "spec.destination.storageUri"));
    }

    @Test
    void shouldReportWhereMalformedYamlBreaks() {
        assertThatThrownBy(() -> JobDocuments.parse("metadata:\n  name: [unclosed\nspec: {"))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageStartingWith("document: malformed YAML/JSON at line");
    }

    @Test
    void shouldNameAWronglyTypedField() {
        assertThatThrownBy(() -> JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                  include: {not: a-list}
                """)).isInstanceOf(InvalidJobException.class).hasMessageContaining("include");
    }

    @Test
    void shouldNameBadSettings() {
        assertThatThrownBy(() -> KERNEL.read("""
                metadata:
                  name: j
                  annotations: {ome.io/max-retries: "many"}
                spec:
                  mode: sometimes
                  scanInterval: soon
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/, parameters: {multipart_chunksize: 12XB}}
                """)).isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("spec.mode", "spec.scanInterval", "metadata.annotations.ome.io/max-retries",
                                "spec.destination.parameters.multipart_chunksize"));
    }

    @Test
    void shouldReadADeletePolicyAndItsLimitAndRefuseAnyOther() {
        JobSettings kept = JobSettings.of(JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                """));
        assertThat(kept.propagateDeletes()).isFalse();
        assertThat(kept.maxDelete()).isEqualTo(DeleteLimit.DEFAULT);
        JobSettings propagated = JobSettings.of(JobDocuments.parse("""
                metadata: {name: j, annotations: {ome.io/max-delete: "10%"}}
                spec:
                  deletePolicy: Propagate
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                """));
        assertThat(propagated.propagateDeletes()).isTrue();
        assertThat(propagated.maxDelete().allowed(1000)).isEqualTo(100);
        assertThat(propagated.maxDelete().allowed(9)).isZero();
        assertThat(DeleteLimit.parse("25").allowed(10)).isEqualTo(25);
        assertThat(DeleteLimit.parse("0").allowed(10)).isZero();
        assertThat(DeleteLimit.DEFAULT.allowed(5)).isEqualTo(2);
        assertThatThrownBy(() -> KERNEL.read("""
                metadata: {name: j, annotations: {ome.io/max-delete: "lots"}}
                spec:
                  deletePolicy: mirror
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                """)).isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("spec.deletePolicy", "metadata.annotations.ome.io/max-delete"));
        for (String bad : new String[] {"-1", "101%", "-5%", "1.5"}) {
            assertThatThrownBy(() -> DeleteLimit.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldReadAScheduleAsOmeWritesItAndNeverIgnoreOne() {
        JobSettings s = JobSettings.of(JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  mode: scheduled
                  schedule: "0 2 * * *"
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                """));
        assertThat(s.mode()).isEqualTo(JobMode.SCHEDULED);
        assertThat(Schedules.next(s.schedule(), java.time.Instant.parse("2026-12-02T02:00:00Z")))
                .isEqualTo(java.time.Instant.parse("2026-12-03T02:00:00Z"));
        assertThat(Schedules.next("*/15 * * * 1-5", java.time.Instant.parse("2026-12-05T10:07:00Z")))
                .as("a Saturday: Monday's first quarter").isEqualTo(java.time.Instant.parse("2026-12-07T00:00:00Z"));
        for (String bad : List.of("", "0 2 * *", "61 * * * *", "0 2 * * * *", "every day", "0 2 ? * MON#9")) {
            assertThatThrownBy(() -> JobSettings.of(JobDocuments.parse("""
                    metadata: {name: j}
                    spec:
                      mode: scheduled
                      schedule: "%s"
                      source: {storageUri: file:///a/}
                      destination: {storageUri: file:///b/}
                    """.formatted(bad)))).as(bad).isInstanceOf(InvalidJobException.class)
                    .satisfies(e -> assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field)
                            .containsExactly("spec.schedule"));
        }
        assertThatThrownBy(() -> JobSettings.of(JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  mode: scheduled
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                """))).hasMessageContaining("spec.schedule").hasMessageContaining("required");
        assertThatThrownBy(() -> JobSettings.of(JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  schedule: "0 2 * * *"
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                """))).as("a schedule on a once job is a mistake, not a no-op")
                .hasMessageContaining("spec.schedule").hasMessageContaining("only with spec.mode: scheduled");
    }

    @Test
    void shouldReadContinuousModeAndFilters() {
        JobSettings s = JobSettings.of(JobDocuments.parse("""
                metadata: {name: j, namespace: ml}
                spec:
                  mode: continuous
                  scanInterval: 1m30s
                  include: ["*.safetensors"]
                  exclude: ["tmp/**"]
                  source: {storageUri: file:///a/}
                  destination: {storageUri: file:///b/}
                """));
        assertThat(s.mode()).isEqualTo(JobMode.CONTINUOUS);
        assertThat(s.scanInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.include()).containsExactly("*.safetensors");
    }

    @Test
    void shouldParseSizesInBinaryUnitsLikeTheAwsCli() {
        assertThat(Map.of("8388608", Sizes.parse("8388608"), "50MB", Sizes.parse("50MB"), "64MiB", Sizes.parse("64MiB"),
                "1G", Sizes.parse("1G"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "8388608", 8388608L, "50MB", 50L << 20, "64MiB", 64L << 20, "1G", 1L << 30));
        assertThat(Sizes.format(1288490189L)).isEqualTo("1.2GB");
    }

    @Test
    void shouldSplitAFileOfSeveralJobsAsKubectlWouldTakeIt() {
        var documents = JobDocuments.split("""
                # two jobs
                metadata: {name: a}
                spec: {source: {storageUri: file:///a/}, destination: {storageUri: file:///b/}}
                ---
                ---
                metadata: {name: b}
                spec: {source: {storageUri: file:///a/}, destination: {storageUri: file:///c/}}
                """);
        assertThat(documents).hasSize(2);
        assertThat(documents.stream().map(d -> JobDocuments.parse(d).metadata().name())).containsExactly("a", "b");
        assertThatThrownBy(() -> JobDocuments.split("# nothing\n")).hasMessageContaining("document: is empty");
    }

    @Test
    void shouldGiveTheJobsCompartmentToItsOciSidesThatNameNone() {
        var job = KERNEL.read("""
                metadata: {name: j}
                spec:
                  compartmentID: ocid1.compartment.oc1..job
                  source: {storageUri: oci://ns/a/, parameters: {compartment_id: ocid1.compartment.oc1..own}}
                  destination: {storageUri: oci://ns/b/}
                """);
        assertThat(job.endpoints().source().parameters()).containsEntry("compartment_id", "ocid1.compartment.oc1..own");
        assertThat(job.endpoints().destination().parameters()).containsEntry("compartment_id", "ocid1.compartment.oc1..job");
        var toFile = KERNEL.read("""
                metadata: {name: j}
                spec:
                  compartmentID: ocid1.compartment.oc1..job
                  source: {storageUri: oci://ns/a/}
                  destination: {storageUri: file:///b/}
                """);
        assertThat(toFile.endpoints().destination().parameters()).doesNotContainKey("compartment_id");
    }

    @Test
    void shouldRefuseWhatFerryWillNotDoRatherThanIgnoreIt() {
        assertThatThrownBy(() -> KERNEL.read("""
                metadata:
                  name: j
                  annotations: {ome.io/checksum-verification: disabled, ome.io/replication-mode: full}
                spec:
                  source: {storageUri: file:///a/, parameters: {sync_mode: mirror}}
                  destination: {storageUri: file:///b/}
                """)).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("metadata.annotations.ome.io/checksum-verification: Ferry never reports an object synced")
                .hasMessageContaining("metadata.annotations.ome.io/replication-mode: only incremental")
                .hasMessageContaining("spec.source.parameters.sync_mode: only incremental");
    }
}
