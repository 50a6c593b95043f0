package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.events.ScanFailed;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStoreProvider;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.StoreOptions;
import io.ferry.storage.Written;
import io.ferry.storage.file.FileStoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scan does about objects gone at the source, on real directories; the verified state is
 * a map, the records a MockProducer.
 */
class SourceDeletionsTest {
    @TempDir
    Path source;

    @TempDir
    Path destination;

    final TreeMap<String, ObjectStatus> statuses = new TreeMap<>();
    final List<ObjectChanged> written = new ArrayList<>();
    /** The keys whose status a sweep read, in order. */
    final List<String> statusesRead = new ArrayList<>();
    final ObjectStores stores = ObjectStores.installed(Map.of());

    ValidatedJob job(String deletePolicy, String maxDelete, String extra) {
        return new JobKernel(stores, JobPolicy.UNRESTRICTED).read("""
                metadata: {name: j, namespace: ml, annotations: {ome.io/max-delete: "%s"}}
                spec:
                  mode: continuous
                  deletePolicy: %s
                  source: {storageUri: "%s"}
                  destination: {storageUri: "%s"}
                %s""".formatted(maxDelete, deletePolicy, StorageUri.directory(source), StorageUri.directory(destination), extra));
    }

    /** Copied and verified earlier; {@code atSource} false: deleted from the source since. */
    void known(ValidatedJob job, String key, ObjectState state, boolean atSource) throws IOException {
        known(job, key, state, atSource, 7);
    }

    /** As {@link #known(ValidatedJob, String, ObjectState, boolean)}, planned by the scan of {@code generation}. */
    void known(ValidatedJob job, String key, ObjectState state, boolean atSource, long generation) throws IOException {
        Files.writeString(destination.resolve(key), key);
        if (atSource) {
            Files.writeString(source.resolve(key), key);
        }
        statuses.put(key, new ObjectStatus(job.key(), key, "p-" + key, state, "v1", key.length(), generation, 0, 1, 1 << 20,
                state == ObjectState.VERIFIED ? 1 : 0, key.length(), null, null, null, Instant.EPOCH,
                job.document().spec().destination().identity()));
    }

    SourceDeletions.Outcome sweep(ValidatedJob job, ListedKeys listed) throws Exception {
        return sweep(job, listed, 0);
    }

    /** A sweep by scan 9 of {@code job}, whose statuses of scans before {@code withdrawnAt} are a deleted job's. */
    SourceDeletions.Outcome sweep(ValidatedJob job, ListedKeys listed, long withdrawnAt) throws Exception {
        StatusPages pages = (jobKey, after, limit) -> statuses.tailMap(after == null ? "" : after, after == null)
                .values().stream().limit(Math.min(limit, 2)) // pages of 2: the paging is walked too
                .map(this::counted).toList();
        try (ObjectStore src = stores.open(job.source()); ObjectStore dst = stores.open(job.destination())) {
            return new SourceDeletions(job, 9, listed, pages, written::add, Clock.systemUTC(), withdrawnAt).run(src, dst,
                    () -> false);
        }
    }

    /** The status as a page holds it, each read noted in {@link #statusesRead}. */
    StatusPages.Stored counted(ObjectStatus status) {
        return StoredStatuses.of(status, statusesRead);
    }

    /** A filter as a full listing of the source would leave it. */
    ListedKeys listing() throws IOException {
        ListedKeys listed = ListedKeys.expecting(10, 1);
        try (Stream<Path> files = Files.list(source)) {
            files.forEach(f -> listed.add(f.getFileName().toString()));
        }
        return listed;
    }

