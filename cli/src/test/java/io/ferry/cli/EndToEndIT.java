package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.StorageUri;
import io.ferry.testing.Scrapes;
import io.ferry.testing.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged services as separate processes against a Kafka broker process, with two transfer
 * workers: a tree of 2,000+ files syncs file to file and is verified; then, in continuous mode,
 * exactly the files that changed are copied again; then the job moves to a new destination.
 */
class EndToEndIT {
    static final String KEY = "e2e/model-sync";
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);
    static FerryClient client;

    @BeforeAll
    static void startCluster() throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 2, Map.of("ferry.topics.partitions", "8",
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir)));
        client = cluster.client();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A service's metrics, with the cluster's administrator token. */
    static String scrape(String serviceUrl) {
        try {
            return client.get(serviceUrl + "/q/metrics");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot scrape " + serviceUrl, e);
        }
    }

    static String job(Path source, Path destination, String mode) {
        return JobBuilder.job("e2e", "model-sync").mode(mode).scanInterval("2s")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination))
                .destinationParameter("multipart_threshold", "1MiB").destinationParameter("multipart_chunksize", "1MiB")
                .json();
    }

    @Test
    void shouldSyncATreeVerifyItAndThenCopyOnlyWhatChanged() throws Exception {
        Path source = dir.resolve("source");
        Path destination = dir.resolve("destination");
        SampleData.generate(source, 2000, 3, (4L << 20) + 12345, 7);

        // bad records from some producer are parked, and do not stop the job submitted next
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOBS, "e2e/not-json", "\u0000\u0001 binary junk")).get();
            producer.send(new ProducerRecord<>(Topics.JOBS, "e2e/no-spec", "{\"metadata\":{\"name\":\"no-spec\",\"namespace\":\"e2e\"}}")).get();
        }
        var parked = TopicReader.readUntil(cluster.bootstrapServers(), Topics.DEAD_LETTERS,
                rs -> rs.stream().map(r -> r.key()).collect(Collectors.toSet()).containsAll(Set.of("e2e/not-json", "e2e/no-spec")),
                Duration.ofSeconds(60));
        assertThat(parked).filteredOn(r -> r.key().equals("e2e/no-spec")).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("spec: is required"));

        client.submit(job(source, destination, "once"));
        JobStatus done = awaitStatus(s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.isTrue(ConditionType.Verified)).isTrue();
        assertThat(done.progress().objectsVerified()).isEqualTo(2003);
        assertSameTree(source, destination);

        var results = JsonSerde.of(ChunkResult.class);
        Set<String> workers = TopicReader.readAll(cluster.bootstrapServers(), Topics.CHUNK_RESULTS).stream()
                .flatMap(r -> results.deserialize(r.topic(), r.value()).objectResults().stream())
                .filter(r -> r.job().equals(KEY))
                .map(r -> r instanceof ChunkCopied c ? c.worker() : r instanceof ObjectCommitted c ? c.worker() : null)
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        assertThat(workers).containsExactlyInAnyOrder("transfer-1", "transfer-2");
        long onceGeneration = done.progress().scanGeneration();
        // every object's scan-to-Verified time, in the verifier's histogram (metered as its status is written)
        String verifiedCount = "replication_object_verified_latency_seconds_count{job_name=\"model-sync\",namespace=\"e2e\"} 2003.0";
        assertThat(Scrapes.await(() -> scrape(cluster.verifierUrl()), verifiedCount, Duration.ofSeconds(30)))
                .contains("replication_object_verified_latency_seconds_bucket{job_name=\"model-sync\",namespace=\"e2e\",le=\"86400.0\"} 2003.0");

        // the same job, now continuous: nothing to copy, so straight to in sync
        client.submit(job(source, destination, "continuous"));
        JobStatus inSync = awaitStatus(s -> s.observedGeneration() == 2 && s.isTrue(ConditionType.InSync));
        assertThat(inSync.progress().objectsVerified()).isEqualTo(2003);

        List<String> modified = List.of("tokenizer/part-1/shard-0/file-1.json", "tokenizer/part-5/shard-9/file-995.json",
                "weights/model-00002-of-00003.safetensors");
        List<String> added = List.of("tokenizer/new/added-1.json", "weights/added-2.bin");
        for (String key : modified) {
            Path p = source.resolve(key);
            byte[] b = Files.readAllBytes(p);
            b[0] ^= 0x5a;
            Files.write(p, b);
        }
        Files.createDirectories(source.resolve("tokenizer/new"));
        Files.writeString(source.resolve(added.get(0)), "{\"added\": true}");
        Files.write(source.resolve(added.get(1)), new byte[3 << 20]);

        JobStatus resynced = awaitStatus(s -> s.progress().objectsTotal() == 2005 && s.progress().objectsVerified() == 2005
                && s.isTrue(ConditionType.InSync));
        assertThat(resynced.phase()).isEqualTo(JobPhase.Running);
        assertSameTree(source, destination);

        var changes = JsonSerde.of(ObjectChanged.class);
        List<String> copiedAgain = TopicReader.readAll(cluster.bootstrapServers(), Topics.OBJECT_CHANGES).stream()
                .map(r -> changes.deserialize(r.topic(), r.value()))
                .filter(c -> c.job().equals(KEY) && c.generation() > onceGeneration)
                .map(ObjectChanged::objectKey).toList();
        assertThat(copiedAgain).containsExactlyInAnyOrderElementsOf(Stream.concat(modified.stream(), added.stream()).toList());

        // pointed at a new destination, the job must copy everything there: what was verified at
        // the old destination says nothing about the new one
        Path elsewhere = dir.resolve("elsewhere");
        client.submit(job(source, elsewhere, "continuous"));
        JobStatus moved = awaitStatus(s -> s.observedGeneration() == 3 && s.isTrue(ConditionType.InSync));
        assertThat(moved.progress().objectsVerified()).isEqualTo(2005);
        assertSameTree(source, elsewhere);
    }

    @Test
    void shouldSyncADirectoryWhoseNameNeedsEscapingInAUri() throws Exception {
        Path source = dir.resolve("my models #1 (ünï)");
        Path destination = dir.resolve("copy of my models #1 (ünï) 100%");
        SampleData.generate(source, 20, 1, (2L << 20) + 7, 11);
        Files.write(source.resolve("weights #2 ü%41.bin"), "odd".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // the job ferry local submits, for a directory given with --source
        client.submit(Ferry.Local.job("odd-names", false, source, destination, 1L << 20));
        JobStatus done = client.awaitStatus("default/odd-names", s -> JobFollower.finished(s, false), TIMEOUT);
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.isTrue(ConditionType.Verified)).isTrue();
        assertThat(done.progress().objectsVerified()).isEqualTo(22);
        assertSameTree(source, destination);
    }

    static JobStatus awaitStatus(java.util.function.Predicate<JobStatus> done) throws Exception {
        return client.awaitStatus(KEY, done, TIMEOUT);
    }

    static void assertSameTree(Path a, Path b) throws IOException {
        assertThat(files(b)).isEqualTo(files(a));
        for (Path rel : files(a)) {
            assertThat(Arrays.equals(Files.readAllBytes(a.resolve(rel)), Files.readAllBytes(b.resolve(rel))))
                    .as("content of " + rel).isTrue();
        }
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
