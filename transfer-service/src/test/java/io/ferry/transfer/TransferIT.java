package io.ferry.transfer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.ferry.checksum.Checksum;
import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CommitObject;
import io.ferry.schemas.events.CopyBatch;
import io.ferry.schemas.events.CopyPart;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.StorageUri;
import io.ferry.testing.AuthTestResource;
import io.ferry.testing.KafkaBrokerTestResource;
import io.ferry.testing.TestTokens;
import io.ferry.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The transfer worker against a real Kafka broker and real files: tasks in, results and bytes out. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AuthTestResource.class, restrictToAnnotatedClass = true)
class TransferIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final JsonSerde<ChunkTask> TASKS = JsonSerde.of(ChunkTask.class);
    static final JsonSerde<ChunkResult> RESULTS = JsonSerde.of(ChunkResult.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** A file store through the scheme registry, as the services open one. */
    static ObjectStore files(Path root) throws Exception {
        return ObjectStores.installed(Map.of()).open("file://" + root + "/", Map.of());
    }

    void send(String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CHUNK_TASKS, key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    /**
     * Submits job {@code it/name} copying {@code src} to {@code dst} (as the scanner writes it) and
     * returns its endpoints as the job kernel reads them: what its tasks carry.
     */
    Endpoints job(String name, Path src, Path dst) throws Exception {
        return job(name, JobBuilder.job("it", name).source(StorageUri.directory(src)).destination(StorageUri.directory(dst)));
    }

    Endpoints job(String name, JobBuilder builder) throws Exception {
        String document = builder.json();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOBS, ("it/" + name).getBytes(StandardCharsets.UTF_8),
                    document.getBytes(StandardCharsets.UTF_8))).get();
        }
        return new JobKernel(ObjectStores.installed(Map.of()), JobPolicy.UNRESTRICTED).read(document).endpoints();
    }

    void send(ChunkTask task) throws Exception {
        send(task.taskKey(), TASKS.serialize(Topics.CHUNK_TASKS, task));
    }

    List<ChunkResult> resultsFor(String job, int atLeast) {
        return TopicReader.readUntil(bootstrap, Topics.CHUNK_RESULTS,
                        rs -> rs.stream().filter(r -> r.key().startsWith(job + "|")).count() >= atLeast, WAIT).stream()
                .filter(r -> r.key().startsWith(job + "|")).map(r -> RESULTS.deserialize(r.topic(), r.value())).toList();
    }

    @Test
    void shouldReportABatchInOneRecordPerPartitionOfItsObjectsEachWhereItsObjectsBelong() throws Exception {
        Path src = Files.createTempDirectory("transfer-src");
        Path dst = Files.createTempDirectory("transfer-dst");
        var endpoints = job("many", src, dst);
        ObjectStore source = files(src);
        List<CopyBatch.ObjectVersion> objects = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = "d/f-" + i + ".json";
            Files.createDirectories(src.resolve("d"));
            Files.writeString(src.resolve(key), "{\"i\": " + i + "}");
            objects.add(new CopyBatch.ObjectVersion(key, "p" + i, source.stat(key).orElseThrow().version(), Files.size(src.resolve(key))));
        }
        send(new CopyBatch("it/many", endpoints, "b40", objects));

        int partitions;
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            partitions = admin.describeTopics(List.of(Topics.CHUNK_RESULTS)).allTopicNames().get().get(Topics.CHUNK_RESULTS)
                    .partitions().size();
        }
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(bootstrap, Topics.CHUNK_RESULTS, rs -> rs.stream()
                .filter(r -> r.key().startsWith("it/many|"))
                .mapToInt(r -> RESULTS.deserialize(r.topic(), r.value()).objectResults().size()).sum() >= 40, WAIT).stream()
                .filter(r -> r.key().startsWith("it/many|")).toList();
        assertThat(partitions).isGreaterThan(1);
        assertThat(records).as("one record per partition the objects fall on").hasSizeLessThanOrEqualTo(partitions);
        List<String> reported = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            for (var result : RESULTS.deserialize(r.topic(), r.value()).objectResults()) {
                assertThat(result).isInstanceOf(ObjectCommitted.class);
                assertThat(r.partition()).as(result.objectKey()).isEqualTo(Keys.partition(result.recordKey(), partitions));
                reported.add(result.objectKey());
            }
        }
        assertThat(reported).containsExactlyInAnyOrderElementsOf(objects.stream().map(CopyBatch.ObjectVersion::objectKey).toList());
    }

    @Test
    void shouldCommitWhatFinishedWhileATaskOfAnotherPartitionIsStillCopying() throws Exception {
        Path src = Files.createTempDirectory("transfer-src");
        Path dst = Files.createTempDirectory("transfer-dst");
        byte[] big = new byte[4_000_000];
        new Random(11).nextBytes(big);
        Files.write(src.resolve("slow.bin"), big);
        Files.writeString(src.resolve("fast.json"), "{\"small\": true}");
        ObjectStore source = files(src);
        // 4 MB read at 200 KB/s: about twenty seconds under way
        var paced = job("paced", JobBuilder.job("it", "paced").annotation("ome.io/bandwidth-limit", "200KB/s")
                .source(StorageUri.directory(src)).destination(StorageUri.directory(dst)));
        var unpaced = job("unpaced", src, dst);
        sendTo(0, new CopyBatch("it/paced", paced, "slow", List.of(new CopyBatch.ObjectVersion("slow.bin", "p-slow",
                source.stat("slow.bin").orElseThrow().version(), big.length))));
        sendTo(1, new CopyBatch("it/unpaced", unpaced, "fast", List.of(new CopyBatch.ObjectVersion("fast.json", "p-fast",
                source.stat("fast.json").orElseThrow().version(), Files.size(src.resolve("fast.json"))))));

        assertThat(resultsFor("it/unpaced", 1)).singleElement().isInstanceOf(ObjectCommitted.class);
        assertThat(TopicReader.readAll(bootstrap, Topics.CHUNK_RESULTS)).as("the slow task's results are not written yet")
                .noneMatch(r -> r.key().startsWith("it/paced|"));
        assertThat(resultsFor("it/paced", 1)).singleElement().isInstanceOf(ObjectCommitted.class);
        assertThat(Files.readAllBytes(dst.resolve("slow.bin"))).isEqualTo(big);
    }

    void sendTo(int partition, ChunkTask task) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CHUNK_TASKS, partition, task.taskKey().getBytes(StandardCharsets.UTF_8),
                    TASKS.serialize(Topics.CHUNK_TASKS, task))).get();
        }
    }

    @Test
    void shouldCopyABatchAndAMultipartObjectAndReportChecksums() throws Exception {
        Path src = Files.createTempDirectory("transfer-src");
        Path dst = Files.createTempDirectory("transfer-dst");
        var endpoints = job("t", src, dst);
        Random random = new Random(7);
        byte[] small = new byte[3000];
        random.nextBytes(small);
        Files.createDirectories(src.resolve("a/b"));
        Files.write(src.resolve("a/b/small.json"), small);
        byte[] big = new byte[3 * 100_000 + 11];
        random.nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        ObjectStore source = files(src);
        var destination = (io.ferry.storage.SupportsMultipartUpload) files(dst);
        String smallVersion = source.stat("a/b/small.json").orElseThrow().version();
        String bigVersion = source.stat("big.bin").orElseThrow().version();

        send(new CopyBatch("it/t", endpoints, "b1", List.of(new CopyBatch.ObjectVersion("a/b/small.json", "ps", smallVersion, 3000))));
        String upload = destination.startUpload("big.bin");
        for (int i = 0; i < 4; i++) {
            long off = i * 100_000L;
            send(new CopyPart("it/t", endpoints, "big.bin", "pb", bigVersion, big.length, upload, i, off,
                    Math.min(100_000, big.length - off)));
        }
        List<ChunkResult> results = resultsFor("it/t", 5);
        assertThat(results.stream().filter(ChunkCopied.class::isInstance)).as("the parts").hasSize(4);
        assertThat(results.stream().filter(r -> r instanceof ObjectCommitted c && c.objectKey().equals("a/b/small.json")))
                .as("the whole put: what was sent and what was read back, in one record").singleElement()
                .satisfies(r -> assertThat(((ObjectCommitted) r).sent()).isEqualTo(((ObjectCommitted) r).destinationChunks().get(0)));
        assertThat(Files.readAllBytes(dst.resolve("a/b/small.json"))).isEqualTo(small);
        assertThat(Files.exists(dst.resolve("big.bin"))).as("invisible until committed").isFalse();

        send(new CommitObject("it/t", endpoints, "big.bin", "pb", bigVersion, big.length, upload, 100_000, 4, List.of()));
        List<ChunkResult> after = resultsFor("it/t", 6);
        ObjectCommitted committed = after.stream().filter(r -> r instanceof ObjectCommitted c && c.objectKey().equals("big.bin"))
                .map(ObjectCommitted.class::cast).findFirst().orElseThrow();
        assertThat(Files.readAllBytes(dst.resolve("big.bin"))).isEqualTo(big);
        List<Checksum> copied = after.stream().filter(r -> r instanceof ChunkCopied c && c.objectKey().equals("big.bin"))
                .map(ChunkCopied.class::cast).sorted(java.util.Comparator.comparingInt(ChunkCopied::chunkIndex))
                .map(ChunkCopied::checksum).toList();
        assertThat(committed.destinationChunks()).isEqualTo(copied);

        given().get("/q/metrics").then().statusCode(401);
        String metrics = given().header("Authorization", "Bearer " + TestTokens.token("prometheus", "metrics")).get("/q/metrics")
                .then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("(?m)^ferry_transfer_copied_bytes_total\\{destination_store=\"file\",source_store=\"file\"\\} [1-9]")
                .containsPattern("(?m)^ferry_transfer_copy_duration_seconds_count\\{destination_store=\"file\",source_store=\"file\"\\} [1-9]")
                .containsPattern("(?m)^ferry_transfer_results_total\\{.*type=\"ObjectCommitted\".*\\} [1-9]")
                .contains("kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void shouldRefuseATaskNoJobAskedForAndCopyNothing() throws Exception {
        Path src = Files.createTempDirectory("transfer-src");
        Path dst = Files.createTempDirectory("transfer-dst");
        Path elsewhere = Files.createTempDirectory("transfer-elsewhere");
        Files.writeString(src.resolve("secret.txt"), "not for elsewhere");
        String v = files(src).stat("secret.txt").orElseThrow().version();
        var batch = List.of(new CopyBatch.ObjectVersion("secret.txt", "p", v, 17));
        Endpoints real = job("guarded", src, dst);
        Endpoints redirected = new Endpoints(real.source(), new StorageEndpoint(StorageUri.directory(elsewhere), Map.of()),
                real.options());

        send(new CopyBatch("it/nobody", real, "b1", batch));
        send(new CopyBatch("it/guarded", redirected, "b2", batch));
        List<ConsumerRecord<String, byte[]>> parked = TopicReader.readUntil(bootstrap, Topics.DEAD_LETTERS,
                rs -> rs.stream().filter(r -> r.key().startsWith("it/nobody|") || r.key().startsWith("it/guarded|")).count() >= 2, WAIT);
        assertThat(parked).filteredOn(r -> r.key().startsWith("it/nobody|")).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("unknown job it/nobody"));
        assertThat(parked).filteredOn(r -> r.key().startsWith("it/guarded|")).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON))
                        .contains("not those of job it/guarded"));
        assertThat(elsewhere).isEmptyDirectory();
        assertThat(dst).as("the unknown job's task wrote nothing either").isEmptyDirectory();

        send(new CopyBatch("it/guarded", real, "b3", batch));
        assertThat(resultsFor("it/guarded", 1)).singleElement().isInstanceOf(ObjectCommitted.class);
        assertThat(Files.readString(dst.resolve("secret.txt"))).isEqualTo("not for elsewhere");
    }

    @Test
    void shouldParkATaskItCannotReadAndKeepWorking() throws Exception {
        send("it/bad|batch|x", "{\"type\":\"CopyBatch\",\"job\":\"it/bad\"}".getBytes(StandardCharsets.UTF_8));
        send("it/bad|garbage", "not a task".getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<String, byte[]>> parked = TopicReader.readUntil(bootstrap, Topics.DEAD_LETTERS,
                rs -> rs.stream().filter(r -> r.key().startsWith("it/bad|")).count() >= 2, WAIT);
        assertThat(parked).filteredOn(r -> r.key().equals("it/bad|batch|x")).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("endpoints"));
        assertThat(parked).filteredOn(r -> r.key().equals("it/bad|garbage")).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.CHUNK_TASKS));

        Path src = Files.createTempDirectory("transfer-src");
        Path dst = Files.createTempDirectory("transfer-dst");
        Files.writeString(src.resolve("after.txt"), "still working");
        String v = files(src).stat("after.txt").orElseThrow().version();
        send(new CopyBatch("it/after", job("after", src, dst), "b", List.of(new CopyBatch.ObjectVersion("after.txt", "p", v, 13))));
        assertThat(resultsFor("it/after", 1)).singleElement().isInstanceOf(ObjectCommitted.class);
        assertThat(Files.readString(dst.resolve("after.txt"))).isEqualTo("still working");
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'ferry-transfer-worker' }.status", equalTo("UP"));
    }
}
