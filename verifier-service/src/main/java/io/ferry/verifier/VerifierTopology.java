package io.ferry.verifier;

import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.JobEvent;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.ObjectStores;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The verifier's topology. Every processor and store is named, so the changelogs survive changes
 * to the topology. See verifier-service/DESIGN.md for the flow.
 */
@ApplicationScoped
public class VerifierTopology {
    static final String JOB_TALLY_STORE = "job-tally";
    static final String SCAN_LOG_STORE = "scan-log";
    static final String JOBS_STORE = "job-definitions";

    private static final Serde<String> KEYS = Serdes.String();
    private static final Serde<ObjectStatus> STATUS = JsonSerde.of(ObjectStatus.class);
    /** What a job's tombstone becomes on its way into the scan log: scans started before {@code at} are forgotten. */
    private record JobDeleted(long at) {
    }

    @Inject
    MeterRegistry registry;

    @Inject
    JobStatusWatch watch;

    @Produces
    public Topology topology() {
        return build(registry, watch::changed);
    }

    /**
     * The topology, its metrics registered in {@code registry}, each job whose status is written
     * or deleted told to {@code statusChanged}.
     */
    static Topology build(MeterRegistry registry, Consumer<String> statusChanged) {
        return build(kernel(), new VerifiedLatency(registry), new DeadLetterMeter(registry), statusChanged);
    }

    /** The verifier shows statuses and never acts on a job: the scanner and the workers apply the policy. */
    private static JobKernel kernel() {
        return new JobKernel(ObjectStores.installed(Map.of()), JobPolicy.UNRESTRICTED);
    }

