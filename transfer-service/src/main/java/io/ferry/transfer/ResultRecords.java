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

    private ResultRecords() {
    }

    /**
     * @param results one task's results, all of one job
     * @param partitions how many partitions {@code ferry.chunk-results.v1} has (below 1: unknown, one record per result)
     * @param maxRecordBytes the largest record the producer may write
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
        byPartition.forEach((partition, group) -> addBatches(out, group, partition, maxRecordBytes));
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
