package io.ferry.verifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.events.ScanStarted;
import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.testing.AuthTestResource;
import io.ferry.testing.KafkaBrokerTestResource;
import io.ferry.testing.Scrapes;
import io.ferry.testing.TestTokens;
import io.ferry.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The verifier's Kafka Streams app against a real broker, queried over REST. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AuthTestResource.class, restrictToAnnotatedClass = true)
class VerifierIT {
    static final Endpoints ENDPOINTS = new Endpoints(new StorageEndpoint("file:///s/", Map.of()),
            new StorageEndpoint("file:///d/", Map.of()));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    void send(String topic, String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    /** Job {@code namespace/name} from file:///s/ to file:///d/ (generation 1: it carries none). */
    void submitFileJob(String job) throws Exception {
        String[] parts = job.split("/", 2);
        send(Topics.JOBS, job, JobBuilder.job(parts[0], parts[1]).source("file:///s/").destination("file:///d/").json()
                .getBytes(StandardCharsets.UTF_8));
    }

    static <T> byte[] json(Class<T> type, T value) {
        return JsonSerde.of(type).serialize("t", value);
    }

    static Checksum sum(String s) {
        return Checksum.sha256(Checksum.newSha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static final Duration WAIT = Duration.ofSeconds(60);

    Response awaitStatus(String job, String phase) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Response r = null;
        while (System.nanoTime() < deadline) {
            r = given().header("Authorization", TestTokens.admin()).get("/jobs/" + job + "/status");
            if (r.statusCode() == 200 && phase.equals(r.jsonPath().getString("phase"))) {
                return r;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + phase + " status for " + job + "; last: " + (r == null ? null : r.asString()));
    }

    @Test
    void shouldConfirmChecksumsAndServeTheOmeStatusAndObjects() throws Exception {
        String job = "it/verified";
        submitFileJob(job);
        Instant t = Instant.now();
        send(Topics.SCANS, job, json(ScanEvent.class, new ScanStarted(job, 10, 1, t)));
        for (String key : List.of("a.json", "b.json")) {
            var change = new ObjectChanged(job, key, "p-" + key, ObjectChanged.Change.UPSERT, 1, "v1", t, 10, 0, 3, ENDPOINTS,
                    CopyPlan.singlePut(1));
            send(Topics.OBJECT_CHANGES, job + "|" + key, json(ObjectChanged.class, change));
            send(Topics.CHUNK_RESULTS, job + "|" + key, json(ChunkResult.class,
                    new ChunkCopied(job, key, "p-" + key, "v1", 0, 0, 1, sum(key), "w1")));
            send(Topics.CHUNK_RESULTS, job + "|" + key, json(ChunkResult.class,
                    new ObjectCommitted(job, key, "p-" + key, "v1", List.of(sum(key)), "w1")));
        }
        send(Topics.SCANS, job, json(ScanEvent.class, new ScanCompleted(job, 10, 1, t, t, 2, 2, 2, 2)));

        Response status = awaitStatus(job, "Completed");
        assertThat(status.jsonPath().getString("status")).isEqualTo("Completed");
        assertThat(status.jsonPath().getString("conditions.find { it.type == 'Verified' }.status")).isEqualTo("True");
        assertThat(status.jsonPath().getLong("observedGeneration")).isEqualTo(1);
        given().header("Authorization", TestTokens.admin()).get("/jobs/" + job + "/objects?state=VERIFIED&limit=1").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].objectKey", equalTo("a.json")).body("next", equalTo("a.json"));
        given().header("Authorization", TestTokens.admin()).get("/jobs/" + job + "/objects?state=VERIFIED&after=a.json").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].objectKey", equalTo("b.json"));
        given().header("Authorization", TestTokens.admin()).get("/jobs/" + job + "/objects?state=bogus").then().statusCode(400);
        given().header("Authorization", TestTokens.admin()).get("/jobs/it/unknown/status").then().statusCode(404);
        // statuses and object lists are per namespace: none without a token, none of another namespace
        given().get("/jobs/" + job + "/status").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.token("eve", "read:other", "submit:it"))
                .get("/jobs/" + job + "/objects").then().statusCode(403).body("error", containsString("read:it"));
        given().header("Authorization", "Bearer " + TestTokens.token("carol", "read:it")).get("/jobs/" + job + "/status")
                .then().statusCode(200);

        // the job's series, from the same state: phase as 1/0 per phase, objects and bytes by state
        String name = job.substring(job.indexOf('/') + 1);
        String labels = "job_name=\"" + name + "\",namespace=\"it\"";
        String metrics = awaitMetrics("replication_job_status{" + labels + ",phase=\"Completed\"} 1.0");
        assertThat(metrics).contains("replication_job_status{" + labels + ",phase=\"Running\"} 0.0")
                .contains("replication_job_objects{" + labels + ",state=\"verified\"} 2.0")
                .contains("replication_job_objects{" + labels + ",state=\"failed\"} 0.0")
                .containsPattern("replication_job_start_time\\{" + java.util.regex.Pattern.quote(labels) + "\\} [1-9]")
                .containsPattern("replication_job_last_scan_completed_time\\{" + java.util.regex.Pattern.quote(labels) + "\\} [1-9]")
                .contains("replication_job_in_sync{" + labels + "} 0.0");
    }

