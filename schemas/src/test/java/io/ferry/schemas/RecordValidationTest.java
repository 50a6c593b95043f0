package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CommitObject;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.job.JobStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** A record with a required field missing is a bad record when it is read, named as such, not a crash later. */
class RecordValidationTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseRecordsWithoutTheirRequiredFieldsNamingTheField() {
        Map<Class<?>, Map.Entry<String, String>> cases = Map.of(
                ChunkTask.class, Map.entry("{\"type\":\"CopyPart\",\"job\":\"ns/j\",\"objectKey\":null}", "endpoints is required"),
                ChunkResult.class, Map.entry("{\"type\":\"ChunkFailed\",\"job\":\"ns/j\",\"objectKey\":\"a\",\"planId\":\"p\"}",
                        "reason is required"),
                ObjectChanged.class, Map.entry("{\"job\":\"ns/j\",\"objectKey\":\"a\",\"change\":\"UPSERT\"}", "planId is required"),
                ObjectStatus.class, Map.entry("{\"job\":\"ns/j\",\"objectKey\":\"a\"}", "state is required"),
                ObjectTrigger.class, Map.entry("{\"objectKey\":\"a\"}", "job is required"),
                ScanEvent.class, Map.entry("{\"type\":\"ScanFailed\",\"job\":\"ns/j\"}", "side is required"),
                JobStatus.class, Map.entry("{\"job\":\"ns/j\"}", "phase is required"));
        cases.forEach((type, c) -> assertThatThrownBy(() -> JsonSerde.of(type).deserialize("t", utf8(c.getKey())))
                .as(type.getSimpleName()).isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a valid " + type.getSimpleName()).hasMessageContaining(c.getValue()));
    }

    @Test
    void shouldRefuseABatchOfResultsThatAreNotAllOfItsJobNamingTheResult() {
        String committed = "{\"type\":\"ObjectCommitted\",\"job\":\"%s\",\"objectKey\":\"k\",\"planId\":\"p\","
                + "\"destinationChunks\":[{\"type\":\"SHA256\",\"value\":\"" + "a".repeat(64) + "\"}]}";
        var results = JsonSerde.of(ChunkResult.class);
        String batch = "{\"type\":\"BatchResults\",\"job\":\"ns/j\",\"results\":[%s]}";
        assertThat(results.deserialize("t", utf8(batch.formatted(committed.formatted("ns/j") + "," + committed.formatted("ns/j"))))
                .objectResults()).hasSize(2);
        assertThatThrownBy(() -> results.deserialize("t", utf8(batch.formatted(committed.formatted("ns/j") + ","
                + committed.formatted("ns/other"))))).isInstanceOf(SerializationException.class)
                .hasMessageContaining("results[1].job is ns/other");
        assertThatThrownBy(() -> results.deserialize("t", utf8(batch.formatted(committed.formatted("ns/j") + ",null"))))
                .isInstanceOf(SerializationException.class).hasMessageContaining("results[1] is required");
        assertThatThrownBy(() -> results.deserialize("t", utf8(batch.formatted("")))).isInstanceOf(SerializationException.class)
                .hasMessageContaining("results must not be empty");
        assertThatThrownBy(() -> results.deserialize("t", utf8(batch.formatted(batch.formatted(committed.formatted("ns/j"))))))
                .as("a batch of batches").isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldReadACommitTaskWithOneSentChecksumPerChunkOrNoneAndRefuseAnyOtherNamingTheField() {
        String sum = "{\"type\":\"SHA256\",\"value\":\"" + "a".repeat(64) + "\"}";
        String commit = "{\"type\":\"CommitObject\",\"job\":\"ns/j\",\"endpoints\":{\"source\":{\"storageUri\":\"file:///s/\"},"
                + "\"destination\":{\"storageUri\":\"file:///d/\"}},\"objectKey\":\"k\",\"planId\":\"p\",\"version\":\"v\","
                + "\"size\":20,\"uploadId\":\"u\",\"chunkSize\":10,\"chunkCount\":2%s}";
        var tasks = JsonSerde.of(ChunkTask.class);
        assertThat(((CommitObject) tasks.deserialize("t", utf8(commit.formatted("")))).sentChunks()).as("a task from before").isEmpty();
        assertThat(((CommitObject) tasks.deserialize("t", utf8(commit.formatted(",\"sentChunks\":[" + sum + "," + sum + "]"))))
                .sentChunks()).hasSize(2);
        assertThatThrownBy(() -> tasks.deserialize("t", utf8(commit.formatted(",\"sentChunks\":[" + sum + "]"))))
                .isInstanceOf(SerializationException.class).hasMessageContaining("sentChunks has 1 checksums, not chunkCount 2");
        assertThatThrownBy(() -> tasks.deserialize("t", utf8(commit.formatted(",\"sentChunks\":[" + sum + ",null]"))))
                .isInstanceOf(SerializationException.class).hasMessageContaining("sentChunks[1] is required");
        assertThatThrownBy(() -> tasks.deserialize("t", utf8(commit.formatted(",\"sentChunks\":[" + sum + ","
                + sum.replace("a".repeat(64), "../../etc/passwd") + "]")))).isInstanceOf(SerializationException.class)
                .hasMessageContaining("value is no SHA-256");
    }

    @Test
    void shouldRefuseJunkOfEveryShape() {
        for (String junk : new String[] {"{}", "null", "[1,2]", "\"text\"", "{\"type\":\"NoSuchThing\"}", "\u0000\u00ff{"}) {
            assertThatThrownBy(() -> JsonSerde.of(ChunkTask.class).deserialize("t", utf8(junk))).as(junk)
                    .isInstanceOf(SerializationException.class);
        }
        assertThat(JsonSerde.of(ChunkTask.class).deserialize("t", null)).as("a tombstone").isNull();
    }

    @Test
    void shouldCheckEveryRecordAsStrictlyWhenPassingItsBytesOn() {
        var checking = JsonSerde.of(ObjectStatus.class).checking();
        byte[] status = utf8("{\"job\":\"ns/j\",\"objectKey\":\"a\",\"state\":\"VERIFIED\"}");
        assertThat(checking.deserialize("t", status)).isSameAs(status);
        assertThat(checking.deserialize("t", null)).as("a tombstone").isNull();
        for (String junk : new String[] {"{}", "null", "garbage", "{\"job\":\"ns/j\",\"objectKey\":\"a\"}"}) {
            assertThatThrownBy(() -> checking.deserialize("t", utf8(junk))).as(junk).isInstanceOf(SerializationException.class);
        }
    }

    @Test
    void shouldReadWhatAStoreCannotReadAsAbsent() {
        assertThat(JsonSerde.forStore(ObjectStatus.class).deserialize("t", utf8("{\"job\":null}"))).isNull();
        assertThat(JsonSerde.forStore(ObjectStatus.class).deserialize("t", utf8("garbage"))).isNull();
    }
}
