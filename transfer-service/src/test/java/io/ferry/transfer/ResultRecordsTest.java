package io.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.checksum.Checksum;
import io.ferry.checksum.ChecksumType;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.BatchResults;
import io.ferry.schemas.events.ChunkFailed;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.events.ObjectResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ResultRecordsTest {
    static final JsonSerde<ChunkResult> RESULTS = JsonSerde.of(ChunkResult.class);
    static final Checksum SUM = new Checksum(ChecksumType.SHA256, "a".repeat(64));

    static List<ObjectResult> batchOf(int objects) {
        List<ObjectResult> results = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            results.add(i % 10 == 3
                    ? new ChunkFailed("ns/j", "dir/file-" + i, "p" + i, "v", 0, ChunkFailed.FailureReason.SOURCE_GONE, "gone", "w1")
                    : new ObjectCommitted("ns/j", "dir/file-" + i, "p" + i, "v", List.of(SUM), "w1", SUM));
        }
        return results;
    }

    /** Every record's objects, in the order the records carry them, each checked to be on the record's partition. */
    static List<ObjectResult> carried(List<ProducerRecord<byte[], byte[]>> records, int partitions) {
        List<ObjectResult> all = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) {
            assertThat(r.topic()).isEqualTo(Topics.CHUNK_RESULTS);
            ChunkResult result = RESULTS.deserialize(r.topic(), r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(result.recordKey());
            for (ObjectResult o : result.objectResults()) {
                assertThat(r.partition()).as(o.objectKey()).isEqualTo(Keys.partition(o.recordKey(), partitions));
            }
            all.addAll(result.objectResults());
        }
        return all;
    }

    @Test
    void shouldSendABatchsResultsAsOneRecordPerPartitionEachOnItsObjectsPartition() {
        List<ObjectResult> results = batchOf(256);
        List<ProducerRecord<byte[], byte[]>> records = ResultRecords.of(results, 8, 1 << 20);

        assertThat(records).hasSize(8);
        assertThat(records).allSatisfy(r -> assertThat(RESULTS.deserialize(r.topic(), r.value())).isInstanceOf(BatchResults.class));
        List<ObjectResult> carried = carried(records, 8);
        assertThat(carried).containsExactlyInAnyOrderElementsOf(results);
        for (int p = 0; p < 8; p++) {
            int partition = p;
            assertThat(carried.stream().filter(o -> Keys.partition(o.recordKey(), 8) == partition).toList())
                    .as("partition %d's objects in the task's order", p)
                    .isEqualTo(results.stream().filter(o -> Keys.partition(o.recordKey(), 8) == partition).toList());
        }
    }

    @Test
    void shouldSplitARecordThatWouldPassTheLargestTheProducerMayWrite() {
        List<ObjectResult> results = batchOf(256);
        int max = 8 * 1024;
        List<ProducerRecord<byte[], byte[]>> records = ResultRecords.of(results, 1, max);

        assertThat(records.size()).isGreaterThan(1);
        assertThat(records).allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(max));
        assertThat(carried(records, 1)).isEqualTo(results);
    }

    @Test
    void shouldKeepABatchRecordSmallWhateverTheProducerMayWrite() {
        List<ObjectResult> results = batchOf(2000);
        List<ProducerRecord<byte[], byte[]>> records = ResultRecords.of(results, 1, 8 << 20);

        assertThat(records).allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(ResultRecords.MAX_BATCH_RECORD_BYTES));
        assertThat(carried(records, 1)).isEqualTo(results);
    }

    @Test
    void shouldSendAResultAloneAsItself() {
        List<ObjectResult> one = batchOf(1);
        assertThat(ResultRecords.of(one, 8, 1 << 20)).singleElement()
                .satisfies(r -> assertThat(RESULTS.deserialize(r.topic(), r.value())).isEqualTo(one.get(0)));
        List<ObjectResult> two = batchOf(2);
        assertThat(ResultRecords.of(two, 0, 1 << 20)).as("partitions unknown: one record each").hasSize(2)
                .allSatisfy(r -> assertThat(r.partition()).isNull());
    }
}
