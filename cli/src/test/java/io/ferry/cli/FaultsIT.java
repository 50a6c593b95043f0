package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.kafka.broker.ChildProcesses;
import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.Json;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.AuditCompleted;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.StorageUri;
import io.ferry.testing.TestData;
import io.ferry.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on real processes, each ending with a byte-identical, Verified destination:
 * <ul>
 *   <li>a continuous job keeps syncing while some producer writes junk to every topic Ferry reads,
 *       and after the scanner and the verifier restart and replay that junk from the compacted
 *       topics; every junk record is parked on the dead-letter topic;</li>
 *   <li>an object whose tasks were lost stays in flight only until the in-flight timeout: it is
 *       planned again and the once job completes;</li>
 *   <li>a job deleted and created again starts from nothing;</li>
 *   <li>the verifier killed (SIGKILL) mid-job, the scanner killed mid-scan, and the broker restarted
 *       on its data directory mid-job: each job still ends byte-identical and Verified;</li>
 *   <li>a destination object deleted and another corrupted (same size) after Verified are found by
 *       the destination audit and copied again.</li>
 * </ul>
 */
class FaultsIT {
    static final String KEY = "fault/junk";
    static final Duration TIMEOUT = Duration.ofMinutes(4);
    static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);
    static FerryClient client;

    @BeforeAll
    static void startCluster() throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 1, Map.of("ferry.topics.partitions", "4",
                "ferry.scanner.in-flight-timeout", IN_FLIGHT_TIMEOUT.toSeconds() + "s",
                // Small batches make a scan of a few hundred files take hundreds of transactions: long
                // enough to kill the scanner in the middle of one.
                "ferry.scanner.batch-max-objects", "4",
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir)));
        client = cluster.client();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What a careless or hostile producer may write: not JSON, empty, JSON null, unknown types, nulls where values belong. */
    static List<byte[]> junk(String topic) {
        var values = new ArrayList<>(List.of(TestData.bytes(64, topic.hashCode()), utf8("{}"), utf8("null"), utf8("[1,2]"),
                utf8("{\"type\":\"NoSuchThing\",\"job\":null}")));
        values.add(utf8(switch (topic) {
            case Topics.CHUNK_TASKS -> "{\"type\":\"CopyPart\",\"job\":\"fault/junk\",\"objectKey\":null,\"endpoints\":null}";
            case Topics.CHUNK_RESULTS -> "{\"type\":\"ChunkFailed\",\"job\":\"fault/junk\",\"objectKey\":\"a\",\"planId\":\"p\","
                    + "\"reason\":null}";
            case Topics.OBJECT_CHANGES -> "{\"job\":\"fault/junk\",\"objectKey\":\"a\",\"planId\":null,\"change\":\"UPSERT\"}";
            case Topics.SCANS -> "{\"type\":\"ScanFailed\",\"job\":\"fault/junk\",\"side\":null}";
            case Topics.OBJECT_STATUS -> "{\"job\":\"fault/junk\",\"objectKey\":\"a\",\"state\":null}";
            case Topics.JOB_STATUS -> "{\"job\":\"fault/junk\",\"phase\":null}";
            case Topics.TRIGGERS -> "{\"job\":null,\"objectKey\":\"a\"}";
            default -> "{\"metadata\":{\"name\":\"Not_A_Name\"},\"spec\":{}}";
        }));
        return values;
    }

    @Test
    void shouldKeepSyncingThroughJunkOnEveryTopicAndRestartsThatReplayIt() throws Exception {
        Path source = dir.resolve("source");
        Path destination = dir.resolve("destination");
        SampleData.generate(source, 40, 1, (3L << 20) + 5, 9);
        client.submit(JobBuilder.job("fault", "junk").mode("continuous").scanInterval("2s")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination))
                .bothSides("multipart_threshold", "1MiB").bothSides("multipart_chunksize", "1MiB").json());
        awaitVerified(41);

        // Junk on every topic a service reads, keyed like the records it sits among: under this
        // job's objects on the compacted status topic, under other job names elsewhere.
        // (the job events are Ferry's output for others: no service of Ferry reads them)
        List<String> topics = Topics.ALL.stream().map(Topics.TopicSpec::name)
                .filter(t -> !t.equals(Topics.DEAD_LETTERS) && !t.equals(Topics.JOB_EVENTS)).toList();
        int written = 0;
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : topics) {
                List<byte[]> values = junk(topic);
                for (int i = 0; i < values.size(); i++) {
                    String key = topic.equals(Topics.OBJECT_STATUS) ? KEY + "|weights/model-00001-of-00001.safetensors"
                            : topic.equals(Topics.JOBS) ? "junk/job-" + i : KEY + "|junk-" + i;
                    producer.send(new ProducerRecord<>(topic, utf8(key), values.get(i))).get();
                    written++;
                }
            }
        }

        Files.writeString(source.resolve("added-after-junk.txt"), "new");
        Files.write(source.resolve("tokenizer/part-1/shard-0/file-1.json"), TestData.bytes(4096, 1));
        awaitVerified(42);
        EndToEndIT.assertSameTree(source, destination);

        // A restart reads the compacted topics from the start, junk and all.
        cluster.scanner().restart(LocalCluster.readyTimeout());
        cluster.verifier().restart(LocalCluster.readyTimeout());
        Files.writeString(source.resolve("added-after-restart.txt"), "newer");
        awaitVerified(43);
        EndToEndIT.assertSameTree(source, destination);

        // Nothing is lost: each junk record is parked by a service that reads its topic, with the reason.
        int expected = written;
        var parked = TopicReader.readUntil(cluster.bootstrapServers(), Topics.DEAD_LETTERS,
                rs -> distinctSources(rs).size() >= expected, TIMEOUT);
        Set<String> sources = distinctSources(parked);
        for (String topic : topics) {
            assertThat(sources).as("junk parked from %s", topic).filteredOn(s -> s.startsWith(topic + "-")).hasSize(junk(topic).size());
        }
        assertThat(parked).allSatisfy(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).isNotBlank());
        assertThat(parked.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.REJECTED_BY)).collect(Collectors.toSet()))
                .contains("scanner-service", "ferry-scanner", "ferry-verifier", "transfer-service");
    }

    @Test
    void shouldPlanAgainAnObjectWhoseTasksWereLostAndCompleteTheOnceJob() throws Exception {
        String key = "fault/lost";
        Path source = dir.resolve("lost-source");
        Path destination = dir.resolve("lost-destination");
        SampleData.generate(source, 10, 0, 0, 4);
        var job = JobBuilder.job("fault", "lost").source(StorageUri.directory(source)).destination(StorageUri.directory(destination));
        client.submit(job.json());
        assertThat(client.awaitStatus(key, s -> s.phase() == JobPhase.Completed, TIMEOUT).progress().objectsVerified()).isEqualTo(10);

        // A plan of one object whose tasks never reach a worker (as if lost): the verifier now
        // believes that object on its way, so a re-scan leaves it alone ...
        var changes = JsonSerde.of(ObjectChanged.class);
        ObjectChanged planned = TopicReader.readAll(cluster.bootstrapServers(), Topics.OBJECT_CHANGES).stream()
                .filter(r -> r.key().startsWith(key + "|")).map(r -> changes.deserialize(r.topic(), r.value()))
                .findFirst().orElseThrow();
        ObjectChanged lost = new ObjectChanged(planned.job(), planned.objectKey(), "lost-plan", planned.change(), planned.size(),
                planned.version(), planned.modified(), planned.generation(), 0, planned.maxRetries(), planned.endpoints(),
                planned.plan());
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.OBJECT_CHANGES, utf8(key + "|" + lost.objectKey()),
                    changes.serialize(Topics.OBJECT_CHANGES, lost))).get();
        }
        client.awaitStatus(key, s -> s.progress() != null && s.progress().objectsInFlight() == 1, TIMEOUT);
        Files.delete(destination.resolve(lost.objectKey()));

        // ... and the job run again (a new generation) would wait for it forever. Past the
        // in-flight timeout it is planned again, copied and verified, and the job completes.
        client.submit(job.annotation("ferry.io/run", "2").json());
        JobStatus done = client.awaitStatus(key, s -> s.observedGeneration() == 2 && s.phase() == JobPhase.Completed, TIMEOUT);
        assertThat(done.isTrue(ConditionType.Verified)).isTrue();
        assertThat(done.progress().objectsVerified()).isEqualTo(10);
        EndToEndIT.assertSameTree(source, destination);
    }

    @Test
    void shouldStartAJobCreatedAgainFromNothing() throws Exception {
        String key = "fault/again";
        Path source = dir.resolve("again-source");
        Path destination = dir.resolve("again-destination");
        SampleData.generate(source, 10, 0, 0, 5);
        String job = JobBuilder.job("fault", "again").source(StorageUri.directory(source))
                .destination(StorageUri.directory(destination)).json();
        client.submit(job);
        assertThat(client.awaitStatus(key, s -> s.phase() == JobPhase.Completed, TIMEOUT).progress().objectsVerified()).isEqualTo(10);

        // Deleted, its copies removed by hand, and created again: nothing of it may count as there.
        client.delete(key);
        String objects = cluster.verifierUrl() + "/jobs/" + key + "/objects";
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!noObjects(objects) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(client.get(objects)).as("the verifier forgot the deleted job's objects").contains("\"items\":[]");
        ChildProcesses.deleteTree(destination);
        client.submit(job);
        JobStatus again = client.awaitStatus(key, s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed, TIMEOUT);
        assertThat(again.phase()).as(again.message()).isEqualTo(JobPhase.Completed);
        assertThat(again.progress().objectsVerified()).isEqualTo(10);
        EndToEndIT.assertSameTree(source, destination);
    }

    @Test
    void shouldRepairWhatTheAuditFindsDeletedOrCorruptedAtTheDestination() throws Exception {
        String key = "fault/audited";
        Path source = dir.resolve("audited-source");
        Path destination = dir.resolve("audited-destination");
        SampleData.generate(source, 10, 1, (3L << 20) + 7, 6);
        client.submit(JobBuilder.job("fault", "audited").mode("continuous").scanInterval("2s")
                .annotation("ferry.io/audit-interval", "3s").annotation("ferry.io/audit-rehash-percent", "100")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination))
                .bothSides("multipart_threshold", "1MiB").bothSides("multipart_chunksize", "1MiB").json());
        client.awaitStatus(key, s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 11, TIMEOUT);

        // Behind Ferry's back: one copy deleted, one changed in its second chunk at the same size.
        Map<String, ObjectStatus> verifiedBefore = objects(key);
        String deleted = "tokenizer/part-3/shard-0/file-3.json";
        Path large;
        try (var files = Files.walk(destination)) {
            large = files.filter(p -> p.toString().endsWith(".safetensors")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(large);
        bytes[(1 << 20) + 100] ^= 0x5a;
        // Replaced whole (as a careless tool would), so no audit sees it half written at another size.
        Path corrupted = large.resolveSibling(large.getFileName() + ".tmp");
        Files.write(corrupted, bytes);
        Files.move(corrupted, large, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(destination.resolve(deleted));
        String changed = destination.relativize(large).toString();

        // The audits that found them are on record (each written once its pass ends) ...
        var scans = JsonSerde.of(ScanEvent.class);
        List<AuditCompleted> audits = audits(TopicReader.readUntil(cluster.bootstrapServers(), Topics.SCANS, rs -> {
            List<AuditCompleted> found = audits(rs, key, scans);
            return found.stream().mapToLong(AuditCompleted::objectsMissing).sum() > 0
                    && found.stream().mapToLong(AuditCompleted::objectsDifferent).sum() > 0;
        }, TIMEOUT), key, scans);
        assertThat(audits.stream().mapToLong(AuditCompleted::objectsRehashed).sum()).as("copies re-hashed").isPositive();
        // ... and both copies are planned again and verified under their new plans (the job's
        // status lags the copies on disk by a few commits, so the objects' own statuses decide).
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!(verifiedAgain(key, deleted, verifiedBefore) && verifiedAgain(key, changed, verifiedBefore))) {
            assertThat(System.nanoTime()).as("repaired within %s", TIMEOUT).isLessThan(deadline);
            Thread.sleep(250);
        }
        EndToEndIT.assertSameTree(source, destination);
        JobStatus after = client.awaitStatus(key, s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 11,
                TIMEOUT);
        assertThat(after.progress().lastAuditCompletedAt()).isNotNull();
    }

    @Test
    void shouldFinishAJobWhoseVerifierWasKilledMidJob() throws Exception {
        String key = "fault/verifier-killed";
        Path source = dir.resolve("vk-source");
        Path destination = dir.resolve("vk-destination");
        SampleData.generate(source, 30, 2, (6L << 20) + 3, 7);
        // 12 MiB at 1 MiB/s: at least 12 s of copying, so a status in the middle is there to be seen.
        client.submit(JobBuilder.job("fault", "verifier-killed").annotation("ome.io/bandwidth-limit", "1MiB/s")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination))
                .bothSides("multipart_threshold", "1MiB").bothSides("multipart_chunksize", "1MiB").json());
        client.awaitStatus(key, s -> s.phase() == JobPhase.Running && s.progress().objectsVerified() > 0
                && s.progress().objectsVerified() < 32, TIMEOUT);

        cluster.verifier().kill();
        cluster.verifier().restart(LocalCluster.readyTimeout());

        JobStatus done = client.awaitStatus(key, s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed, TIMEOUT);
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.progress().objectsVerified()).isEqualTo(32);
        EndToEndIT.assertSameTree(source, destination);
    }

    @Test
    void shouldFinishAJobWhoseScannerWasKilledMidScan() throws Exception {
        String key = "fault/scanner-killed";
        Path source = dir.resolve("sk-source");
        Path destination = dir.resolve("sk-destination");
        // Batches of 4: 500 transactions, seconds of scanning, so the kill lands well inside the scan.
        int files = 2000;
        SampleData.generateFixed(source, files, 512, 8);
        client.submit(JobBuilder.job("fault", "scanner-killed").source(StorageUri.directory(source))
                .destination(StorageUri.directory(destination)).json());
        TopicReader.readUntil(cluster.bootstrapServers(), Topics.OBJECT_CHANGES,
                rs -> rs.stream().anyMatch(r -> r.key().startsWith(key + "|")), TIMEOUT);
        cluster.scanner().kill();
        var scans = JsonSerde.of(ScanEvent.class);
        assertThat(TopicReader.readAll(cluster.bootstrapServers(), Topics.SCANS).stream()
                .filter(r -> r.key().equals(key)).map(r -> scans.deserialize(r.topic(), r.value())))
                .as("killed mid-scan: no scan of the job had completed").noneMatch(ScanCompleted.class::isInstance);
        cluster.scanner().restart(LocalCluster.readyTimeout());

        JobStatus done = client.awaitStatus(key, s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed, TIMEOUT);
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.progress().objectsVerified()).isEqualTo(files);
        EndToEndIT.assertSameTree(source, destination);
    }

    @Test
    void shouldKeepSyncingThroughABrokerRestart() throws Exception {
        String key = "fault/broker";
        Path source = dir.resolve("broker-source");
        Path destination = dir.resolve("broker-destination");
        SampleData.generate(source, 20, 0, 0, 11);
        client.submit(JobBuilder.job("fault", "broker").mode("continuous").scanInterval("2s")
                .annotation("ome.io/bandwidth-limit", "1MiB/s")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination))
                .bothSides("multipart_threshold", "1MiB").bothSides("multipart_chunksize", "1MiB").json());
        client.awaitStatus(key, s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 20, TIMEOUT);

        // New data on its way (8 MiB at 1 MiB/s: seconds to see it in flight) when the broker goes down.
        SampleData.generate(source.resolve("more"), 0, 2, 4L << 20, 12);
        client.awaitStatus(key, s -> s.progress().objectsTotal() == 22 && s.progress().objectsInFlight() > 0, TIMEOUT);
        cluster.broker().restart();
        Files.writeString(source.resolve("after-restart.txt"), "written while the clients reconnect");

        JobStatus s = client.awaitStatus(key, st -> st.isTrue(ConditionType.InSync) && st.progress().objectsVerified() == 23,
                TIMEOUT);
        assertThat(s.progress().objectsFailed()).isZero();
        EndToEndIT.assertSameTree(source, destination);
    }

    /** The verifier's status of each object of the job (up to 1,000). */
    static Map<String, ObjectStatus> objects(String job) throws Exception {
        var page = Json.MAPPER.readTree(client.get(cluster.verifierUrl() + "/jobs/" + job + "/objects?limit=1000"));
        Map<String, ObjectStatus> byKey = new java.util.HashMap<>();
        for (var item : page.get("items")) {
            ObjectStatus s = Json.MAPPER.treeToValue(item, ObjectStatus.class);
            byKey.put(s.objectKey(), s);
        }
        return byKey;
    }

    /** Whether the object is Verified under a plan other than the one it had before. */
    static boolean verifiedAgain(String job, String objectKey, Map<String, ObjectStatus> before) throws Exception {
        ObjectStatus now = objects(job).get(objectKey);
        return now != null && now.state() == ObjectState.VERIFIED && !now.planId().equals(before.get(objectKey).planId());
    }

    static List<AuditCompleted> audits(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records, String job,
            JsonSerde<ScanEvent> scans) {
        return records.stream().filter(r -> job.equals(r.key())).map(r -> scans.deserialize(r.topic(), r.value()))
                .filter(AuditCompleted.class::isInstance).map(AuditCompleted.class::cast).toList();
    }

    static boolean noObjects(String url) throws InterruptedException {
        try {
            return client.get(url).contains("\"items\":[]");
        } catch (java.io.IOException rebalancing) {
            return false;
        }
    }

    /** topic-partition@offset of every parked record. */
    static Set<String> distinctSources(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> parked) {
        return parked.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                + DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                + DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)).collect(Collectors.toSet());
    }

    static void awaitVerified(long objects) throws Exception {
        JobStatus s = client.awaitStatus(KEY, st -> st.isTrue(ConditionType.InSync) && st.progress() != null
                && st.progress().objectsVerified() == objects, TIMEOUT);
        assertThat(s.progress().objectsFailed()).isZero();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