    @Test
    void shouldMarkObjectsGoneAtTheSourceAndKeepTheirCopiesByDefault() throws Exception {
        ValidatedJob job = job("keep", "100%", "");
        known(job, "a", ObjectState.VERIFIED, true);
        known(job, "b", ObjectState.VERIFIED, false);
        known(job, "c", ObjectState.FAILED, false);
        known(job, "d", ObjectState.GONE, false);
        known(job, "e", ObjectState.COPYING, false);

        SourceDeletions.Outcome outcome = sweep(job, listing());

        assertThat(outcome.gone()).isEqualTo(2);
        assertThat(outcome.deleted()).isZero();
        assertThat(written).extracting(ObjectChanged::objectKey).containsExactly("b", "c");
        assertThat(written).extracting(ObjectChanged::change).containsOnly(ObjectChanged.Change.DELETE);
        assertThat(written).extracting(ObjectChanged::generation).containsOnly(9L);
        assertThat(destination.resolve("b")).as("keep keeps the copy").exists();
    }

    @Test
    void shouldDeleteCopiesOfObjectsGoneAtTheSourceWithPropagateButNothingElse() throws Exception {
        ValidatedJob job = job("propagate", "100%", "  exclude: [\"*.tmp\"]");
        known(job, "a", ObjectState.VERIFIED, true);
        known(job, "b", ObjectState.VERIFIED, false);
        known(job, "d", ObjectState.GONE, false);
        known(job, "e", ObjectState.COPYING, false);
        known(job, "old.tmp", ObjectState.VERIFIED, false);
        known(job, "back", ObjectState.VERIFIED, false);
        ListedKeys listed = listing();
        Files.writeString(source.resolve("back"), "back"); // written again after the listing passed it

        SourceDeletions.Outcome outcome = sweep(job, listed);

        assertThat(outcome.deleted()).isEqualTo(2);
        assertThat(written).extracting(ObjectChanged::objectKey).containsExactly("b", "d");
        assertThat(written).extracting(ObjectChanged::change).containsOnly(ObjectChanged.Change.REMOVED);
        assertThat(destination.resolve("b")).doesNotExist();
        assertThat(destination.resolve("d")).as("a copy kept while the limit held it back goes once allowed").doesNotExist();
        assertThat(destination.resolve("a")).exists();
        assertThat(destination.resolve("e")).as("in flight: its copy settles it first").exists();
        assertThat(destination.resolve("old.tmp")).as("excluded by a filter is not deleted at the source").exists();
        assertThat(destination.resolve("back")).as("back at the source when checked").exists();
    }

    @Test
    void shouldDeleteNothingWhenMoreAreGoneThanMaxDeleteAllows() throws Exception {
        ValidatedJob job = job("propagate", "1", "");
        known(job, "a", ObjectState.VERIFIED, true);
        known(job, "b", ObjectState.VERIFIED, false);
        known(job, "c", ObjectState.VERIFIED, false);
        known(job, "d", ObjectState.GONE, false);

        SourceDeletions.Outcome outcome = sweep(job, listing());

        assertThat(outcome.deleted()).isZero();
        assertThat(outcome.withheld()).isEqualTo(3);
        assertThat(outcome.limit()).isEqualTo(1);
        assertThat(outcome.gone()).as("the new ones reported gone, their copies kept").isEqualTo(2);
        assertThat(written).extracting(ObjectChanged::change).containsOnly(ObjectChanged.Change.DELETE);
        assertThat(destination.resolve("b")).exists();
        assertThat(destination.resolve("c")).exists();
        assertThat(destination.resolve("d")).exists();

        written.clear();
        SourceDeletions.Outcome share = sweep(job("propagate", "75%", ""), listing());
        assertThat(share.limit()).isEqualTo(3);
        assertThat(share.deleted()).isEqualTo(3);
        assertThat(destination.resolve("b")).doesNotExist();
    }

    @Test
    void shouldReadTheStatusOfNoObjectTheListingPassed() throws Exception {
        for (String policy : List.of("keep", "propagate")) {
            statuses.clear();
            statusesRead.clear();
            ValidatedJob job = job(policy, "100%", "");
            for (String key : List.of("a", "b", "c")) {
                known(job, key, ObjectState.VERIFIED, true);
            }
            known(job, "gone", ObjectState.VERIFIED, false);

            sweep(job, listing());

            assertThat(statusesRead).as(policy).isNotEmpty().containsOnly("gone");
        }
    }

