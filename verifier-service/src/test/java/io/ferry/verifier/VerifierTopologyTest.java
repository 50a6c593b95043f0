package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.AbortUpload;
import io.ferry.schemas.events.AuditCompleted;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkFailed;
import io.ferry.schemas.events.BatchResults;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CommitObject;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.JobEvent;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.events.ScanStarted;
import io.ferry.schemas.job.ConditionStatus;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.StorageEndpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifierTopologyTest {
    static final String JOB = "ml/llama";
    static final Endpoints ENDPOINTS = new Endpoints(new StorageEndpoint("file:///s/", Map.of()),
            new StorageEndpoint("file:///d/", Map.of()));
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    TopologyTestDriver driver;
    TestInputTopic<String, ObjectChanged> changes;
    TestInputTopic<String, ChunkResult> results;
    TestInputTopic<String, ScanEvent> scans;
    TestInputTopic<String, String> jobs;
    TestOutputTopic<String, ChunkTask> tasks;
    TestOutputTopic<String, ObjectTrigger> triggers;
    TestOutputTopic<String, JobStatus> jobStatus;
    TestOutputTopic<String, JobEvent> jobEvents;
    TestOutputTopic<String, ObjectStatus> objectStatuses;
    /** The last status written to ferry.object-status.v1 per key, read from {@link #objectStatuses}. */
    final Map<String, ObjectStatus> written = new HashMap<>();
    Instant now = T0;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Each job whose status the topology wrote or deleted, as requests waiting for it are told. */
    final List<String> statusesChanged = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "verifier-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("verifier-ttd").toString());
        driver = new TopologyTestDriver(VerifierTopology.build(registry, statusesChanged::add), p, T0);
        var keys = Serdes.String().serializer();
        changes = driver.createInputTopic(Topics.OBJECT_CHANGES, keys, JsonSerde.of(ObjectChanged.class), T0, java.time.Duration.ofMillis(10));
        results = driver.createInputTopic(Topics.CHUNK_RESULTS, keys, JsonSerde.of(ChunkResult.class), T0, java.time.Duration.ofMillis(10));
        scans = driver.createInputTopic(Topics.SCANS, keys, JsonSerde.of(ScanEvent.class), T0, java.time.Duration.ofMillis(10));
        jobs = driver.createInputTopic(Topics.JOBS, keys, new StringSerializer(), T0, java.time.Duration.ofMillis(10));
        var keysIn = Serdes.String().deserializer();
        tasks = driver.createOutputTopic(Topics.CHUNK_TASKS, keysIn, JsonSerde.of(ChunkTask.class));
        triggers = driver.createOutputTopic(Topics.TRIGGERS, keysIn, JsonSerde.of(ObjectTrigger.class));
        jobStatus = driver.createOutputTopic(Topics.JOB_STATUS, keysIn, JsonSerde.of(JobStatus.class));
        jobEvents = driver.createOutputTopic(Topics.JOB_EVENTS, keysIn, JsonSerde.of(JobEvent.class));
        objectStatuses = driver.createOutputTopic(Topics.OBJECT_STATUS, keysIn, JsonSerde.of(ObjectStatus.class));
    }

    @Test
    void shouldCountParkedRecordsByWhoParkedThemWithoutTakingAnyLabelFromAStranger() {
        var parked = driver.createInputTopic(Topics.DEAD_LETTERS, new ByteArraySerializer(), new ByteArraySerializer());
        var junk = new org.apache.kafka.clients.consumer.ConsumerRecord<>(Topics.CHUNK_TASKS, 3, 7L, new byte[0], new byte[] {1});
        var fromWorker = DeadLetters.of(junk, "unreadable", "transfer-service");
        parked.pipeInput(new TestRecord<>(fromWorker.key(), fromWorker.value(), fromWorker.headers()));
        parked.pipeInput(new TestRecord<>(fromWorker.key(), fromWorker.value(), fromWorker.headers()));
        var stranger = DeadLetters.of("attacker-" + UUID.randomUUID(), 0, 0, null, new byte[0], null, "x", "me-" + UUID.randomUUID());
        parked.pipeInput(new TestRecord<>(stranger.key(), stranger.value(), stranger.headers()));
        parked.pipeInput(new byte[] {1}, new byte[] {2});

        assertThat(registry.get("ferry.dead.letters").tag("rejected_by", "transfer-service").counter().count()).isEqualTo(2);
        assertThat(registry.get("ferry.dead.letters").tag("rejected_by", "other").counter().count()).isEqualTo(2);
        assertThat(registry.get("ferry.dead.letters").tag("rejected_by", "scanner-service").counter().count()).isZero();
        assertThat(registry.find("ferry.dead.letters").counters()).hasSize(4);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void submit(String mode) {
        jobs.pipeInput(JOB, """
                apiVersion: ome.io/v1beta1
                kind: ReplicationJob
                metadata: {name: llama, namespace: ml, generation: 1}
                spec:
                  mode: %s
                  source: {storageUri: file:///s/}
                  destination: {storageUri: file:///d/}
                """.formatted(mode));
    }

    static Checksum sum(String text) {
        var md = Checksum.newSha256();
        return Checksum.sha256(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static ObjectChanged single(String key, String planId, long generation) {
        return new ObjectChanged(JOB, key, planId, ObjectChanged.Change.UPSERT, 10, "v1", T0, generation, 0, 3, ENDPOINTS,
                CopyPlan.singlePut(10));
    }

    static ObjectChanged multipart(String key, String planId, int attempt, int chunks) {
        return new ObjectChanged(JOB, key, planId, ObjectChanged.Change.UPSERT, chunks * 100L, "v" + attempt, T0, 5, attempt, 1,
                ENDPOINTS, new CopyPlan(CopyPlan.Strategy.MULTIPART, 100, chunks, "upload-" + planId));
    }

    void plan(ObjectChanged c) {
        changes.pipeInput(c.job() + "|" + c.objectKey(), c);
        sendTallyChanges();
    }

    /** Lets the tracker send its tally changes on, as it does every {@link ObjectTracker#TALLY_EVERY}. */
    void sendTallyChanges() {
        driver.advanceWallClockTime(ObjectTracker.TALLY_EVERY);
    }

    /** A deleted job's withdrawal, as the scanner writes it to every partition. */
    static ObjectChanged withdrawal(String job) {
        return new ObjectChanged(job, null, "w", ObjectChanged.Change.WITHDRAWN, 0, null, Instant.EPOCH, 1, 0, 0, null,
                CopyPlan.singlePut(0));
    }

    void result(ChunkResult r) {
        results.pipeInput(r.recordKey(), r);
        sendTallyChanges();
    }

    void copyWhole(ObjectChanged c, String content, String readBack) {
        result(new ChunkCopied(JOB, c.objectKey(), c.planId(), c.version(), 0, 0, c.size(), sum(content), "w1"));
        result(new ObjectCommitted(JOB, c.objectKey(), c.planId(), c.version(), List.of(sum(readBack)), "w1"));
    }

    /** The object's last status written to ferry.object-status.v1, which the object pages must show too. */
    ObjectStatus objectStatus(String key) {
        return objectStatus(JOB, key);
    }

    ObjectStatus objectStatus(String job, String key) {
        objectStatuses.readRecordsToList().forEach(r -> {
            if (r.value() == null) {
                written.remove(r.key());
            } else {
                written.put(r.key(), r.value());
            }
        });
        ObjectStatus onTopic = written.get(job + "|" + key);
        ObjectProgress progress = driver.<String, ObjectProgress>getKeyValueStore(ObjectTracker.STORE).get(job + "|" + key);
        assertThat(progress == null ? null : progress.lastStatus()).as("the object page of %s", key).isEqualTo(onTopic);
        return onTopic;
    }

    JobStatus latestJobStatus() {
        List<JobStatus> all = jobStatus.readValuesToList();
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    /** A job of {@code mode} whose one object, a.json, is Verified and whose one scan settled. */
    void aJobOfOneVerifiedObject(String mode) {
        submit(mode);
        ObjectChanged a = single("a.json", "pa", 1);
        plan(a);
        copyWhole(a, "A", "A");
        scan(1, 1);
    }

    void scan(long generation, long planned) {
        scans.pipeInput(JOB, new ScanStarted(JOB, generation, 1, T0));
        scans.pipeInput(JOB, new ScanCompleted(JOB, generation, 1, T0, T0, planned, planned * 10, planned, planned * 10));
    }

    @Test
    void shouldVerifyABatchedObjectOnlyWhenTheReadBackMatchesAndCompleteTheJob() {
        submit("once");
        scans.pipeInput(JOB, new ScanStarted(JOB, 1, 1, T0));
        ObjectChanged a = single("a.json", "pa", 1);
        ObjectChanged b = single("b.json", "pb", 1);
        plan(a);
        plan(b);
        copyWhole(a, "A", "A");
        assertThat(objectStatus("a.json").state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(objectStatus("a.json").treeHash()).isEqualTo(Checksum.treeHash(List.of(sum("A"))));
        assertThat(objectStatus("b.json").state()).isEqualTo(ObjectState.PENDING);
        scans.pipeInput(JOB, new ScanCompleted(JOB, 1, 1, T0, T0, 2, 20, 2, 20));
        assertThat(latestJobStatus().phase()).isEqualTo(JobPhase.Running);
        copyWhole(b, "B", "B");
        JobStatus s = latestJobStatus();
        assertThat(s.phase()).isEqualTo(JobPhase.Completed);
        assertThat(s.isTrue(ConditionType.Verified)).isTrue();
        assertThat(s.isTrue(ConditionType.Completed)).isTrue();
        assertThat(s.completionTime()).isNotNull();
        assertThat(s.observedGeneration()).isEqualTo(1);
        assertThat(s.progress().objectsVerified()).isEqualTo(2);
        assertThat(s.message()).startsWith("Successfully replicated");
        assertThat(tasks.isEmpty()).as("batched objects need no commit task").isTrue();
        assertThat(jobEvents.readValuesToList()).as("one completion, with what was verified").singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(JobEvent.COMPLETED);
            assertThat(e.subject()).isEqualTo(JOB);
            assertThat(e.data().objectsVerified()).isEqualTo(2);
            assertThat(e.data().generation()).isEqualTo(1);
            assertThat(e.data().verifiedDigest()).as("the documented sum, computed here on its own")
                    .isEqualTo(digestOf(Map.of("a.json", Checksum.treeHash(List.of(sum("A"))),
                            "b.json", Checksum.treeHash(List.of(sum("B"))))));
        });
        // another status of the same completed run (a late duplicate result) is no second completion
        copyWhole(b, "B", "B");
        assertThat(jobEvents.readValuesToList()).isEmpty();
    }

    @Test
    void shouldVerifyAWholePutFromTheOneRecordThatCarriesWhatWasSentAndWhatWasReadBack() {
        submit("once");
        scans.pipeInput(JOB, new ScanStarted(JOB, 1, 1, T0));
        ObjectChanged good = single("good.json", "pg", 1);
        ObjectChanged torn = single("torn.json", "pt", 1);
        ObjectChanged parts = multipart("parts.bin", "pm", 0, 1);
        plan(good);
        plan(torn);
        plan(parts);
        result(new ObjectCommitted(JOB, "good.json", "pg", "v1", List.of(sum("G")), "w1", sum("G")));
        result(new ObjectCommitted(JOB, "torn.json", "pt", "v1", List.of(sum("other")), "w1", sum("T")));
        // what a whole put sent says nothing of a multipart plan's parts
        result(new ObjectCommitted(JOB, "parts.bin", "pm", "v0", List.of(sum("P")), "w1", sum("P")));

        assertThat(objectStatus("good.json").state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(objectStatus("good.json").treeHash()).isEqualTo(Checksum.treeHash(List.of(sum("G"))));
        assertThat(objectStatus("good.json").bytesCopied()).isEqualTo(10);
        assertThat(objectStatus("torn.json").failure()).isEqualTo("ChecksumMismatch");
        assertThat(objectStatus("parts.bin").failure()).isEqualTo("ChecksumMissing");
        assertThat(tasks.isEmpty()).as("no commit task for a multipart plan whose parts were never confirmed").isTrue();
        scans.pipeInput(JOB, new ScanCompleted(JOB, 1, 1, T0, T0, 3, 120, 3, 120));
        JobStatus s = latestJobStatus();
        assertThat(s.progress().objectsVerified()).isEqualTo(1);
        assertThat(s.progress().objectsFailed()).isEqualTo(2);
    }

    @Test
    void shouldTakeEachResultOfABatchRecordAsIfItHadComeAlone() {
        submit("once");
        scans.pipeInput(JOB, new ScanStarted(JOB, 1, 1, T0));
        ObjectChanged good = single("good.json", "pg", 1);
        ObjectChanged torn = single("torn.json", "pt", 1);
        ObjectChanged gone = single("gone.json", "px", 1);
        ObjectChanged early = single("early.json", "pe", 1);
        plan(good);
        plan(torn);
        plan(gone);
        result(new BatchResults(JOB, List.of(
                new ObjectCommitted(JOB, "good.json", "pg", "v1", List.of(sum("G")), "w1", sum("G")),
                new ObjectCommitted(JOB, "torn.json", "pt", "v1", List.of(sum("other")), "w1", sum("T")),
                new ChunkFailed(JOB, "gone.json", "px", "v1", 0, ChunkFailed.FailureReason.SOURCE_GONE, "gone", "w1"),
                // its plan comes after the batch: kept until it does
                new ObjectCommitted(JOB, "early.json", "pe", "v1", List.of(sum("E")), "w1", sum("E")))));

        assertThat(objectStatus("good.json").state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(objectStatus("torn.json").failure()).isEqualTo("ChecksumMismatch");
        assertThat(objectStatus("gone.json").state()).isEqualTo(ObjectState.GONE);
        assertThat(objectStatus("early.json")).as("no plan yet, no status").isNull();
        plan(early);
        assertThat(objectStatus("early.json").state()).isEqualTo(ObjectState.VERIFIED);
        scans.pipeInput(JOB, new ScanCompleted(JOB, 1, 1, T0, T0, 4, 40, 4, 40));
        JobStatus s = latestJobStatus();
        assertThat(s.progress().objectsVerified()).isEqualTo(2);
        assertThat(s.progress().objectsFailed()).isEqualTo(1);
    }

    @Test
    void shouldUpdateAJobsTallyOncePerIntervalWhateverTheNumberOfObjects() {
        submit("once");
        scans.pipeInput(JOB, new ScanStarted(JOB, 1, 1, T0));
        scans.pipeInput(JOB, new ScanCompleted(JOB, 1, 1, T0, T0, 50, 500, 50, 500));
        jobStatus.readValuesToList();
        Map<String, Checksum> trees = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            ObjectChanged c = single("o-" + i, "p-" + i, 1);
            changes.pipeInput(JOB + "|" + c.objectKey(), c);
            results.pipeInput(JOB + "|" + c.objectKey(), new ObjectCommitted(JOB, c.objectKey(), c.planId(), "v1",
                    List.of(sum("o" + i)), "w1", sum("o" + i)));
            trees.put(c.objectKey(), Checksum.treeHash(List.of(sum("o" + i))));
        }
        assertThat(jobStatus.readValuesToList()).as("100 statuses written, the job's tally not yet told").isEmpty();
        sendTallyChanges();
        JobStatus done = latestJobStatus();
        assertThat(done.phase()).isEqualTo(JobPhase.Completed);
        assertThat(done.progress().objectsVerified()).isEqualTo(50);
        assertThat(done.progress().bytesVerified()).isEqualTo(500);
        assertThat(jobEvents.readValuesToList()).singleElement()
                .satisfies(e -> assertThat(e.data().verifiedDigest()).isEqualTo(digestOf(trees)));
    }

    @Test
    void shouldTakeOutOfTheTallyWhatAnEarlierVerifierCountedFromTheStatusTopic() {
        // progress written before tallies were kept by the tracker has no 'counted'; what its last
        // status said is what the tally holds, and the next status replaces exactly that
        submit("once");
        ObjectChanged first = single("a.json", "p1", 1);
        plan(first);
        copyWhole(first, "A", "A");
        var progress = driver.<String, ObjectProgress>getKeyValueStore(ObjectTracker.STORE);
        ObjectProgress legacy = progress.get(JOB + "|a.json").withCounted(null);
        progress.put(JOB + "|a.json", legacy);
        ObjectChanged second = single("a.json", "p2", 2);
        plan(second);
        copyWhole(second, "A2", "A2");
        scans.pipeInput(JOB, new ScanStarted(JOB, 2, 1, T0));
        scans.pipeInput(JOB, new ScanCompleted(JOB, 2, 1, T0, T0, 1, 10, 1, 10));
        JobStatus s = latestJobStatus();
        assertThat(s.progress().objectsTotal()).isEqualTo(1);
        assertThat(s.progress().objectsVerified()).isEqualTo(1);
        assertThat(s.progress().bytesVerified()).isEqualTo(10);
        assertThat(s.phase()).isEqualTo(JobPhase.Completed);
    }

    @Test
    void shouldFailAnObjectWhoseDestinationDoesNotMatchWhatWasCopied() {
        submit("once");
        plan(single("torn.bin", "p", 1));
        copyWhole(single("torn.bin", "p", 1), "good bytes", "other bytes");
        scans.pipeInput(JOB, new ScanStarted(JOB, 1, 1, T0));
        scans.pipeInput(JOB, new ScanCompleted(JOB, 1, 1, T0, T0, 1, 10, 1, 10));
        assertThat(objectStatus("torn.bin").state()).isEqualTo(ObjectState.FAILED);
        assertThat(objectStatus("torn.bin").failure()).isEqualTo("ChecksumMismatch");
        JobStatus s = latestJobStatus();
        assertThat(s.phase()).isEqualTo(JobPhase.Failed);
        assertThat(s.condition(ConditionType.Verified).status().text()).isEqualTo("False");
        assertThat(jobEvents.readValuesToList()).extracting(JobEvent::type).as("the object's failure, then the run's")
                .containsExactly(JobEvent.OBJECT_FAILED, JobEvent.FAILED);
        // a late duplicate result of the failed plan is no second failure
        copyWhole(single("torn.bin", "p", 1), "good bytes", "other bytes");
        assertThat(jobEvents.readValuesToList()).isEmpty();
    }

    @Test
    void shouldTellOfAnObjectThatFailedForGoodOnceWithItsKeyAndReason() {
        submit("continuous");
        plan(single("torn.bin", "p", 1));
        copyWhole(single("torn.bin", "p", 1), "good bytes", "other bytes");
        List<JobEvent> events = jobEvents.readValuesToList();
        assertThat(events).filteredOn(e -> e.type().equals(JobEvent.OBJECT_FAILED)).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo(JOB);
            assertThat(e.id()).isEqualTo(JOB + "/p/" + JobEvent.OBJECT_FAILED);
            assertThat(e.data().objectKey()).isEqualTo("torn.bin");
            assertThat(e.data().reason()).isEqualTo("ChecksumMismatch");
            assertThat(e.data().message()).contains("destination has");
        });
        // planned again by the next scan, failing again: a second occurrence, a second event
        plan(single("torn.bin", "p2", 2));
        copyWhole(single("torn.bin", "p2", 2), "good bytes", "still other bytes");
        assertThat(jobEvents.readValuesToList()).extracting(JobEvent::id).containsExactly(JOB + "/p2/" + JobEvent.OBJECT_FAILED);
    }

    /** VerifiedDigest as README documents it: sum mod 2^256 of SHA-256(8-byte key length, key, tree hash). */
    static String digestOf(Map<String, Checksum> treeHashes) {
        java.math.BigInteger sum = java.math.BigInteger.ZERO;
        for (var e : treeHashes.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            var md = Checksum.newSha256();
            md.update(java.nio.ByteBuffer.allocate(8).putLong(key.length).array());
            md.update(key);
            md.update(e.getValue().value().getBytes(StandardCharsets.UTF_8));
            sum = sum.add(new java.math.BigInteger(1, md.digest()));
        }
        return "sha256-sum:" + String.format("%064x", sum.mod(java.math.BigInteger.ONE.shiftLeft(256)));
    }

    @Test
    void shouldIssueTheCommitOnlyAfterEveryChunkIsConfirmedThenVerifyTheReadBack() {
        submit("once");
        ObjectChanged big = multipart("big.safetensors", "p1", 0, 3);
        plan(big);
        for (int i : new int[] {2, 0, 2}) {
            result(new ChunkCopied(JOB, big.objectKey(), "p1", big.version(), i, i * 100L, 100, sum("c" + i), "w" + i));
        }
        assertThat(tasks.isEmpty()).isTrue();
        assertThat(objectStatus(big.objectKey()).chunksCopied()).isEqualTo(2);
        result(new ChunkCopied(JOB, big.objectKey(), "p1", big.version(), 1, 100, 100, sum("c1"), "w1"));
        List<ChunkTask> issued = tasks.readValuesToList();
        assertThat(issued).hasSize(1);
        CommitObject commit = (CommitObject) issued.get(0);
        assertThat(commit.uploadId()).isEqualTo("upload-p1");
        assertThat(commit.chunkCount()).isEqualTo(3);
        assertThat(commit.sentChunks()).as("for the store to confirm").containsExactly(sum("c0"), sum("c1"), sum("c2"));
        assertThat(objectStatus(big.objectKey()).state()).isEqualTo(ObjectState.COMMITTING);
        result(new ObjectCommitted(JOB, big.objectKey(), "p1", big.version(), List.of(sum("c0"), sum("c1"), sum("c2")), "w1"));
        assertThat(objectStatus(big.objectKey()).state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(objectStatus(big.objectKey()).treeHash()).isEqualTo(Checksum.treeHash(List.of(sum("c0"), sum("c1"), sum("c2"))));
    }

    @Test
    void shouldNeverStampAnObjectsStatusEarlierThanTheOneBeforeWhateverOrderItsResultsArriveIn() {
        submit("once");
        ObjectChanged big = multipart("big.safetensors", "p1", 0, 2);
        Instant planned = T0.plusSeconds(10);
        changes.pipeInput(JOB + "|" + big.objectKey(), big, planned);
        // two workers: the one that stamped its result later was appended first
        results.pipeInput(JOB + "|" + big.objectKey(),
                new ChunkCopied(JOB, big.objectKey(), "p1", big.version(), 1, 100, 100, sum("c1"), "w2"), planned.plusMillis(300));
        results.pipeInput(JOB + "|" + big.objectKey(),
                new ChunkCopied(JOB, big.objectKey(), "p1", big.version(), 0, 0, 100, sum("c0"), "w1"), planned.plusMillis(200));
        results.pipeInput(JOB + "|" + big.objectKey(),
                new ObjectCommitted(JOB, big.objectKey(), "p1", big.version(), List.of(sum("c0"), sum("c1")), "w1"),
                planned.plusMillis(250));

        var statuses = objectStatuses.readRecordsToList();
        assertThat(statuses).extracting(r -> r.value().state())
                .containsExactly(ObjectState.PENDING, ObjectState.COPYING, ObjectState.COMMITTING, ObjectState.VERIFIED);
        assertThat(statuses).extracting(r -> r.getRecordTime())
                .containsExactly(planned, planned.plusMillis(300), planned.plusMillis(300), planned.plusMillis(300));
        assertThat(statuses).extracting(r -> r.value().updatedAt())
                .containsExactly(planned, planned.plusMillis(300), planned.plusMillis(300), planned.plusMillis(300));

        // a result stamped a day ahead (a wrong clock, a forged time) dates its own status only
        ObjectChanged other = multipart("other.safetensors", "p2", 0, 2);
        changes.pipeInput(JOB + "|" + other.objectKey(), other, planned);
        results.pipeInput(JOB + "|" + other.objectKey(),
                new ChunkCopied(JOB, other.objectKey(), "p2", other.version(), 0, 0, 100, sum("c0"), "w1"), planned.plusSeconds(86_400));
        results.pipeInput(JOB + "|" + other.objectKey(),
                new ChunkCopied(JOB, other.objectKey(), "p2", other.version(), 1, 100, 100, sum("c1"), "w2"), planned.plusMillis(400));
        assertThat(objectStatuses.readRecordsToList()).extracting(r -> r.getRecordTime())
                .containsExactly(planned, planned.plusSeconds(86_400), planned.plusMillis(400));
    }

    @Test
    void shouldReplanASourceThatChangedMidCopyAndIgnoreTheAbandonedPlan() {
        submit("once");
        ObjectChanged first = multipart("ckpt.pt", "p1", 0, 2);
        plan(first);
        result(new ChunkCopied(JOB, "ckpt.pt", "p1", "v0", 0, 0, 100, sum("old0"), "w1"));
        result(new ChunkFailed(JOB, "ckpt.pt", "p1", "v0", 1, ChunkFailed.FailureReason.SOURCE_CHANGED, "moved", "w2"));
        List<ObjectTrigger> asked = triggers.readValuesToList();
        assertThat(asked).singleElement().satisfies(t -> {
            assertThat(t.objectKey()).isEqualTo("ckpt.pt");
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.generation()).isEqualTo(5);
        });
        assertThat(tasks.readValuesToList()).singleElement().isInstanceOf(AbortUpload.class);
        assertThat(objectStatus("ckpt.pt").state()).as("not final while re-planned").isEqualTo(ObjectState.PENDING);
        // a late chunk of the abandoned plan changes nothing
        result(new ChunkCopied(JOB, "ckpt.pt", "p1", "v0", 1, 100, 100, sum("old1"), "w2"));
        assertThat(objectStatus("ckpt.pt").chunksCopied()).isEqualTo(1);

        ObjectChanged second = multipart("ckpt.pt", "p2", 1, 2);
        plan(second);
        result(new ChunkCopied(JOB, "ckpt.pt", "p2", "v1", 0, 0, 100, sum("new0"), "w1"));
        result(new ChunkCopied(JOB, "ckpt.pt", "p2", "v1", 1, 100, 100, sum("new1"), "w2"));
        result(new ObjectCommitted(JOB, "ckpt.pt", "p2", "v1", List.of(sum("new0"), sum("new1")), "w1"));
        assertThat(objectStatus("ckpt.pt").state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(objectStatus("ckpt.pt").version()).isEqualTo("v1");
        assertThat(objectStatus("ckpt.pt").attempt()).isEqualTo(1);
    }

    @Test
    void shouldAbortTheOpenUploadOfAnObjectWithdrawnWithItsJob() {
        ObjectChanged big = multipart("shard.bin", "p1", 0, 2);
        plan(big);
        result(new ChunkCopied(JOB, "shard.bin", "p1", big.version(), 0, 0, 100, sum("c0"), "w1"));
        plan(withdrawal(JOB));
        assertThat(tasks.readValuesToList()).singleElement().isInstanceOfSatisfying(AbortUpload.class,
                a -> assertThat(a.uploadId()).isEqualTo("upload-p1"));
        assertThat(objectStatus("shard.bin")).as("forgotten with its job").isNull();
    }

    @Test
    void shouldForgetAVerifiedObjectWithItsJobSoTheJobCreatedAgainStartsFromNothing() {
        aJobOfOneVerifiedObject("once");
        assertThat(objectStatus("a.json").state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(latestJobStatus().progress().objectsVerified()).isEqualTo(1);
        plan(withdrawal(JOB));
        assertThat(objectStatus("a.json")).isNull();
        assertThat(tasks.readValuesToList()).as("nothing to abort for a verified object").isEmpty();
        assertThat(latestJobStatus().progress().objectsTotal()).isZero();
    }

    @Test
    void shouldNotShowAJobCreatedAgainCompletedFromTheScansOfTheJobDeletedBeforeIt() {
        aJobOfOneVerifiedObject("once");
        assertThat(latestJobStatus().phase()).isEqualTo(JobPhase.Completed);
        jobEvents.readValuesToList();

        jobs.pipeInput(JOB, (String) null);
        assertThat(jobStatus.readRecordsToList()).as("the deleted job's status is deleted, and nothing else is said of it")
                .singleElement().satisfies(r -> assertThat(r.value()).isNull());
        plan(withdrawal(JOB));
        submit("once");
        JobStatus again = latestJobStatus();
        assertThat(again.phase()).as(again.message()).isEqualTo(JobPhase.Pending);
        assertThat(again.isTrue(ConditionType.Completed)).isFalse();
        assertThat(jobEvents.readValuesToList()).as("no completion of the new job").isEmpty();
    }

    @Test
    void shouldKeepTheFirstScanOfAJobCreatedAgainWhenItIsReadBeforeThePredecessorsTombstone() {
        submit("once");
        scan(1, 0);
        long afterTheDeletion = T0.plusSeconds(3600).toEpochMilli();
        scans.pipeInput(JOB, new ScanStarted(JOB, afterTheDeletion, 1, T0.plusSeconds(3600)));
        jobs.pipeInput(JOB, (String) null);
        submit("once");
        JobStatus again = latestJobStatus();
        assertThat(again.phase()).as(again.message()).isEqualTo(JobPhase.Running);
        assertThat(again.isTrue(ConditionType.Started)).isTrue();
    }

    @Test
    void shouldForgetEveryObjectOfTheWithdrawnJobPlannedOrVerifiedAndNothingOfAnother() {
        ObjectChanged verified = single("a.json", "pa", 1);
        plan(verified);
        copyWhole(verified, "A", "A");
        plan(single("in-flight.json", "pb", 1));
        ObjectChanged other = new ObjectChanged(JOB + "-2", "a.json", "po", ObjectChanged.Change.UPSERT, 10, "v1", T0, 1, 0, 3,
                ENDPOINTS, CopyPlan.singlePut(10));
        plan(other);
        int pastTwoPages = 2 * ObjectTracker.FORGET_PAGE + 1;
        for (int i = 0; i < pastTwoPages; i++) {
            plan(single("many/" + i, "pm" + i, 1));
        }
        assertThat(objectStatus("a.json").state()).isEqualTo(ObjectState.VERIFIED);

        plan(withdrawal(JOB));
        assertThat(objectStatus("a.json")).isNull();
        assertThat(objectStatus("in-flight.json")).isNull();
        assertThat(objectStatus("many/0")).isNull();
        assertThat(objectStatus("many/" + (pastTwoPages - 1))).as("past the first pages").isNull();
        assertThat(objectStatus(JOB + "-2", "a.json")).as("a job whose name starts the same").isNotNull();
    }

    @Test
    void shouldGiveUpOnASourceThatKeepsChanging() {
        ObjectChanged last = multipart("hot.log", "p9", 1, 1);
        plan(last);
        result(new ChunkFailed(JOB, "hot.log", "p9", "v1", 0, ChunkFailed.FailureReason.SOURCE_CHANGED, "moved", "w1"));
        assertThat(triggers.isEmpty()).isTrue();
        assertThat(objectStatus("hot.log").state()).isEqualTo(ObjectState.FAILED);
        assertThat(objectStatus("hot.log").message()).contains("gave up after 2 attempts");
    }

    @Test
    void shouldKeepResultsThatArriveBeforeTheirPlan() {
        ObjectChanged a = single("early.json", "pe", 1);
        copyWhole(a, "E", "E");
        assertThat(objectStatus("early.json")).isNull();
        plan(a);
        assertThat(objectStatus("early.json").state()).isEqualTo(ObjectState.VERIFIED);
    }

    ObjectProgress progress(String key) {
        return driver.<String, ObjectProgress>getKeyValueStore(ObjectTracker.STORE).get(JOB + "|" + key);
    }

    @Test
    void shouldDropLateResultsOfASupersededPlanSoTheStateStaysBounded() {
        ObjectChanged first = multipart("ckpt.pt", "p1", 0, 3);
        plan(first);
        ObjectChanged second = multipart("ckpt.pt", "p2", 1, 3);
        plan(second);
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 3; i++) {
                result(new ChunkCopied(JOB, "ckpt.pt", "p1", "v0", i, i * 100L, 100, sum("late" + i), "w" + round));
            }
        }
        assertThat(progress("ckpt.pt").early()).as("late results of p1 are not kept").isEmpty();
        assertThat(progress("ckpt.pt").superseded()).containsExactly("p1");
        assertThat(objectStatus("ckpt.pt").planId()).isEqualTo("p2");
    }

    @Test
    void shouldKeepResultsOfALaterPlanThatArriveBeforeAnEarlierPlan() {
        // Streams may read chunk-results ahead of object-changes: p2's result can precede p1's plan.
        ObjectChanged first = single("model.bin", "p1", 1);
        ObjectChanged second = single("model.bin", "p2", 2);
        copyWhole(second, "B", "B");
        plan(first);
        assertThat(progress("model.bin").early()).as("p2's results wait for p2").hasSize(2);
        plan(second);
        assertThat(objectStatus("model.bin").state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(objectStatus("model.bin").planId()).isEqualTo("p2");
        assertThat(progress("model.bin").early()).isEmpty();
    }

    @Test
    void shouldBoundResultsWaitingForAPlanThatNeverCame() {
        // On the progress itself: through the driver, 10,000 rewrites of a growing record take minutes.
        ObjectProgress p = ObjectProgress.NOTHING;
        for (int i = 0; i < ObjectProgress.MAX_EARLY + 5; i++) {
            p = p.withEarly(new ChunkCopied(JOB, "lost.bin", "never", "v1", i, i * 100L, 100, sum("x"), "w1"));
        }
        assertThat(p.early()).hasSize(ObjectProgress.MAX_EARLY);
        assertThat(p.early().get(0)).isInstanceOfSatisfying(ChunkCopied.class,
                c -> assertThat(c.chunkIndex()).as("the oldest went first").isEqualTo(5));
    }

    @Test
    void shouldRecordAnObjectDeletedBeforeItWasCopiedAsGoneAndStillComplete() {
        submit("once");
        plan(single("kept.json", "pk", 1));
        plan(single("vanished.json", "pv", 1));
        copyWhole(single("kept.json", "pk", 1), "K", "K");
        result(new ChunkFailed(JOB, "vanished.json", "pv", "v1", 0, ChunkFailed.FailureReason.SOURCE_GONE, "no such object", "w1"));
        scan(1, 2);
        assertThat(objectStatus("vanished.json").state()).isEqualTo(ObjectState.GONE);
        JobStatus s = latestJobStatus();
        assertThat(s.phase()).isEqualTo(JobPhase.Completed);
        assertThat(s.progress().objectsTotal()).isEqualTo(1);
    }

    @Test
    void shouldKeepObjectsGoneAtTheSourceAsGoneAndLetRemovedOnesLeaveTheJob() {
        submit("continuous");
        for (String key : List.of("a.json", "b.json", "c.json")) {
            plan(single(key, "p-" + key, 1));
            copyWhole(single(key, "p-" + key, 1), "A", "A");
        }
        scan(1, 3);
        assertThat(latestJobStatus().progress().objectsTotal()).isEqualTo(3);
        // scan 2 finds b gone (keep, or held back) and c's copy deleted (propagate): b counts as planned, c does not
        scans.pipeInput(JOB, new ScanStarted(JOB, 2, 1, T0));
        plan(new ObjectChanged(JOB, "b.json", "gone-b", ObjectChanged.Change.DELETE, 0, null, T0, 2, 0, 3, ENDPOINTS,
                CopyPlan.singlePut(0)));
        plan(new ObjectChanged(JOB, "c.json", "removed-c", ObjectChanged.Change.REMOVED, 0, null, T0, 2, 0, 3, ENDPOINTS,
                CopyPlan.singlePut(0)));
        scans.pipeInput(JOB, new ScanCompleted(JOB, 2, 1, T0, T0, 1, 10, 1, 0, 1, 1, 0, 3));
        assertThat(objectStatus("b.json").state()).isEqualTo(ObjectState.GONE);
        assertThat(objectStatus("c.json")).as("left the job").isNull();
        JobStatus s = latestJobStatus();
        assertThat(s.progress().objectsTotal()).isEqualTo(1);
        assertThat(s.progress().objectsGone()).isEqualTo(1);
        assertThat(s.isTrue(ConditionType.InSync)).isTrue();
        assertThat(s.message()).contains("1 objects gone at the source kept at the destination");
        assertThat(s.isTrue(ConditionType.HealthCheck)).isTrue();

        // a copy deleted on an event (no scan): scan 2's final count drops, and it stays settled
        plan(new ObjectChanged(JOB, "a.json", "removed-a", ObjectChanged.Change.REMOVED, 0, null, T0, 4, 0, 3, ENDPOINTS,
                CopyPlan.singlePut(0)));
        JobStatus afterEvent = latestJobStatus();
        assertThat(afterEvent.progress().objectsTotal()).isZero();
        assertThat(afterEvent.isTrue(ConditionType.InSync)).as("still settled, still in sync").isTrue();
        plan(single("a.json", "pa-back", 5));
        copyWhole(single("a.json", "pa-back", 5), "A", "A");
        assertThat(latestJobStatus().isTrue(ConditionType.InSync)).isTrue();

        // scan 3: propagate finds more gone than ome.io/max-delete allows and deletes none
        scans.pipeInput(JOB, new ScanStarted(JOB, 3, 1, T0));
        plan(new ObjectChanged(JOB, "a.json", "gone-a", ObjectChanged.Change.DELETE, 0, null, T0, 3, 0, 3, ENDPOINTS,
                CopyPlan.singlePut(0)));
        scans.pipeInput(JOB, new ScanCompleted(JOB, 3, 1, T0, T0, 0, 0, 1, 0, 1, 0, 2, 1));
        JobStatus held = latestJobStatus();
        assertThat(held.condition(ConditionType.InSync).status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(held.condition(ConditionType.InSync).reason()).isEqualTo("DeleteLimitExceeded");
        assertThat(held.condition(ConditionType.HealthCheck).reason()).isEqualTo("DeleteLimitExceeded");
        assertThat(held.condition(ConditionType.HealthCheck).message())
                .contains("2 objects are gone at the source", "(1)", "nothing was deleted");
        assertThat(held.message()).contains("ome.io/max-delete");
    }

    @Test
    void shouldReportAContinuousJobInSyncInsteadOfCompleted() {
        submit("continuous");
        plan(single("a.json", "pa", 1));
        copyWhole(single("a.json", "pa", 1), "A", "A");
        scan(1, 1);
        JobStatus s = latestJobStatus();
        assertThat(s.phase()).isEqualTo(JobPhase.Running);
        assertThat(s.isTrue(ConditionType.InSync)).isTrue();
        assertThat(s.condition(ConditionType.Completed)).isNull();
        assertThat(s.progress().settledGeneration()).isEqualTo(1);
        // the next scan finds one change: not in sync until it is verified
        scans.pipeInput(JOB, new ScanStarted(JOB, 2, 1, T0));
        plan(new ObjectChanged(JOB, "a.json", "pa2", ObjectChanged.Change.UPSERT, 11, "v2", T0, 2, 0, 3, ENDPOINTS,
                CopyPlan.singlePut(11)));
        scans.pipeInput(JOB, new ScanCompleted(JOB, 2, 1, T0, T0, 1, 11, 1, 11));
        assertThat(latestJobStatus().isTrue(ConditionType.InSync)).isFalse();
        result(new ChunkCopied(JOB, "a.json", "pa2", "v2", 0, 0, 11, sum("A2"), "w1"));
        result(new ObjectCommitted(JOB, "a.json", "pa2", "v2", List.of(sum("A2")), "w1"));
        JobStatus again = latestJobStatus();
        assertThat(again.isTrue(ConditionType.InSync)).isTrue();
        assertThat(again.progress().settledGeneration()).isEqualTo(2);
        assertThat(again.progress().objectsTotal()).isEqualTo(1);
        assertThat(jobEvents.readValuesToList()).extracting(JobEvent::type)
                .as("in sync, out while the change was on its way, in again; never Completed")
                .containsExactly(JobEvent.IN_SYNC, JobEvent.OUT_OF_SYNC, JobEvent.IN_SYNC);
    }

    @Test
    void shouldShowWhatTheAuditRepairedAndNotClaimInSyncUntilTheRepairIsVerified() {
        aJobOfOneVerifiedObject("continuous");
        assertThat(latestJobStatus().isTrue(ConditionType.InSync)).isTrue();
        // the audit found a.json gone from the destination and planned it again under scan 1
        Instant audited = T0.plusSeconds(30);
        scans.pipeInput(JOB, new AuditCompleted(JOB, 1, 1, T0, audited, 1, 0, 0, 1, 0, 0));
        ObjectChanged again = single("a.json", "pa-repair", 1);
        plan(again);
        JobStatus repairing = latestJobStatus();
        assertThat(repairing.isTrue(ConditionType.InSync)).as("a repair in flight").isFalse();
        assertThat(repairing.progress().lastAuditCompletedAt()).isEqualTo(audited);
        assertThat(repairing.progress().objectsRepaired()).isEqualTo(1);
        copyWhole(again, "A", "A");
        JobStatus repaired = latestJobStatus();
        assertThat(repaired.isTrue(ConditionType.InSync)).isTrue();
        assertThat(repaired.condition(ConditionType.InSync).message())
                .contains("destination audited at " + audited + ": 1 objects checked, 0 re-hashed, 1 missing and 0 different");
        // a scan after it keeps what the audit found
        scan(2, 0);
        assertThat(latestJobStatus().progress().objectsAudited()).isEqualTo(1);
    }

    @Test
    void shouldNotClaimInSyncOnceTheNextScanIsOverdueAndSayWhy() {
        submit("continuous");
        plan(single("a.json", "pa", 1));
        copyWhole(single("a.json", "pa", 1), "A", "A");
        scan(1, 1);
        JobStatus inSync = latestJobStatus();
        assertThat(inSync.isTrue(ConditionType.InSync)).isTrue();
        assertThat(inSync.progress().lastScanCompletedAt()).isNotNull();
        assertThat(inSync.progress().settledAt()).isNotNull();

        // no scan comes: within an interval and its grace nothing changes ...
        driver.advanceWallClockTime(Duration.ofSeconds(60).plus(JobStatuses.grace(Duration.ofSeconds(60))).minusSeconds(20));
        assertThat(jobStatus.readValuesToList()).isEmpty();
        // ... past them, InSync is unknown and the status says since when and what to check
        driver.advanceWallClockTime(Duration.ofSeconds(40));
        JobStatus overdue = latestJobStatus();
        assertThat(overdue.condition(ConditionType.InSync).status()).isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(overdue.condition(ConditionType.InSync).reason()).isEqualTo("ScansOverdue");
        assertThat(overdue.condition(ConditionType.HealthCheck).status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(overdue.message()).contains("No scan since the one completed at").contains("Is the scanner running");
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(jobStatus.readValuesToList()).as("nothing new to say").isEmpty();

        // the scanner is back: the next scan completes and settles, and the job is in sync again
        Instant later = T0.plus(Duration.ofMinutes(5));
        scans.pipeInput(JOB, new ScanStarted(JOB, 2, 1, later), later);
        scans.pipeInput(JOB, new ScanCompleted(JOB, 2, 1, later, later, 1, 10, 0, 0), later);
        JobStatus back = latestJobStatus();
        assertThat(back.isTrue(ConditionType.InSync)).isTrue();
        assertThat(back.condition(ConditionType.HealthCheck).status()).isEqualTo(ConditionStatus.TRUE);
    }

    @Test
    void shouldNotCompleteWhileObjectsOfAnEarlierScanAreStillInFlight() {
        // a scanner restarted mid-job: scan 1's object is still copying when scan 2 (nothing new) settles
        submit("once");
        scans.pipeInput(JOB, new ScanStarted(JOB, 1, 1, T0));
        plan(single("slow.bin", "ps", 1));
        scans.pipeInput(JOB, new ScanStarted(JOB, 2, 1, T0));
        scans.pipeInput(JOB, new ScanCompleted(JOB, 2, 1, T0, T0, 1, 10, 0, 0));
        JobStatus waiting = latestJobStatus();
        assertThat(waiting.phase()).isEqualTo(JobPhase.Running);
        assertThat(waiting.isTrue(ConditionType.Verified)).isFalse();
        copyWhole(single("slow.bin", "ps", 1), "S", "S");
        assertThat(latestJobStatus().phase()).isEqualTo(JobPhase.Completed);
    }

    @Test
    void shouldKeepTransitionTimesWhileAConditionHoldsAndDropStatusWithTheJob() {
        submit("once");
        scans.pipeInput(JOB, new ScanStarted(JOB, 1, 1, T0), T0.plusSeconds(1));
        plan(single("a.json", "pa", 1));
        JobStatus running = latestJobStatus();
        Instant started = running.condition(ConditionType.Started).lastTransitionTime();
        scans.pipeInput(JOB, new ScanCompleted(JOB, 1, 1, T0, T0, 1, 10, 1, 10), T0.plusSeconds(30));
        assertThat(latestJobStatus().condition(ConditionType.Started).lastTransitionTime()).isEqualTo(started);
        jobs.pipeInput(JOB, (String) null);
        List<org.apache.kafka.streams.test.TestRecord<String, JobStatus>> out = new ArrayList<>(jobStatus.readRecordsToList());
        assertThat(out.get(out.size() - 1).value()).as("tombstone").isNull();
    }

    @Test
    void shouldTellWhoWaitsForAJobsStatusOfEveryStatusWrittenOrDeleted() {
        aJobOfOneVerifiedObject("continuous");
        // time alone changes a continuous job's status: the next scan is overdue
        driver.advanceWallClockTime(java.time.Duration.ofHours(1));
        jobs.pipeInput(JOB, (String) null);

        List<String> written = jobStatus.readKeyValuesToList().stream().map(kv -> kv.key).toList();
        assertThat(written).hasSizeGreaterThan(3).containsOnly(JOB);
        assertThat(statusesChanged).as("one for each status written, the tombstone too").isEqualTo(written);
    }
}
