package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.ferry.checksum.Checksum;
import io.ferry.schemas.events.AuditCompleted;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkFailed;
import io.ferry.schemas.events.BatchResults;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CommitObject;
import io.ferry.schemas.events.CopyBatch;
import io.ferry.schemas.events.CopyPart;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.events.ScanFailed;
import io.ferry.schemas.job.Condition;
import io.ferry.schemas.job.ConditionStatus;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobProgress;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.StorageEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Every event, as Ferry writes it, satisfies its published JSON Schema; and the schemas do reject bad shapes. */
class EventSchemasTest {
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix("https://ferry.io/schemas/", "classpath:schemas/")));
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final Endpoints ENDPOINTS = new Endpoints(new StorageEndpoint("file:///src/", Map.of()),
            new StorageEndpoint("file:///dst/", Map.of("multipart_chunksize", "8MB")));
    static final Checksum SUM = new Checksum(io.ferry.checksum.ChecksumType.SHA256, "a".repeat(64));

    static JsonSchema schema(String name) {
        return FACTORY.getSchema(SchemaLocation.of("classpath:schemas/" + name + ".schema.json"));
    }

    static void assertValid(String schema, Object event, Class<?> as) throws Exception {
        JsonNode node = Json.MAPPER.readTree(Json.MAPPER.writerFor(as).writeValueAsBytes(event));
        assertThat(schema(schema).validate(node)).as(schema + ": " + node).isEmpty();
    }

    @Test
    void shouldWriteEveryEventInTheShapeItsSchemaPublishes() throws Exception {
        var plan = new CopyPlan(CopyPlan.Strategy.MULTIPART, 8 << 20, 3, "u1");
        assertValid("ObjectChanged", new ObjectChanged("ns/job", "a/b.bin", "p1", ObjectChanged.Change.UPSERT, 20 << 20, "v1",
                T, 1, 0, 3, ENDPOINTS, plan), ObjectChanged.class);
        assertValid("ObjectChanged", new ObjectChanged("ns/job", null, "w1", ObjectChanged.Change.WITHDRAWN, 0, null,
                T, 1, 0, 0, null, CopyPlan.singlePut(0)), ObjectChanged.class);
        assertValid("ChunkTask", new CopyBatch("ns/job", ENDPOINTS, "b1", List.of(new CopyBatch.ObjectVersion("x", "p", "v", 3))),
                ChunkTask.class);
        assertValid("ChunkTask", new CopyPart("ns/job", ENDPOINTS, "a/b.bin", "p1", "v1", 20 << 20, "u1", 2, 16 << 20, 4 << 20),
                ChunkTask.class);
        assertValid("ChunkTask", new CommitObject("ns/job", ENDPOINTS, "a/b.bin", "p1", "v1", 20 << 20, "u1", 8 << 20, 3,
                List.of(SUM, SUM, SUM)), ChunkTask.class);
        assertValid("ChunkResult", new ChunkCopied("ns/job", "k", "p", "v", 0, 0, 3, SUM, "w1"), ChunkResult.class);
        assertValid("ChunkResult", new ChunkFailed("ns/job", "k", "p", "v", 0, ChunkFailed.FailureReason.SOURCE_CHANGED, "m", "w1"),
                ChunkResult.class);
        assertValid("ChunkResult", new ObjectCommitted("ns/job", "k", "p", "v", List.of(SUM), "w1"), ChunkResult.class);
        assertValid("ChunkResult", new ObjectCommitted("ns/job", "k", "p", "v", List.of(SUM), "w1", SUM), ChunkResult.class);
        assertValid("ChunkResult", new BatchResults("ns/job", List.of(new ObjectCommitted("ns/job", "k", "p", "v", List.of(SUM), "w1", SUM),
                new ChunkFailed("ns/job", "k2", "p2", "v", 0, ChunkFailed.FailureReason.SOURCE_GONE, "gone", "w1"))), ChunkResult.class);
        assertValid("ObjectStatus", new ObjectStatus("ns/job", "k", "p", ObjectState.VERIFIED, "v", 3, 1, 0, 1, 3, 1, 3, SUM, null,
                "ok", T, "file:///dst/"), ObjectStatus.class);
        assertValid("ScanEvent", new ScanCompleted("ns/job", 5, 1, T, T, 10, 100, 2, 20), ScanEvent.class);
        assertValid("ScanEvent", new AuditCompleted("ns/job", 5, 1, T, T, 10, 1, 3, 1, 0, 0), ScanEvent.class);
        assertValid("ScanEvent", new ScanFailed("ns/job", 5, 1, T, ScanFailed.Side.SOURCE, "gone"), ScanEvent.class);
        assertValid("ObjectTrigger", new ObjectTrigger("ns/job", "k", 5, 1, "source changed"), ObjectTrigger.class);
        assertValid("JobStatus", new JobStatus("ns/job", JobPhase.Completed, T, T, T, 0, "done",
                List.of(new Condition(ConditionType.Verified, ConditionStatus.TRUE, "ChecksumValidated", "ok", T)), 1,
                JobProgress.NONE), JobStatus.class);
        assertValid("JobEvent", io.ferry.schemas.events.JobEvent.of(io.ferry.schemas.events.JobEvent.COMPLETED, "ns/job", 2, T,
                new io.ferry.schemas.events.JobEvent.Data("ns", "job", 2, "Completed", "done", 3, 3, 0, 30, 30, T,
                        "sha256-sum:" + "0f".repeat(32), null, null)),
                io.ferry.schemas.events.JobEvent.class);
        assertValid("JobEvent", io.ferry.schemas.events.JobEvent.objectFailed("ns/job", "p1", T,
                new io.ferry.schemas.events.JobEvent.Data("ns", "job", 2, null, "copied a but destination has b", 0, 0, 1, 30, 0,
                        null, null, "shards/a.bin", "ChecksumMismatch")), io.ferry.schemas.events.JobEvent.class);
    }

    @Test
    void shouldRejectShapesTheContractForbids() throws Exception {
        JsonNode noPlan = Json.MAPPER.readTree("{\"job\":\"ns/j\",\"objectKey\":\"k\",\"change\":\"UPSERT\",\"size\":1}");
        assertThat(schema("ObjectChanged").validate(noPlan)).isNotEmpty();
        String plan = ",\"planId\":\"p\",\"size\":0,\"generation\":1,\"attempt\":0,\"maxRetries\":0,"
                + "\"plan\":{\"strategy\":\"SINGLE_PUT\",\"chunkSize\":1,\"chunkCount\":1}}";
        JsonNode deleteOfNoObject = Json.MAPPER.readTree("{\"job\":\"ns/j\",\"objectKey\":\"\",\"change\":\"DELETE\"" + plan);
        assertThat(schema("ObjectChanged").validate(deleteOfNoObject)).as("only a withdrawal names no object").isNotEmpty();
        JsonNode withdrawalOfOneObject = Json.MAPPER.readTree("{\"job\":\"ns/j\",\"objectKey\":\"k\",\"change\":\"WITHDRAWN\"" + plan);
        assertThat(schema("ObjectChanged").validate(withdrawalOfOneObject)).as("a withdrawal is of the whole job").isNotEmpty();
        JsonNode badReason = Json.MAPPER.readTree("{\"type\":\"ChunkFailed\",\"job\":\"j\",\"objectKey\":\"k\",\"planId\":\"p\","
                + "\"chunkIndex\":0,\"reason\":\"BAD_LUCK\"}");
        assertThat(schema("ChunkResult").validate(badReason)).isNotEmpty();
        String committed = "{\"type\":\"ObjectCommitted\",\"job\":\"j\",\"objectKey\":\"k\",\"planId\":\"p\","
                + "\"destinationChunks\":[{\"type\":\"SHA256\",\"value\":\"" + "a".repeat(64) + "\"}]}";
        assertThat(schema("ChunkResult").validate(Json.MAPPER.readTree(committed))).as(committed).isEmpty();
        JsonNode emptyBatch = Json.MAPPER.readTree("{\"type\":\"BatchResults\",\"job\":\"j\",\"results\":[]}");
        assertThat(schema("ChunkResult").validate(emptyBatch)).isNotEmpty();
        JsonNode nestedBatch = Json.MAPPER.readTree("{\"type\":\"BatchResults\",\"job\":\"j\",\"results\":["
                + "{\"type\":\"BatchResults\",\"job\":\"j\",\"results\":[" + committed + "]}]}");
        assertThat(schema("ChunkResult").validate(nestedBatch)).as("a batch holds results of objects, not batches").isNotEmpty();
        JsonNode lowerCaseReason = Json.MAPPER.readTree("{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Started\","
                + "\"status\":\"True\",\"reason\":\"two words\",\"lastTransitionTime\":\"2026-11-22T10:00:00Z\"}]}");
        assertThat(schema("JobStatus").validate(lowerCaseReason)).isNotEmpty();
    }

    @Test
    void shouldAcceptTheOmeExampleAgainstTheJobSchema() throws Exception {
        JsonNode job = Json.YAML.readTree(java.nio.file.Files.readString(
                java.nio.file.Path.of("../examples/09-large-model-replication.yaml")));
        assertThat(schema("ReplicationJob").validate(job)).isEmpty();
    }

    @Test
    void shouldRaiseSerializationExceptionForBytesThatAreNotTheEvent() {
        var serde = JsonSerde.of(ObjectChanged.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serde.deserialize("t", "not json".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("ObjectChanged");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonSerde.of(ChunkTask.class).deserialize("t",
                "{\"type\":\"Teleport\"}".getBytes())).isInstanceOf(SerializationException.class);
    }
}