    @Test
    void shouldNotCountADeletedJobsObjectsTowardsMaxDelete() throws Exception {
        ValidatedJob job = job("propagate", "50%", "");
        for (String key : List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8")) {
            known(job, key, ObjectState.VERIFIED, true, 7); // a job of the same name deleted before scan 8
        }
        known(job, "a", ObjectState.VERIFIED, true, 8);
        known(job, "b", ObjectState.VERIFIED, false, 8);
        known(job, "c", ObjectState.VERIFIED, false, 8);

        SourceDeletions.Outcome outcome = sweep(job, listing(), 8);

        assertThat(outcome.limit()).as("50% of this job's 3 objects, not of 11").isEqualTo(1);
        assertThat(outcome.withheld()).isEqualTo(2);
        assertThat(outcome.deleted()).isZero();
        assertThat(destination.resolve("b")).exists();
    }

    @Test
    void shouldDeleteNothingWhenTheListingFailsMidWay() throws Exception {
        ValidatedJob job = job("propagate", "100%", "");
        for (String key : List.of("a", "b", "c")) {
            known(job, key, ObjectState.VERIFIED, true);
        }
        known(job, "gone", ObjectState.VERIFIED, false);

        List<ScanEvent> failed = scan(job, 2);
        assertThat(failed).last().isInstanceOf(ScanFailed.class);
        assertThat(changes()).as("no record of a delete").isEmpty();
        assertThat(destination.resolve("gone")).exists();
        for (String key : List.of("a", "b", "c")) {
            assertThat(destination.resolve(key)).exists();
        }

        // the same scan with a listing that ends: the one object gone is deleted, nothing else
        List<ScanEvent> completed = scan(job, Integer.MAX_VALUE);
        assertThat(completed).last().isInstanceOf(ScanCompleted.class);
        assertThat(((ScanCompleted) completed.get(completed.size() - 1)).objectsDeleted()).isEqualTo(1);
        assertThat(changes()).extracting(ObjectChanged::objectKey).containsExactly("gone");
        assertThat(destination.resolve("gone")).doesNotExist();
        assertThat(destination.resolve("a")).exists();
    }

    @Test
    void shouldNotCallAScanFailedWhoseListingBrokeOffBecauseItWasCancelled() throws Exception {
        ValidatedJob job = job("propagate", "100%", "");
        known(job, "a", ObjectState.VERIFIED, true);
        known(job, "gone", ObjectState.VERIFIED, false);

        // a stop cancels the scan and interrupts it waiting for the listing, which then throws
        List<ScanEvent> events = scan(job, 0, () -> true);

        assertThat(events).noneMatch(ScanFailed.class::isInstance).noneMatch(ScanCompleted.class::isInstance);
        assertThat(changes()).isEmpty();
        assertThat(destination.resolve("gone")).exists();
    }

    @Test
    void shouldNeverSayAKeyItWasGivenWasNotListed() {
        ListedKeys listed = ListedKeys.expecting(100_000, 42);
        for (int i = 0; i < 100_000; i++) {
            listed.add("shard-" + i + ".bin");
        }
        int falseListed = 0;
        for (int i = 0; i < 100_000; i++) {
            assertThat(listed.mightContain("shard-" + i + ".bin")).isTrue();
            if (listed.mightContain("other-" + i + ".bin")) {
                falseListed++;
            }
        }
        assertThat(falseListed).as("about 1% at the expected size").isLessThan(2_000);
        assertThat(ListedKeys.expecting(Long.MAX_VALUE / 20, 1).bits()).isEqualTo(ListedKeys.MAX_BITS);
    }