    /** The service's metrics once they show {@code line}. */
    static String awaitMetrics(String line) throws InterruptedException {
        return Scrapes.await(() -> given().header("Authorization", "Bearer " + TestTokens.token("prometheus", "metrics"))
                .get("/q/metrics").then().statusCode(200).extract().asString(), line, WAIT);
    }

    /**
     * The largest object S3 allows (10,000 parts) through a real broker: its read-back (0.93 MB of
     * checksums, next to the clients' 1 MiB default) and its progress in the changelog must fit the
     * records Ferry's topics and producers take, and nothing of it may be parked.
     */
    @Test
    void shouldPageThroughAJobsObjectsInKeyOrderAcrossPartitions() throws Exception {
        String job = "it/paged";
        submitFileJob(job);
        Instant t = Instant.now();
        List<String> keys = new java.util.ArrayList<>();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.SCANS, job.getBytes(StandardCharsets.UTF_8),
                    json(ScanEvent.class, new ScanStarted(job, 10, 1, t))));
            for (int i = 0; i < 23; i++) {
                String key = "shard-" + (char) ('a' + (i * 7) % 23) + ".bin"; // written out of key order
                keys.add(key);
                byte[] recordKey = (job + "|" + key).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.OBJECT_CHANGES, recordKey, json(ObjectChanged.class,
                        new ObjectChanged(job, key, "p-" + key, ObjectChanged.Change.UPSERT, 1, "v1", t, 10, 0, 3, ENDPOINTS,
                                CopyPlan.singlePut(1)))));
                producer.send(new ProducerRecord<>(Topics.CHUNK_RESULTS, recordKey, json(ChunkResult.class,
                        new ChunkCopied(job, key, "p-" + key, "v1", 0, 0, 1, sum(key), "w1"))));
                producer.send(new ProducerRecord<>(Topics.CHUNK_RESULTS, recordKey, json(ChunkResult.class,
                        new ObjectCommitted(job, key, "p-" + key, "v1", List.of(sum(key)), "w1"))));
            }
            producer.send(new ProducerRecord<>(Topics.SCANS, job.getBytes(StandardCharsets.UTF_8),
                    json(ScanEvent.class, new ScanCompleted(job, 10, 1, t, t, 23, 23, 23, 23)))).get();
        }
        awaitStatus(job, "Completed");

        List<String> paged = new java.util.ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            var request = given().header("Authorization", TestTokens.admin()).queryParam("state", "VERIFIED").queryParam("limit", 4);
            if (after != null) {
                request.queryParam("after", after);
            }
            Response page = request.get("/jobs/" + job + "/objects");
            assertThat(page.statusCode()).isEqualTo(200);
            List<String> items = page.jsonPath().getList("items.objectKey", String.class);
            assertThat(items.size()).isLessThanOrEqualTo(4);
            paged.addAll(items);
            after = page.jsonPath().getString("next");
            if (after == null) {
                break;
            }
        }
        assertThat(paged).as("every object once, in key order, across the partitions").isEqualTo(keys.stream().sorted().toList());
    }

    @Test
    void shouldVerifyAnObjectOfTenThousandChunks() throws Exception {
        String job = "it/huge";
        String key = "shards/model.safetensors";
        int chunks = 10_000;
        submitFileJob(job);
        Instant t = Instant.now();
        long chunkSize = 64L << 20;
        var change = new ObjectChanged(job, key, "p-huge", ObjectChanged.Change.UPSERT, chunks * chunkSize, "v1", t, 20, 0, 3,
                ENDPOINTS, new CopyPlan(CopyPlan.Strategy.MULTIPART, chunkSize, chunks, "upload-huge"));
        List<Checksum> sums = java.util.stream.IntStream.range(0, chunks).mapToObj(i -> sum("chunk " + i)).toList();
        Map<String, Object> big = Map.of("bootstrap.servers", bootstrap, "max.request.size", 8 << 20, "linger.ms", 20);
        try (var producer = new KafkaProducer<>(big, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] recordKey = (job + "|" + key).getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(Topics.SCANS, job.getBytes(StandardCharsets.UTF_8),
                    json(ScanEvent.class, new ScanStarted(job, 20, 1, t)))).get();
            producer.send(new ProducerRecord<>(Topics.OBJECT_CHANGES, recordKey, json(ObjectChanged.class, change))).get();
            for (int i = 0; i < chunks; i++) {
                producer.send(new ProducerRecord<>(Topics.CHUNK_RESULTS, recordKey, json(ChunkResult.class,
                        new ChunkCopied(job, key, "p-huge", "v1", i, i * chunkSize, chunkSize, sums.get(i), "w1"))));
            }
            producer.flush();
            TopicReader.readUntil(bootstrap, Topics.CHUNK_TASKS, rs -> rs.stream()
                    .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"planId\":\"p-huge\"")),
                    Duration.ofSeconds(120));
            byte[] readBack = json(ChunkResult.class, new ObjectCommitted(job, key, "p-huge", "v1", sums, "w1"));
            producer.send(new ProducerRecord<>(Topics.CHUNK_RESULTS, recordKey, readBack)).get();
            producer.send(new ProducerRecord<>(Topics.SCANS, job.getBytes(StandardCharsets.UTF_8),
                    json(ScanEvent.class, new ScanCompleted(job, 20, 1, t, t, 1, change.size(), 1, change.size())))).get();
        }

        Response status = awaitStatus(job, "Completed");
        assertThat(status.jsonPath().getString("conditions.find { it.type == 'Verified' }.status")).isEqualTo("True");
        given().header("Authorization", TestTokens.admin()).get("/jobs/" + job + "/objects?state=VERIFIED").then().statusCode(200)
                .body("items[0].chunksTotal", equalTo(chunks)).body("items[0].treeHash.value",
                        equalTo(Checksum.treeHash(sums).value()));
        assertThat(TopicReader.readAll(bootstrap, Topics.DEAD_LETTERS)).as("nothing of it parked")
                .noneMatch(r -> r.key() != null && r.key().startsWith(job));
    }

    @Test
    void shouldParkResultsItCannotReadAndKeepVerifying() throws Exception {
        send(Topics.CHUNK_RESULTS, "it/broken|x", "{\"type\":\"Nonsense\"}".getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<String, byte[]>> parked = TopicReader.readUntil(bootstrap, Topics.DEAD_LETTERS,
                rs -> rs.stream().anyMatch(r -> r.key().equals("it/broken|x")), Duration.ofSeconds(60));
        ConsumerRecord<String, byte[]> dead = parked.stream().filter(r -> r.key().equals("it/broken|x")).findFirst().orElseThrow();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.CHUNK_RESULTS);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).contains("ChunkResult");

        String job = "it/after-bad";
        submitFileJob(job);
        Instant t = Instant.now();
        send(Topics.SCANS, job, json(ScanEvent.class, new ScanStarted(job, 3, 1, t)));
        send(Topics.SCANS, job, json(ScanEvent.class, new ScanCompleted(job, 3, 1, t, t, 0, 0, 0, 0)));
        awaitStatus(job, "Completed");
    }

    @Inject
    JobStatusWatch watch;

    @Test
    void shouldAnswerAWaitingStatusRequestWhenTheStatusChangesAndNotModifiedWhenItDoesNot() throws Exception {
        String job = "it/watched";
        String path = "/jobs/" + job + "/status";
        submitFileJob(job);
        Instant t = Instant.now();
        send(Topics.SCANS, job, json(ScanEvent.class, new ScanStarted(job, 3, 1, t)));
        send(Topics.SCANS, job, json(ScanEvent.class, new ScanCompleted(job, 3, 1, t, t, 0, 0, 0, 0)));
        String etag = awaitStatus(job, "Completed").header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{32}\"");

        // unchanged (a once job's Completed stays as it is): 304 at once, or after the wait asked for
        given().header("Authorization", TestTokens.admin()).header("If-None-Match", etag).get(path).then()
                .statusCode(304).header("ETag", etag).header("Preference-Applied", nullValue());
        given().header("Authorization", TestTokens.admin()).header("If-None-Match", etag).header("Prefer", "wait=1")
                .get(path).then().statusCode(304).header("ETag", etag).header("Preference-Applied", "wait=1");
        given().header("Authorization", TestTokens.admin()).header("If-None-Match", etag).header("Prefer", "wait=soon")
                .get(path).then().statusCode(400).body("error", containsString("Prefer: wait"));
        // nothing to wait for: answered at once
        given().header("Authorization", TestTokens.admin()).header("If-None-Match", etag).header("Prefer", "wait=30")
                .get("/jobs/it/never-submitted/status").then().statusCode(404);
        // the token is checked before anything waits
        given().header("Authorization", "Bearer " + TestTokens.token("eve", "read:other")).header("If-None-Match", etag)
                .header("Prefer", "wait=30").get(path).then().statusCode(403);
        assertThat(watch.waiting()).isZero();

        // changed while a request waits: it is answered with the new status
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", TestTokens.admin()).header("If-None-Match", etag).header("Prefer", "wait=30").get(path));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (watch.waiting() == 0 && System.nanoTime() < deadline && !waiting.isDone()) {
            Thread.sleep(10);
        }
        assertThat(watch.waiting()).as("the request waits").isEqualTo(1);
        awaitMetrics("ferry_status_requests_waiting 1.0");
        send(Topics.SCANS, job, json(ScanEvent.class, new ScanStarted(job, 4, 1, Instant.now())));
        // The request asked to wait 30 s, and is answered 200 after it too, since the status did
        // change: only an answer well inside the wait tells that the change woke it.
        Response changed = waiting.get(20, TimeUnit.SECONDS);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.jsonPath().getString("phase")).isEqualTo("Running");
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.header("Preference-Applied")).isEqualTo("wait=30");
        assertThat(watch.waiting()).isZero();
        awaitMetrics("ferry_status_requests_waiting 0.0");
    }
}
