package io.ferry.transfer;

import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.BatchResults;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ObjectResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A task's results as records on {@code ferry.chunk-results.v1}. The results of a batch's objects
 * whose keys share a partition travel as one {@link BatchResults} record on that partition: the
 * verifier then reads, and its exactly-once transactions carry, one record per batch and partition
 * rather than one per object. A record that would pass the largest a worker may write is split.
 */
final class ResultRecords {
    private static final JsonSerde<ChunkResult> RESULTS = JsonSerde.of(ChunkResult.class);
    /**
     * Most bytes in one batch record, whatever the producer may write. Kafka Streams buffers up to
     * {@code buffered.records.per.partition} records (the verifier sets 100) per input partition,
     * counting records, not bytes: with batch records this size at most, eight result partitions
     * hold at most ~51 MB there. A 256-object batch is ~80 KB, so two records per partition at most.
     */
    static final int MAX_BATCH_RECORD_BYTES = 64 * 1024;

    private ResultRecords() {
    }

    /**
     * @param results one task's results, all of one job
     * @param partitions how many partitions {@code ferry.chunk-results.v1} has (below 1: unknown, one record per result)
     * @param maxRecordBytes the largest record the producer may write (a batch record is kept under
     *     {@link #MAX_BATCH_RECORD_BYTES} too; a single result only under this)
     */
    static List<ProducerRecord<byte[], byte[]>> of(List<ObjectResult> results, int partitions, int maxRecordBytes) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        if (results.size() < 2 || partitions < 1) {
            results.forEach(r -> out.add(record(r, null)));
            return out;
        }
        Map<Integer, List<ObjectResult>> byPartition = new LinkedHashMap<>();
        for (ObjectResult r : results) {
            byPartition.computeIfAbsent(Keys.partition(r.recordKey(), partitions), p -> new ArrayList<>()).add(r);
        }
        int batchBytes = Math.min(maxRecordBytes, MAX_BATCH_RECORD_BYTES);
        byPartition.forEach((partition, group) -> addBatches(out, group, partition, batchBytes));
        return out;
    }

    private static void addBatches(List<ProducerRecord<byte[], byte[]>> out, List<ObjectResult> group, int partition,
            int maxRecordBytes) {
        if (group.size() == 1) {
            out.add(record(group.get(0), partition));
            return;
        }
        ProducerRecord<byte[], byte[]> batch = record(new BatchResults(group.get(0).job(), group), partition);
        if (batch.value().length <= maxRecordBytes) {
            out.add(batch);
            return;
        }
        int half = group.size() / 2;
        addBatches(out, group.subList(0, half), partition, maxRecordBytes);
        addBatches(out, group.subList(half, group.size()), partition, maxRecordBytes);
    }

    private static ProducerRecord<byte[], byte[]> record(ChunkResult result, Integer partition) {
        return new ProducerRecord<>(Topics.CHUNK_RESULTS, partition, result.recordKey().getBytes(StandardCharsets.UTF_8),
                RESULTS.serialize(Topics.CHUNK_RESULTS, result));
    }
}
