package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.jobs.JobDocuments;
import io.ferry.jobs.JobSettings;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CopyBatch;
import io.ferry.schemas.events.CopyPart;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.storage.ChunkDigests;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.testkit.InMemoryObjectStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
    static final Endpoints ENDPOINTS = new Endpoints(new StorageEndpoint("file:///s/", Map.of()),
            new StorageEndpoint("file:///d/", Map.of()));
    final InMemoryObjectStore source = new InMemoryObjectStore();
    final InMemoryObjectStore destination = new InMemoryObjectStore();

    static JobSettings settings(String threshold, String chunk) {
        return JobSettings.of(JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  source: {storageUri: file:///s/}
                  destination: {storageUri: file:///d/, parameters: {multipart_threshold: %s, multipart_chunksize: %s}}
                """.formatted(threshold, chunk)));
    }

    static ObjectInfo object(String key, long size) {
        return new ObjectInfo(key, size, "v-" + key, Instant.EPOCH);
    }

    @Test
    void shouldBatchSmallObjectsUpToTheObjectCount() throws Exception {
        var planner = new ChunkPlanner("ns/j", ENDPOINTS, settings("1MiB", "1MiB"), 7, 3, Long.MAX_VALUE, source, destination);
        List<PlanUnit> units = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            units.addAll(planner.add(object("f" + i, 10), 0));
        }
        assertThat(units).hasSize(2);
        units.addAll(planner.flush());
        assertThat(units).extracting(u -> ((CopyBatch) u.tasks().get(0)).objects().size()).containsExactly(3, 3, 1);
        assertThat(units).allSatisfy(u -> assertThat(u.changes()).extracting(c -> c.plan().strategy())
                .containsOnly(CopyPlan.Strategy.SINGLE_PUT));
        assertThat(units.get(0).changes()).allSatisfy(c -> assertThat(c.generation()).isEqualTo(7));
    }

    @Test
    void shouldCloseABatchAtTheByteLimit() throws Exception {
        var planner = new ChunkPlanner("ns/j", ENDPOINTS, settings("1MiB", "1MiB"), 1, 100, 1000, source, destination);
        assertThat(planner.add(object("a", 600), 0)).isEmpty();
        List<PlanUnit> closed = planner.add(object("b", 600), 0);
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).bytes()).isEqualTo(1200);
        assertThat(planner.flush()).isEmpty();
    }

    @Test
    void shouldSplitLargeObjectsIntoChunksThatCoverEveryByteOnce() throws Exception {
        var planner = new ChunkPlanner("ns/j", ENDPOINTS, settings("1MiB", "1MiB"), 1, 100, 1 << 30, source, destination);
        long size = (5L << 20) + 12345;
        List<PlanUnit> units = planner.add(object("big.bin", size), 0);
        assertThat(units).hasSize(1);
        CopyPlan plan = units.get(0).changes().get(0).plan();
        assertThat(plan.strategy()).isEqualTo(CopyPlan.Strategy.MULTIPART);
        assertThat(plan.chunkCount()).isEqualTo(6);
        assertThat(plan.uploadId()).isNotBlank();
        long next = 0;
        for (ChunkTask t : units.get(0).tasks()) {
            CopyPart p = (CopyPart) t;
            assertThat(p.offset()).isEqualTo(next);
            assertThat(p.uploadId()).isEqualTo(plan.uploadId());
            assertThat(p.planId()).isEqualTo(units.get(0).changes().get(0).planId());
            next += p.length();
        }
        assertThat(next).isEqualTo(size);
        assertThat(units.get(0).tasks()).extracting(ChunkTask::taskKey).doesNotHaveDuplicates();
    }

    @Test
    void shouldRaiseTheChunkSizeUpFrontSoNoObjectNeedsMoreThanTheDestinationPartLimit() {
        long oneTiB = 1L << 40;
        long chunk = ChunkPlanner.chunkSizeFor(oneTiB, 8L << 20, 10_000, 1);
        assertThat(ChunkDigests.count(oneTiB, chunk)).isLessThanOrEqualTo(10_000);
        assertThat(chunk % (1 << 20)).isZero();
        assertThat(chunk).isGreaterThan(8L << 20);
        // a size that fits is left alone
        assertThat(ChunkPlanner.chunkSizeFor(10L << 30, 8L << 20, 10_000, 1)).isEqualTo(8L << 20);
        assertThat(ChunkDigests.count(10L << 30, 8L << 20)).isEqualTo(1280);
        // exactly at the limit
        assertThat(ChunkDigests.count(10_000L * (8 << 20), ChunkPlanner.chunkSizeFor(10_000L * (8 << 20), 8 << 20, 10_000, 1)))
                .isEqualTo(10_000);
        assertThat(ChunkDigests.count(0, 8 << 20)).isEqualTo(1);
        // never below the destination's smallest part (S3: 5 MiB)
        assertThat(ChunkPlanner.chunkSizeFor(100L << 20, 1L << 20, 10_000, 5L << 20)).isEqualTo(5L << 20);
    }

    @Test
    void shouldOpenTheUploadWithTheSourcesAttributesAndKeptTime() throws Exception {
        byte[] data = new byte[3 << 20];
        var written = source.put("model.bin", new java.io.ByteArrayInputStream(data), data.length,
                new ObjectAttributes("application/x-model", Map.of("team", "ml"), null)).object();
        var preserving = JobSettings.of(JobDocuments.parse("""
                metadata: {name: j}
                spec:
                  source: {storageUri: file:///s/}
                  destination: {storageUri: file:///d/, parameters: {multipart_threshold: 1MiB, multipart_chunksize: 1MiB,
                    preserve_timestamps: true}}
                """));
        var planner = new ChunkPlanner("ns/j", ENDPOINTS, preserving, 1, 100, 1 << 30, source, destination);
        CopyPlan plan = planner.add(written, 0).get(0).changes().get(0).plan();
        for (int i = 0; i < plan.chunkCount(); i++) {
            destination.writePart("model.bin", plan.uploadId(), i, i << 20, new java.io.ByteArrayInputStream(new byte[1 << 20]), 1 << 20);
        }
        destination.completeUpload("model.bin", plan.uploadId(), plan.chunkCount(), data.length);
        ObjectAttributes carried = destination.attributes("model.bin").orElseThrow();
        assertThat(carried.contentType()).isEqualTo("application/x-model");
        assertThat(carried.userMetadata()).containsEntry("team", "ml");
        assertThat(carried.modified()).isEqualTo(written.lastModified());
    }

    @Test
    void shouldWriteEverythingWholeWhenTheDestinationHasNoMultipart() throws Exception {
        var planner = new ChunkPlanner("ns/j", ENDPOINTS, settings("1MiB", "1MiB"), 1, 100, 1 << 30, source, null);
        planner.add(object("big.bin", 50L << 20), 0);
        List<PlanUnit> units = planner.flush();
        assertThat(units.get(0).changes().get(0).plan().strategy()).isEqualTo(CopyPlan.Strategy.SINGLE_PUT);
    }
}