    /**
     * @param verified told of every object status the tracker writes (the latency histogram)
     * @param deadLetters told of the headers of every record parked on the dead-letter topic (its counter)
     * @param statusChanged told of each job whose status is written or deleted (requests waiting for it)
     */
    static Topology build(JobKernel kernel, Consumer<ObjectStatus> verified, Consumer<Headers> deadLetters,
            Consumer<String> statusChanged) {
        StreamsBuilder b = new StreamsBuilder();
        // Cached: an object of 10,000 chunks has a ~1 MB progress; the cache writes it to the
        // changelog once per commit, not once per chunk result.
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ObjectTracker.STORE), KEYS,
                JsonSerde.of(ObjectProgress.class)).withCachingEnabled());
        // a few keys (this task's jobs), changed by every status and cleared ten times a second: cached,
        // its changelog gets the last value of each per commit
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ObjectTracker.TALLY_CHANGES), KEYS,
                JsonSerde.of(JobTally.class)).withCachingEnabled());
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobStatusProcessor.STORE), KEYS,
                JsonSerde.of(JobStatus.class)));
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobStatusProcessor.VIEWS), KEYS,
                JsonSerde.of(JobView.class)));

        KStream<String, Object> changes = b.stream(Topics.OBJECT_CHANGES,
                        Consumed.with(KEYS, JsonSerde.of(ObjectChanged.class)).withName("object-changes-source"))
                .mapValues(v -> (Object) v, Named.as("object-changes-in"));
        KStream<String, Object> results = b.stream(Topics.CHUNK_RESULTS,
                        Consumed.with(KEYS, JsonSerde.of(ChunkResult.class)).withName("chunk-results-source"))
                .mapValues(v -> (Object) v, Named.as("chunk-results-in"));
        Map<String, KStream<String, Object>> out = changes.merge(results, Named.as("object-events"))
                .process(ObjectTracker::new, Named.as("object-tracker"), ObjectTracker.STORE, ObjectTracker.TALLY_CHANGES)
                .split(Named.as("tracker-"))
                // a null status is a tombstone: the object was forgotten with its job
                .branch((k, v) -> v == null || v instanceof ObjectStatus, Branched.as("status"))
                .branch((k, v) -> v instanceof JobTally, Branched.as("tally-changes"))
                .branch((k, v) -> v instanceof ChunkTask, Branched.as("tasks"))
                .branch((k, v) -> v instanceof ObjectTrigger, Branched.as("triggers"))
                .noDefaultBranch();
        KStream<String, ObjectStatus> objectStatuses = out.get("tracker-status")
                .mapValues(v -> (ObjectStatus) v, Named.as("as-object-status"))
                .peek((key, status) -> verified.accept(status), Named.as("verified-latency"));
        objectStatuses.to(Topics.OBJECT_STATUS, Produced.with(KEYS, STATUS).withName("object-status-sink"));
        // an object's status turns FAILED once per plan: one event per failure, keyed by its job like the others
        objectStatuses.flatMap((key, status) -> {
            JobEvent failed = JobEvents.objectFailed(status);
            return failed == null ? List.<KeyValue<String, JobEvent>>of() : List.of(KeyValue.pair(status.job(), failed));
        }, Named.as("object-failures")).to(Topics.JOB_EVENTS, Produced.with(KEYS, JsonSerde.of(JobEvent.class))
                .withName("object-failed-events-sink"));
        out.get("tracker-tasks").mapValues(v -> (ChunkTask) v, Named.as("as-chunk-task"))
                .to(Topics.CHUNK_TASKS, Produced.with(KEYS, JsonSerde.of(ChunkTask.class)).withName("commit-tasks-sink"));
        out.get("tracker-triggers").mapValues(v -> (ObjectTrigger) v, Named.as("as-trigger"))
                .to(Topics.TRIGGERS, Produced.with(KEYS, JsonSerde.of(ObjectTrigger.class)).withName("triggers-sink"));

        // Each tracker task's changes of a job's counts, summed in the job's partition. Not cached,
        // nor is the scan log: a cache holds a change until the task commits, so a job's status
        // (and its Completed) came up to a commit interval after the change that made it. Both
        // change a few times a second per job, so a status per change costs little.
        KTable<String, JobTally> tallies = out.get("tracker-tally-changes")
                .mapValues(v -> (JobTally) v, Named.as("as-tally-change"))
                .groupByKey(Grouped.with("tally-changes-by-job", KEYS, JsonSerde.of(JobTally.class)))
                .aggregate(JobTally::empty, (job, change, t) -> t.plus(change), Named.as("job-tally"),
                        Materialized.<String, JobTally, KeyValueStore<Bytes, byte[]>>as(JOB_TALLY_STORE)
                                .withKeySerde(KEYS).withValueSerde(JsonSerde.of(JobTally.class)).withCachingDisabled());
        KStream<String, byte[]> jobRecords = b.stream(Topics.JOBS, Consumed.with(KEYS, Serdes.ByteArray()).withName("jobs-source"));
        // Each job record is read by the kernel once, here; the table keeps only what statuses need.
        // First of the job records' two readers: a tombstone deletes the job (and its status)
        // before its scan log is cleared, so the reset, sent on at once (the scan log has no
        // cache), finds the job gone and no status is computed for a deleted job.
        KTable<String, JobDefinition> jobs = jobRecords
                .flatMapValues((key, value) -> definition(kernel, key, value), Named.as("job-reader"))
                .toTable(Named.as("jobs-table"), Materialized.<String, JobDefinition, KeyValueStore<Bytes, byte[]>>as(JOBS_STORE)
                        .withKeySerde(KEYS).withValueSerde(JsonSerde.of(JobDefinition.class)));
        // A deleted job's scans are forgotten with it: a job created again under its name (the same
        // generation, 1) would otherwise be shown Completed from its predecessor's last scan until
        // a scan of its own started. Only scans started before the deletion: the new job's first
        // scan may be read before the tombstone (the two topics are read in timestamp order only
        // while both have records buffered), and a scan number is its start time in milliseconds.
        KStream<String, Object> jobDeletions = jobRecords.filter((key, value) -> value == null, Named.as("jobs-deleted"))
                .processValues(() -> new FixedKeyProcessor<String, byte[], Object>() {
                    private FixedKeyProcessorContext<String, Object> context;

                    @Override
                    public void init(FixedKeyProcessorContext<String, Object> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(FixedKeyRecord<String, byte[]> record) {
                        context.forward(record.withValue(new JobDeleted(record.timestamp())));
                    }
                }, Named.as("job-deleted-marks"));
        KTable<String, ScanLog> scans = b.stream(Topics.SCANS,
                        Consumed.with(KEYS, JsonSerde.of(ScanEvent.class)).withName("scans-source"))
                .mapValues(v -> (Object) v, Named.as("scans-in"))
                .merge(jobDeletions, Named.as("scans-and-deletions"))
                // keyed by the job as they come: no repartitioning, so no serde for the values
                .groupByKey(Grouped.<String, Object>as("scans-by-job").withKeySerde(KEYS))
                .aggregate(ScanLog::empty, (job, e, log) -> e instanceof ScanEvent scan ? log.apply(scan)
                                : log.generation() < ((JobDeleted) e).at() ? ScanLog.empty() : log,
                        Named.as("scan-log"),
                        Materialized.<String, ScanLog, KeyValueStore<Bytes, byte[]>>as(SCAN_LOG_STORE)
                                .withKeySerde(KEYS).withValueSerde(JsonSerde.of(ScanLog.class)).withCachingDisabled());
        jobs.leftJoin(scans, (job, log) -> new JobView(job, log, null), Named.as("job-with-scans"))
                .leftJoin(tallies, (view, tally) -> new JobView(view.job(), view.scans(), tally), Named.as("job-with-tally"))
                .toStream(Named.as("job-views"))
                .process(() -> new JobStatusProcessor(statusChanged), Named.as("job-status-builder"), JobStatusProcessor.STORE, JobStatusProcessor.VIEWS)
                .split(Named.as("job-"))
                // a null status is a tombstone: the job was deleted
                .branch((k, v) -> v == null || v instanceof JobStatus, Branched.withConsumer(statuses -> statuses
                        .mapValues(v -> (JobStatus) v, Named.as("as-job-status"))
                        .to(Topics.JOB_STATUS, Produced.with(KEYS, JsonSerde.of(JobStatus.class)).withName("job-status-sink")),
                        "status"))
                .branch((k, v) -> v instanceof JobEvent, Branched.withConsumer(events -> events
                        .mapValues(v -> (JobEvent) v, Named.as("as-job-event"))
                        .to(Topics.JOB_EVENTS, Produced.with(KEYS, JsonSerde.of(JobEvent.class)).withName("job-events-sink")),
                        "events"))
                .noDefaultBranch();
        // Last, so the sub-topologies above keep their numbers (and their tasks' state directories).
        b.stream(Topics.DEAD_LETTERS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letters-source"))
                .process(() -> new Processor<byte[], byte[], Void, Void>() {
                    @Override
                    public void process(Record<byte[], byte[]> record) {
                        deadLetters.accept(record.headers());
                    }
                }, Named.as("dead-letter-count"));
        return b.build();
    }

    /**
     * A job record as the table takes it: a tombstone stays one (the job was deleted), a valid job
     * becomes its definition, and an invalid one is left out, so an earlier valid version stays
     * current (the scanner parks the record on the dead-letter topic with the reason).
     */
    private static List<JobDefinition> definition(JobKernel kernel, String key, byte[] value) {
        if (value == null) {
            kernel.forget(key);
            return Arrays.asList((JobDefinition) null);
        }
        try {
            return List.of(JobDefinition.of(kernel.fromRecord(key, value)));
        } catch (InvalidJobException e) {
            return List.of();
        }
    }
}
