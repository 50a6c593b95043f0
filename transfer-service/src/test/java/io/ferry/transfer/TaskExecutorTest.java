package io.ferry.transfer;

import static io.ferry.testing.TestData.sha256;
import static io.ferry.testing.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkFailed;
import io.ferry.schemas.events.ObjectResult;
import io.ferry.schemas.events.CommitObject;
import io.ferry.schemas.events.CopyBatch;
import io.ferry.schemas.events.CopyPart;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.storage.Access;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStoreProvider;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.StoreOptions;
import io.ferry.storage.ThrottledException;
import io.ferry.storage.testkit.InMemoryObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TaskExecutorTest {
    final InMemoryObjectStore source = new InMemoryObjectStore();
    final InMemoryObjectStore destination = new InMemoryObjectStore();
    /** The in-memory stores below, by the authority of their mem:// URI. */
    record Named(String name) implements StoreOptions {
        @Override
        public Access access() {
            return new Access("mem://" + name + "/", null, Set.of(), Access.NO_AUTHENTICATION, null);
        }
    }

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Endpoints endpoints = new Endpoints(new StorageEndpoint("mem://source/", Map.of()),
            new StorageEndpoint("mem://destination/", Map.of()));
    final TaskExecutor executor = new TaskExecutor(new StoreCache(new ObjectStores(List.of(new ObjectStoreProvider() {
        @Override
        public Set<String> schemes() {
            return Set.of("mem");
        }

        @Override
        public Set<String> parameters() {
            return Set.of();
        }

        @Override
        public StoreOptions options(StorageUri uri, Map<String, Object> parameters) {
            return new Named(uri.authority());
        }

        @Override
        public ObjectStore open(StoreOptions options, Map<String, String> settings) {
            return switch (((Named) options).name()) {
                case "source" -> source;
                case "throttling" -> throttling;
                case "self-reading" -> selfReading;
                case "durable" -> durable;
                default -> destination;
            };
        }
    }), Map.of())), "w1", 2, Duration.ofMillis(1), 4096, new TransferMeter(registry),
            new AdaptiveLimit(2, 20), java.util.concurrent.Executors.newFixedThreadPool(2));

    /** The destination as it is; each store below changes what it needs to. */
    class Destination implements ObjectStore {
        @Override
        public java.util.stream.Stream<ObjectInfo> list(String prefix) throws StorageException {
            return destination.list(prefix);
        }

        @Override
        public java.util.Optional<ObjectInfo> stat(String key) throws StorageException {
            return destination.stat(key);
        }

        @Override
        public io.ferry.storage.ObjectStream open(String key, String version, long offset, long length) throws StorageException {
            return destination.open(key, version, offset, length);
        }

        @Override
        public io.ferry.storage.Written put(String key, InputStream data, long size, io.ferry.storage.ObjectAttributes attributes)
                throws IOException {
            return destination.put(key, data, size, attributes);
        }

        @Override
        public void delete(String key) throws StorageException {
            destination.delete(key);
        }
    }

    /** The destination, but its next {@link #throttledPuts} puts are refused with a 2 s Retry-After. */
    final AtomicInteger throttledPuts = new AtomicInteger();
    final ObjectStore throttling = new Destination() {
        @Override
        public io.ferry.storage.Written put(String key, InputStream data, long size, io.ferry.storage.ObjectAttributes attributes)
                throws IOException {
            if (throttledPuts.getAndDecrement() > 0) {
                throw new ThrottledException("slow down", null, Duration.ofSeconds(2));
            }
            return super.put(key, data, size, attributes);
        }
    };

    /**
     * The destination, but it keeps each object with its first byte flipped and reports a read-back
     * of its own (the SHA-256 of what it keeps), like the file store; it counts the opens asked of it.
     */
    final AtomicInteger selfReadingOpens = new AtomicInteger();
    final ObjectStore selfReading = new Destination() {
        @Override
        public io.ferry.storage.ObjectStream open(String key, String version, long offset, long length) throws StorageException {
            selfReadingOpens.incrementAndGet();
            return super.open(key, version, offset, length);
        }

        @Override
        public io.ferry.storage.Written put(String key, InputStream data, long size, io.ferry.storage.ObjectAttributes attributes)
                throws IOException {
            byte[] kept = data.readNBytes((int) size);
            kept[0] ^= 1;
            ObjectInfo stored = super.put(key, new ByteArrayInputStream(kept), size, attributes).object();
            return new io.ferry.storage.Written(stored, List.of(), false, sha256(kept));
        }
    };

    /** The destination, as a store whose names must be synced to last: it logs puts and syncs in order. */
    final List<String> durableLog = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean durableSyncFails;
    final class DurableStore extends Destination implements io.ferry.storage.SupportsDurableNames {
        @Override
        public io.ferry.storage.Written put(String key, InputStream data, long size, io.ferry.storage.ObjectAttributes attributes)
                throws IOException {
            io.ferry.storage.Written written = super.put(key, data, size, attributes);
            durableLog.add("put " + key);
            return written;
        }

        @Override
        public void syncNames(java.util.Collection<String> keys) throws StorageException {
            durableLog.add("sync " + new java.util.TreeSet<>(keys));
            if (durableSyncFails) {
                throw new StorageException("cannot sync directory d: Input/output error", false);
            }
        }
    }
    final ObjectStore durable = new DurableStore();


    ObjectInfo put(InMemoryObjectStore store, String key, byte[] data) throws IOException {
        return store.put(key, new ByteArrayInputStream(data), data.length);
    }


    @Test
    void shouldReportABatchCopiedOnlyOnceTheNamesOfItsObjectsAreSyncedAndFailThemWhenTheyCannotBe() throws Exception {
        ObjectInfo ia = put(source, "d/a", bytes(100, 1));
        ObjectInfo ib = put(source, "d/b", bytes(200, 2));
        var toDurable = new Endpoints(endpoints.source(), new StorageEndpoint("mem://durable/", Map.of()));
        var batch = new CopyBatch("ns/j", toDurable, "b1", List.of(new CopyBatch.ObjectVersion("d/a", "pa", ia.version(), 100),
                new CopyBatch.ObjectVersion("d/b", "pb", ib.version(), 200),
                new CopyBatch.ObjectVersion("d/gone", "pg", "v-gone", 5)));

        List<ObjectResult> results = executor.run(batch);
        assertThat(results).extracting(r -> r.getClass().getSimpleName())
                .containsExactly("ObjectCommitted", "ObjectCommitted", "ChunkFailed");
        assertThat(durableLog).as("one sync, of the objects written, after they all were")
                .containsExactlyInAnyOrder("put d/a", "put d/b", "sync [d/a, d/b]").endsWith("sync [d/a, d/b]");

        durableSyncFails = true;
        results = executor.run(batch);
        assertThat(results).hasOnlyElementsOfType(ChunkFailed.class);
        assertThat(results).extracting(r -> ((ChunkFailed) r).reason()).containsOnly(ChunkFailed.FailureReason.DESTINATION_UNWRITABLE,
                ChunkFailed.FailureReason.SOURCE_GONE);
        assertThat(((ChunkFailed) results.get(0)).message()).contains("cannot sync directory d");
    }

    @Test
    void shouldReportTheReadBackAStoreDidItselfInsteadOfOpeningTheObjectAgain() throws Exception {
        byte[] a = bytes(3000, 7);
        ObjectInfo ia = put(source, "a", a);
        var toSelfReading = new Endpoints(endpoints.source(), new StorageEndpoint("mem://self-reading/", Map.of()));
        List<ObjectResult> results = executor.run(new CopyBatch("ns/j", toSelfReading, "b1", List.of(
                new CopyBatch.ObjectVersion("a", "pa", ia.version(), 3000))));

        ObjectCommitted committed = (ObjectCommitted) results.get(0);
        byte[] kept = a.clone();
        kept[0] ^= 1;
        assertThat(committed.sent()).isEqualTo(sha256(a));
        assertThat(committed.destinationChunks()).as("what the store read back, which the verifier finds differs")
                .containsExactly(sha256(kept));
        assertThat(selfReadingOpens).as("the object was not read again").hasValue(0);
        assertThat(registry.get("ferry.transfer.verified").tag("destination_store", "mem").counter().count()).isEqualTo(3000);
    }

    @Test
    void shouldCopyABatchAndReportTheReadBackChecksum() throws Exception {
        byte[] a = bytes(5000, 1);
        ObjectInfo ia = put(source, "dir/a", a);
        ObjectInfo ib = put(source, "b", new byte[0]);
        List<ObjectResult> results = executor.run(new CopyBatch("ns/j", endpoints, "b1", List.of(
                new CopyBatch.ObjectVersion("dir/a", "pa", ia.version(), 5000),
                new CopyBatch.ObjectVersion("b", "pb", ib.version(), 0))));
        assertThat(results).as("one record per object: what was sent and what was read back").hasSize(2)
                .hasOnlyElementsOfType(ObjectCommitted.class);
        ObjectCommitted committed = (ObjectCommitted) results.get(0);
        assertThat(committed.sent()).isEqualTo(sha256(a));
        assertThat(committed.destinationChunks()).containsExactly(sha256(a));
        assertThat(committed.worker()).isEqualTo("w1");
        try (InputStream in = destination.open("dir/a", destination.stat("dir/a").orElseThrow().version(), 0, 5000)) {
            assertThat(in.readAllBytes()).isEqualTo(a);
        }
        assertThat(registry.get("ferry.transfer.copied").tags("source_store", "mem", "destination_store", "mem")
                .counter().count()).isEqualTo(5000);
        assertThat(registry.get("ferry.transfer.copy.duration").tags("source_store", "mem", "destination_store", "mem")
                .timer().count()).isEqualTo(2);
        assertThat(registry.get("ferry.transfer.verified").tag("destination_store", "mem").counter().count()).isEqualTo(5000);
    }

    @Test
    void shouldReportSourceChangedAndWriteNothingWhenTheSourceMovedOn() throws Exception {
        ObjectInfo v1 = put(source, "moving", bytes(100, 1));
        put(source, "moving", bytes(100, 2));
        List<ObjectResult> results = executor.run(new CopyBatch("ns/j", endpoints, "b1",
                List.of(new CopyBatch.ObjectVersion("moving", "p", v1.version(), 100))));
        assertThat(results).singleElement().isInstanceOfSatisfying(ChunkFailed.class,
                f -> assertThat(f.reason()).isEqualTo(ChunkFailed.FailureReason.SOURCE_CHANGED));
        assertThat(destination.stat("moving")).isEmpty();
    }

    @Test
    void shouldFailAnObjectWhoseKeyAStoreRefusesInsteadOfCrashingTheTask() throws Exception {
        ObjectInfo ok = put(source, "fine.txt", bytes(5, 1));
        List<ObjectResult> results = executor.run(new CopyBatch("ns/j", endpoints, "b1", List.of(
                new CopyBatch.ObjectVersion("../escape", "p1", "v", 1),
                new CopyBatch.ObjectVersion("fine.txt", "p2", ok.version(), 5))));
        assertThat(results.get(0)).isInstanceOfSatisfying(ChunkFailed.class, f -> {
            assertThat(f.reason()).isEqualTo(ChunkFailed.FailureReason.SOURCE_UNREADABLE);
            assertThat(f.message()).contains("..");
        });
        assertThat(results.subList(1, 2)).hasOnlyElementsOfType(ObjectCommitted.class);
    }

    @Test
    void shouldReportAVanishedSourceAsGone() throws Exception {
        List<ObjectResult> results = executor.run(new CopyBatch("ns/j", endpoints, "b1",
                List.of(new CopyBatch.ObjectVersion("never-there", "p", "v", 1))));
        assertThat(((ChunkFailed) results.get(0)).reason()).isEqualTo(ChunkFailed.FailureReason.SOURCE_GONE);
    }

    @Test
    void shouldCopyPartsThenCommitAndReadEachChunkBack() throws Exception {
        byte[] data = bytes(10_000, 3);
        ObjectInfo info = put(source, "big", data);
        String upload = destination.startUpload("big");
        for (int i = 0; i < 3; i++) {
            long off = i * 4000L;
            long len = Math.min(4000, data.length - off);
            ChunkCopied c = (ChunkCopied) executor.run(new CopyPart("ns/j", endpoints, "big", "p", info.version(), data.length,
                    upload, i, off, len)).get(0);
            assertThat(c.checksum()).isEqualTo(sha256(Arrays.copyOfRange(data, (int) off, (int) (off + len))));
        }
        var commit = new CommitObject("ns/j", endpoints, "big", "p", info.version(), data.length, upload, 4000, 3, List.of());
        ObjectCommitted done = (ObjectCommitted) executor.run(commit).get(0);
        assertThat(done.destinationChunks()).containsExactly(sha256(Arrays.copyOfRange(data, 0, 4000)),
                sha256(Arrays.copyOfRange(data, 4000, 8000)), sha256(Arrays.copyOfRange(data, 8000, 10_000)));
        // a redelivered commit finds the object already complete and reads it back again
        assertThat(executor.run(commit).get(0)).isInstanceOf(ObjectCommitted.class);
    }

    @Test
    void shouldTakeTheStoresConfirmationOfTheChunksSentInsteadOfAReadBackOnlyWhereTheJobAllowsIt() throws Exception {
        byte[] data = bytes(10_000, 5);
        var sent = List.of(sha256(Arrays.copyOfRange(data, 0, 4000)), sha256(Arrays.copyOfRange(data, 4000, 8000)),
                sha256(Arrays.copyOfRange(data, 8000, 10_000)));
        var serverConfirmed = new Endpoints(endpoints.source(), endpoints.destination(),
                new io.ferry.schemas.events.CopyOptions(false, false, 0));
        assertThat(commitInParts(serverConfirmed, "confirmed", data, sent).destinationChunks()).isEqualTo(sent);
        assertThat(verifiedBytes()).as("nothing read back").isZero();

        // chunks the store did not take: read back, and what was read is what the verifier compares
        var wrong = List.of(sent.get(0), sent.get(2), sent.get(1));
        assertThat(commitInParts(serverConfirmed, "unconfirmed", data, wrong).destinationChunks()).isEqualTo(sent);
        assertThat(verifiedBytes()).isEqualTo(10_000);

        // and a job that wants every byte re-read gets it, confirmed or not
        assertThat(commitInParts(endpoints, "re-read", data, sent).destinationChunks()).isEqualTo(sent);
        assertThat(verifiedBytes()).isEqualTo(20_000);
    }

    /** Copies {@code data} to {@code key} in parts of 4,000 bytes and commits it telling the store {@code sent}. */
    private ObjectCommitted commitInParts(Endpoints endpoints, String key, byte[] data, List<Checksum> sent) throws Exception {
        return commitInParts(endpoints, key, data, 4000, sent);
    }

    private ObjectCommitted commitInParts(Endpoints endpoints, String key, byte[] data, int chunkSize, List<Checksum> sent)
            throws Exception {
        ObjectInfo info = put(source, key, data);
        String upload = destination.startUpload(key);
        int chunkCount = (data.length + chunkSize - 1) / chunkSize;
        for (int i = 0; i < chunkCount; i++) {
            long off = (long) i * chunkSize;
            executor.run(new CopyPart("ns/j", endpoints, key, "p", info.version(), data.length, upload, i, off,
                    Math.min(chunkSize, data.length - off)));
        }
        return (ObjectCommitted) executor.run(new CommitObject("ns/j", endpoints, key, "p", info.version(), data.length, upload,
                chunkSize, chunkCount, sent)).get(0);
    }

    @Test
    void shouldReadBackTheChunksOfAMultipartObjectSeveralAtOnceAndReportThemInChunkOrder() throws Exception {
        byte[] data = bytes(10_007, 6);
        int chunks = (data.length + 999) / 1000;
        assertThat(chunks).isGreaterThan(2 * TaskExecutor.READ_BACK_STREAMS);
        List<Checksum> expected = new java.util.ArrayList<>();
        for (int off = 0; off < data.length; off += 1000) {
            expected.add(sha256(Arrays.copyOfRange(data, off, Math.min(data.length, off + 1000))));
        }
        assertThat(commitInParts(endpoints, "eleven", data, 1000, List.of()).destinationChunks()).isEqualTo(expected);
        assertThat(verifiedBytes()).isEqualTo(data.length);
    }

    private double verifiedBytes() {
        var counter = registry.find("ferry.transfer.verified").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldFailACommitWhoseUploadIsGoneWithNoObjectInItsPlace() throws Exception {
        var commit = new CommitObject("ns/j", endpoints, "missing", "p", "v", 10, "no-such-upload", 10, 1, List.of());
        ChunkFailed f = (ChunkFailed) executor.run(commit).get(0);
        assertThat(f.reason()).isEqualTo(ChunkFailed.FailureReason.COMMIT_FAILED);
        assertThat(f.chunkIndex()).isEqualTo(-1);
    }

    @Test
    void shouldCarryContentTypeAndMetadataAndTheTimeOnlyWhenPreserving() throws Exception {
        var modified = java.time.Instant.parse("2023-05-06T07:08:09.123456789Z");
        ObjectInfo info = source.put("typed", new ByteArrayInputStream(bytes(10, 1)), 10,
                new io.ferry.storage.ObjectAttributes("text/csv", Map.of("owner", "ml"), modified)).object();
        var batch = List.of(new CopyBatch.ObjectVersion("typed", "p1", info.version(), 10));
        executor.run(new CopyBatch("ns/j", endpoints, "b1", batch));
        var plain = destination.attributes("typed").orElseThrow();
        assertThat(plain.contentType()).isEqualTo("text/csv");
        assertThat(plain.userMetadata()).containsEntry("owner", "ml");
        assertThat(plain.modified()).isNull();

        var preserving = new Endpoints(endpoints.source(), endpoints.destination(),
                new io.ferry.schemas.events.CopyOptions(true, true, 0));
        executor.run(new CopyBatch("ns/j", preserving, "b2", batch));
        assertThat(destination.attributes("typed").orElseThrow().modified()).isEqualTo(modified);
    }

    @Test
    void shouldWaitAtLeastWhatAThrottlingServerAsksBeforeTryingAgain() throws Exception {
        byte[] a = bytes(100, 3);
        ObjectInfo ia = put(source, "busy", a);
        throttledPuts.set(1);
        var toThrottling = new Endpoints(endpoints.source(), new StorageEndpoint("mem://throttling/", Map.of()));
        long started = System.nanoTime();
        List<ObjectResult> results = executor.run(new CopyBatch("ns/j", toThrottling, "b1",
                List.of(new CopyBatch.ObjectVersion("busy", "p", ia.version(), 100))));
        // The back-off alone would retry after a few milliseconds; the server asked for 2 s.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(results).singleElement().isInstanceOf(ObjectCommitted.class);
        assertThat(throttledPuts.get()).isNegative();
        assertThat(registry.get("ferry.transfer.retries").tag("cause", "throttled").counter().count()).isEqualTo(1);
        assertThat(registry.get("ferry.transfer.retries").tag("cause", "error").counter().count()).isZero();
    }

    @Test
    void shouldPaceReadsToTheJobsBandwidthLimit() throws Exception {
        byte[] data = bytes(300_000, 4);
        ObjectInfo info = put(source, "paced", data);
        var limited = new Endpoints(endpoints.source(), endpoints.destination(),
                new io.ferry.schemas.events.CopyOptions(true, false, 100_000));
        long start = System.nanoTime();
        List<ObjectResult> results = executor.run(new CopyBatch("ns/j", limited, "b1",
                List.of(new CopyBatch.ObjectVersion("paced", "p1", info.version(), data.length))));
        // a full bucket (one second's worth) then 200,000 bytes more at 100,000 bytes/s: at least 2 s
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_900_000_000L);
        assertThat(results).singleElement().isInstanceOf(ObjectCommitted.class);
    }
}