    MockProducer<String, byte[]> producer;

    /** One ScanPass over the real directories, the source's listing failing after {@code failAfter} entries. */
    List<ScanEvent> scan(ValidatedJob job, int failAfter) {
        return scan(job, failAfter, () -> false);
    }

    List<ScanEvent> scan(ValidatedJob job, int failAfter, java.util.function.BooleanSupplier cancelled) {
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        ObjectStores failing = new ObjectStores(List.of(new FailingListing(new FileStoreProvider(), failAfter)), Map.of());
        VerifiedState verified = new VerifiedState() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            Optional<KnownObject> known(String jobKey, String objectKey) {
                return Optional.ofNullable(statuses.get(objectKey)).map(KnownObject::of);
            }

            @Override
            public List<StatusPages.Stored> objectsAfter(String jobKey, String after, int limit) {
                return statuses.tailMap(after == null ? "" : after, after == null).values().stream().limit(limit)
                        .map(SourceDeletionsTest.this::counted).toList();
            }

            @Override
            public Optional<JobStatus> job(String jobKey) {
                return Optional.empty();
            }
        };
        try (var emitter = new ChangeEmitter(() -> producer)) {
            new ScanPass(job, 9, failing, verified, emitter, TestScannerConfig.SCANNER, Clock.systemUTC(), null, cancelled,
                    ScanMeter.of(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), 0).run();
        }
        var scans = JsonSerde.of(ScanEvent.class);
        return producer.history().stream().filter(r -> r.topic().equals(Topics.SCANS))
                .map(r -> scans.deserialize(Topics.SCANS, r.value())).toList();
    }

    List<ObjectChanged> changes() {
        var serde = JsonSerde.of(ObjectChanged.class);
        return producer.history().stream().filter(r -> r.topic().equals(Topics.OBJECT_CHANGES))
                .map(r -> serde.deserialize(Topics.OBJECT_CHANGES, r.value()))
                .filter(c -> c.change() != ObjectChanged.Change.UPSERT).toList();
    }

    /** The file store, except that a listing throws after some entries, as a connection lost mid-listing does. */
    record FailingListing(FileStoreProvider files, int failAfter) implements ObjectStoreProvider {
        public Set<String> schemes() {
            return files.schemes();
        }

        public Set<String> parameters() {
            return files.parameters();
        }

        public StoreOptions options(StorageUri uri, Map<String, Object> parameters) {
            return files.options(uri, parameters);
        }

        public ObjectStore open(StoreOptions options, Map<String, String> settings) throws StorageException {
            ObjectStore store = files.open(options, settings);
            return new ObjectStore() {
                public Stream<ObjectInfo> list(String prefix) throws StorageException {
                    Stream<ObjectInfo> all = store.list(prefix);
                    Iterator<ObjectInfo> it = all.iterator();
                    AtomicInteger served = new AtomicInteger();
                    Iterator<ObjectInfo> failing = new Iterator<>() {
                        public boolean hasNext() {
                            if (served.get() >= failAfter) {
                                throw new UncheckedIOException(new IOException("connection reset while listing"));
                            }
                            return it.hasNext();
                        }

                        public ObjectInfo next() {
                            served.incrementAndGet();
                            return it.next();
                        }
                    };
                    return java.util.stream.StreamSupport.stream(
                            java.util.Spliterators.spliteratorUnknownSize(failing, 0), false).onClose(all::close);
                }

                public Optional<ObjectInfo> stat(String key) throws StorageException {
                    return store.stat(key);
                }

                public ObjectStream open(String key, String version, long offset, long length) throws StorageException {
                    return store.open(key, version, offset, length);
                }

                public Written put(String key, InputStream data, long size, ObjectAttributes attributes) throws IOException {
                    return store.put(key, data, size, attributes);
                }

                public void delete(String key) throws StorageException {
                    store.delete(key);
                }
            };
        }
    }
}
