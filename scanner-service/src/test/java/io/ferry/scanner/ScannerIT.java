package io.ferry.scanner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ferry.auth.SigningKey;
import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CopyBatch;
import io.ferry.schemas.events.CopyPart;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.storage.StorageUri;
import io.ferry.testing.AuthTestResource;
import io.ferry.testing.KafkaBrokerTestResource;
import io.ferry.testing.Scrapes;
import io.ferry.testing.TestTokens;
import io.ferry.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The scanner against a real Kafka broker: job intake, bad input, and a scan's output. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AuthTestResource.class, restrictToAnnotatedClass = true)
class ScannerIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static JobBuilder job(String name, Path source, Path destination) {
        return JobBuilder.job("it", name).source(StorageUri.directory(source)).destination(StorageUri.directory(destination))
                .destinationParameter("multipart_threshold", "64KiB").destinationParameter("multipart_chunksize", "64KiB");
    }

    List<ConsumerRecord<String, byte[]>> jobsTopic() {
        return TopicReader.readAll(bootstrap, Topics.JOBS);
    }

    /** The service's metrics once they show {@code line}. */
    static String awaitMetrics(String line) throws InterruptedException {
        return Scrapes.await(() -> given().header("Authorization", "Bearer " + TestTokens.token("prometheus", "metrics"))
                .get("/q/metrics").then().statusCode(200).extract().asString(), line, WAIT);
    }

    @Test
    void shouldRefuseCallsWithoutAValidTokenOrOutsideTheirGrantsAndWriteNothing() {
        byte[] job = bytes(job("guarded", Path.of("/tmp/a"), Path.of("/tmp/b")).json());
        given().body(job).contentType("application/yaml").post("/jobs").then().statusCode(401);
        String forged = SigningKey.generate().token("mallory", List.of("*:*"), Instant.now(), Duration.ofHours(1));
        given().header("Authorization", "Bearer " + forged).body(job).contentType("application/yaml").post("/jobs")
                .then().statusCode(401);
        String expired = TestTokens.expired("late", "*:*");
        given().header("Authorization", "Bearer " + expired).body(job).contentType("application/yaml").post("/jobs")
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.token("bob", "submit:other", "read:it"))
                .body(job).contentType("application/yaml").post("/jobs")
                .then().statusCode(403).body("error", containsString("'bob' may not submit jobs in namespace 'it'"))
                .body("error", containsString("submit:it"));
        // a browser may send text/plain across origins without asking first
        given().header("Authorization", TestTokens.admin()).body(job).contentType("text/plain").post("/jobs")
                .then().statusCode(415);
        assertThat(jobsTopic()).noneMatch(r -> r.key().equals("it/guarded"));

        given().header("Authorization", TestTokens.admin()).body(job).contentType("application/yaml").post("/jobs")
                .then().statusCode(201);
        given().header("Authorization", "Bearer " + TestTokens.token("bob", "read:other")).get("/jobs/it/guarded")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + TestTokens.token("bob", "read:other")).get("/jobs")
                .then().statusCode(200).body("metadata.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("guarded")));
        given().header("Authorization", "Bearer " + TestTokens.token("carol", "read:it")).get("/jobs")
                .then().statusCode(200).body("metadata.name", org.hamcrest.Matchers.hasItem("guarded"));
        given().header("Authorization", "Bearer " + TestTokens.token("carol", "read:it", "submit:it")).delete("/jobs/it/guarded")
                .then().statusCode(403).body("error", containsString("delete:it"));
        given().header("Authorization", "Bearer " + TestTokens.token("dave", "delete:it")).delete("/jobs/it/guarded")
                .then().statusCode(204);

        given().get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.token("carol", "read:it")).get("/q/metrics").then().statusCode(403);
        given().header("Authorization", "Bearer " + TestTokens.token("prometheus", "metrics")).get("/q/metrics").then().statusCode(200);
    }

    @Test
    void shouldRefuseAJobOutsideItsNamespacesPolicyWithA403NamingTheField() {
        given().header("Authorization", TestTokens.admin())
                .body(bytes(job("escape", Path.of("/tmp/a"), Path.of("/etc/ferry-escape")).json()))
                .contentType("application/yaml").post("/jobs")
                .then().statusCode(403)
                .body("fields[0].field", equalTo("spec.destination.storageUri"))
                .body("error", containsString("namespace 'it' may not use file:///etc/ferry-escape/"));
        given().header("Authorization", TestTokens.admin())
                .body(bytes(job("climb", Path.of("/tmp/a"), Path.of("/tmp/b")).destination("file:///tmp/b/../../etc/x/").json()))
                .contentType("application/yaml").post("/jobs")
                .then().statusCode(400).body("error", containsString("'..'"));
        assertThat(jobsTopic()).noneMatch(r -> r.key().equals("it/escape") || r.key().equals("it/climb"));
    }

    @Test
    void shouldRejectBadJobsWithA400NamingTheFieldAndWriteNothing() {
        given().header("Authorization", TestTokens.admin()).body(bytes(job("unknown-scheme", Path.of("/tmp/a"), Path.of("/tmp/b")).destination("gopher://x/y/").json()))
                .contentType("application/yaml").post("/jobs")
                .then().statusCode(400)
                .body("error", containsString("spec.destination.storageUri"))
                .body("error", containsString("no storage backend for scheme 'gopher'"));
        given().header("Authorization", TestTokens.admin()).body(bytes("""
                metadata: {name: no-destination, namespace: it}
                spec:
                  source: {storageUri: file:///tmp/a/}
                """)).contentType("application/yaml").post("/jobs")
                .then().statusCode(400).body("fields[0].field", equalTo("spec.destination"));
        given().header("Authorization", TestTokens.admin()).body(bytes("metadata:\n  name: [broken\n")).contentType("application/yaml").post("/jobs")
                .then().statusCode(400).body("error", containsString("malformed YAML/JSON at line"));
        given().header("Authorization", TestTokens.admin()).body(bytes("""
                metadata: {name: bad-tier, namespace: it}
                spec:
                  source: {storageUri: file:///tmp/a/}
                  destination: {storageUri: "oci://ns/bucket/", parameters: {storage_tier: glacier, authentication: password}}
                """)).contentType("application/yaml").post("/jobs")
                .then().statusCode(400)
                .body("error", containsString("spec.destination: "))
                .body("error", containsString("parameters.storage_tier must be standard"))
                .body("error", containsString("parameters.authentication must be one of"));
        Set<String> written = jobsTopic().stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertThat(written).doesNotContain("it/unknown-scheme", "it/no-destination", "it/bad-tier");
    }

    @Test
    void shouldAcceptAnOmeJobAndPlanItsSourceWhileListing() throws Exception {
        Path source = Files.createTempDirectory("scanner-src");
        Path destination = Files.createTempDirectory("scanner-dst");
        Random random = new Random(1);
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[1000 + i];
            random.nextBytes(b);
            Files.createDirectories(source.resolve("small/" + i));
            Files.write(source.resolve("small/" + i + "/f.json"), b);
        }
        byte[] big = new byte[5 * 65536 + 7];
        random.nextBytes(big);
        Files.write(source.resolve("big.bin"), big);

        given().header("Authorization", TestTokens.admin()).body(bytes(job("planned", source, destination).destinationParameter("compression", "enabled").json()))
                .contentType("application/yaml").post("/jobs")
                .then().statusCode(201).header("Location", containsString("/jobs/it/planned"))
                .header("Warning", equalTo("299 ferry \"spec.destination.parameters.compression is not honoured by"
                        + " Ferry's file:// backend\""))
                .body("metadata.generation", equalTo(1));
        given().header("Authorization", TestTokens.admin()).get("/jobs/it/planned").then().statusCode(200).body("spec.source.storageUri", equalTo(StorageUri.directory(source)));

        var scans = JsonSerde.of(ScanEvent.class);
        List<ConsumerRecord<String, byte[]>> scanRecords = TopicReader.readUntil(bootstrap, Topics.SCANS,
                rs -> rs.stream().anyMatch(r -> r.key().equals("it/planned") && scans.deserialize(r.topic(), r.value()) instanceof ScanCompleted),
                WAIT);
        ScanCompleted done = scanRecords.stream().filter(r -> r.key().equals("it/planned"))
                .map(r -> scans.deserialize(r.topic(), r.value())).filter(ScanCompleted.class::isInstance)
                .map(ScanCompleted.class::cast).findFirst().orElseThrow();
        assertThat(done.objectsListed()).isEqualTo(4);
        assertThat(done.objectsPlanned()).isEqualTo(4);
        String metrics = awaitMetrics("ferry_scanner_scan_objects_sum{job_name=\"planned\",kind=\"listed\",namespace=\"it\"} 4.0");
        assertThat(metrics).contains("ferry_scanner_scan_objects_sum{job_name=\"planned\",kind=\"planned\",namespace=\"it\"} 4.0")
                .containsPattern("ferry_scanner_scan_duration_seconds_count\\{job_name=\"planned\",namespace=\"it\",outcome=\"completed\"\\} [1-9]");

        var changes = JsonSerde.of(ObjectChanged.class);
        Map<String, ObjectChanged> byKey = TopicReader.readAll(bootstrap, Topics.OBJECT_CHANGES).stream()
                .map(r -> changes.deserialize(r.topic(), r.value())).filter(c -> c.job().equals("it/planned"))
                .collect(Collectors.toMap(ObjectChanged::objectKey, c -> c));
        assertThat(byKey).containsOnlyKeys("small/0/f.json", "small/1/f.json", "small/2/f.json", "big.bin");
        assertThat(byKey.get("big.bin").plan().chunkCount()).isEqualTo(6);
        assertThat(byKey.values()).allSatisfy(c -> assertThat(c.generation()).isEqualTo(done.generation()));

        var tasks = JsonSerde.of(ChunkTask.class);
        List<ChunkTask> planned = TopicReader.readAll(bootstrap, Topics.CHUNK_TASKS).stream()
                .map(r -> tasks.deserialize(r.topic(), r.value())).filter(t -> t.job().equals("it/planned")).toList();
        assertThat(planned.stream().filter(CopyPart.class::isInstance)).hasSize(6);
        assertThat(planned.stream().filter(CopyBatch.class::isInstance).mapToInt(t -> ((CopyBatch) t).objects().size()).sum())
                .isEqualTo(3);
        // the upload was opened at planning time, hidden in the destination
        try (var files = Files.list(destination)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(".ferry-upload-"));
        }

        given().header("Authorization", TestTokens.admin()).delete("/jobs/it/planned").then().statusCode(204);
        given().header("Authorization", TestTokens.admin()).get("/jobs/it/planned").then().statusCode(404);
    }

    @Test
    void shouldParkInvalidJobRecordsWithTheReasonAndKeepServing() throws Exception {
        Path source = Files.createTempDirectory("scanner-src");
        Files.writeString(source.resolve("one.txt"), "1");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOBS, bytes("it/garbage"), bytes("this is { not json"))).get();
            producer.send(new ProducerRecord<>(Topics.JOBS, bytes("it/invalid"),
                    bytes("{\"apiVersion\":\"ome.io/v1beta1\",\"kind\":\"ReplicationJob\",\"metadata\":{\"name\":\"invalid\","
                            + "\"namespace\":\"it\"},\"spec\":{\"source\":{\"storageUri\":\"file:///x/\"}}}"))).get();
            // a valid job from any producer is picked up the same way as a POSTed one
            producer.send(new ProducerRecord<>(Topics.JOBS, bytes("it/from-producer"),
                    bytes(job("from-producer", source, Files.createTempDirectory("scanner-dst")).json()))).get();
        }
        List<ConsumerRecord<String, byte[]>> parked = TopicReader.readUntil(bootstrap, Topics.DEAD_LETTERS,
                rs -> rs.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(Set.of("it/garbage", "it/invalid")),
                WAIT);
        ConsumerRecord<String, byte[]> invalid = parked.stream().filter(r -> r.key().equals("it/invalid")).findFirst().orElseThrow();
        assertThat(DeadLetters.header(invalid.headers(), DeadLetters.REASON)).contains("spec.destination");
        assertThat(DeadLetters.header(invalid.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.JOBS);
        assertThat(DeadLetters.header(invalid.headers(), DeadLetters.SOURCE_OFFSET)).isNotBlank();
        ConsumerRecord<String, byte[]> garbage = parked.stream().filter(r -> r.key().equals("it/garbage")).findFirst().orElseThrow();
        assertThat(new String(garbage.value(), StandardCharsets.UTF_8)).isEqualTo("this is { not json");
        assertThat(DeadLetters.header(garbage.headers(), DeadLetters.REASON)).contains("document: must be a YAML or JSON object");

        var scans = JsonSerde.of(ScanEvent.class);
        assertThat(TopicReader.readUntil(bootstrap, Topics.SCANS,
                rs -> rs.stream().anyMatch(r -> r.key().equals("it/from-producer") && scans.deserialize(r.topic(), r.value()) instanceof ScanCompleted),
                WAIT)).anyMatch(r -> r.key().equals("it/from-producer"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'ferry-scanner-consumers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'ferry-scanner-consumers' }.data.'ferry-job-consumer'", equalTo("polling"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
