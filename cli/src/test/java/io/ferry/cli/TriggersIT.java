package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.Secrets;
import io.ferry.storage.StorageUri;
import io.ferry.s3.server.S3Server;
import io.ferry.testing.TestSecrets;
import io.ferry.testing.TopicReader;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication triggered from the outside on a real broker: continuous jobs whose scans run once an
 * hour copy what a plain producer's record or an S3 bucket notification names within seconds, with
 * no scan; a trigger for a version already verified copies nothing; a record that is no trigger, or
 * reaches no job, is parked with the reason.
 */
class TriggersIT {
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    static S3Server s3;
    static Path secrets;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start(dir.resolve("s3"), 0, "ferry-triggers", "ferry-triggers-secret", false);
        secrets = dir.resolve("secrets");
        TestSecrets.writeS3(secrets, "s3-local", s3.accessKey(), s3.secretKey());
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 1, Map.of("ferry.topics.partitions", "4",
                "ferry.storage.secrets-dir", secrets.toString(),
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir) + ",s3://",
                LocalCluster.ANY_NAMESPACE_POLICY + "endpoint-hosts", "127.0.0.1",
                LocalCluster.ANY_NAMESPACE_POLICY + "secrets", "s3-local"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void shouldCopyWhatPlainTriggersNameWithoutAScanAndAVerifiedVersionNeverTwice() throws Exception {
        Path source = dir.resolve("plain-source");
        Path destination = dir.resolve("plain-destination");
        SampleData.generateFixed(source, 3, 2048, 1);
        cluster.client().submit(JobBuilder.job("trig", "plain").mode("continuous").scanInterval("1h")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination)).json());
        cluster.client().awaitStatus("trig/plain", s -> s.isTrue(ConditionType.InSync), TIMEOUT);
        assertThat(completedScans("trig", "plain")).isEqualTo(1);

        Files.createDirectories(source.resolve("new"));
        Files.writeString(source.resolve("new/a.bin"), "a, written after the scan");
        produce("t1", "{\"job\":\"trig/plain\",\"key\":\"new/a.bin\"}");
        awaitCopied(source, destination, "new/a.bin");

        Files.writeString(source.resolve("b.bin"), "b, named by where it is");
        produce("t1", "{\"storageUri\":\"" + StorageUri.directory(source) + "\",\"key\":\"b.bin\"}");
        awaitCopied(source, destination, "b.bin");
        cluster.client().awaitStatus("trig/plain", s -> s.progress().objectsVerified() == 5 && s.progress().objectsInFlight() == 0,
                TIMEOUT);

        // the same trigger again, then one for a new file, in order on one partition: when the second
        // one's plan is on the topic, the first one planned nothing
        Files.writeString(source.resolve("c.bin"), "c");
        produce("t1", "{\"job\":\"trig/plain\",\"key\":\"new/a.bin\"}");
        produce("t1", "{\"job\":\"trig/plain\",\"key\":\"c.bin\"}");
        var changes = TopicReader.readUntil(cluster.bootstrapServers(), Topics.OBJECT_CHANGES,
                rs -> rs.stream().anyMatch(r -> "trig/plain|c.bin".equals(r.key())), TIMEOUT);
        assertThat(changes.stream().filter(r -> "trig/plain|new/a.bin".equals(r.key()))).as("plans of new/a.bin").hasSize(1);
        awaitCopied(source, destination, "c.bin");

        // the whole job: a scan now instead of in an hour
        Files.writeString(source.resolve("d.bin"), "d");
        produce("t1", "{\"job\":\"trig/plain\"}");
        awaitCopied(source, destination, "d.bin");
        assertThat(completedScans("trig", "plain")).as("the plain triggers above ran no scan").isEqualTo(2);

        produce("bad-1", "{\"job\":\"trig/nobody\",\"key\":\"x\"}");
        produce("bad-2", "\u0000 not json");
        produce("bad-3", "{\"storageUri\":\"file:///nowhere/\",\"key\":\"x\"}");
        var parked = TopicReader.readUntil(cluster.bootstrapServers(), Topics.DEAD_LETTERS,
                rs -> rs.stream().filter(r -> r.key() != null && r.key().startsWith("bad-")).count() == 3, TIMEOUT);
        Map<String, String> reasons = new java.util.TreeMap<>();
        parked.stream().filter(r -> r.key() != null && r.key().startsWith("bad-"))
                .forEach(r -> reasons.put(r.key(), DeadLetters.header(r.headers(), DeadLetters.REASON)));
        assertThat(reasons).containsEntry("bad-1", "unknown job 'trig/nobody'")
                .containsEntry("bad-3", "no continuous job's source covers file:///nowhere/x");
        assertThat(reasons.get("bad-2")).startsWith("a trigger is JSON");
    }

    @Test
    void shouldCopyWhatAnS3BucketNotificationNamesAtOnce() throws Exception {
        s3.createBucket("events");
        Path destination = dir.resolve("from-events");
        try (ObjectStore bucket = openS3("s3://events/")) {
            bucket.put("in/first.bin", new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
            cluster.client().submit(JobBuilder.job("trig", "s3").mode("continuous").scanInterval("1h")
                    .source("s3://events/in/", Map.of("endpoint", s3.endpoint(), "region", "us-east-1",
                            "access_key_id_secret", "s3-local", "secret_access_key_secret", "s3-local"))
                    .destination(StorageUri.directory(destination)).json());
            cluster.client().awaitStatus("trig/s3", s -> s.isTrue(ConditionType.InSync), TIMEOUT);

            byte[] model = "a model shard with a space in its name".getBytes(StandardCharsets.UTF_8);
            bucket.put("in/new model.bin", new ByteArrayInputStream(model), model.length);
            // as AWS S3 and MinIO's Kafka target write it: the key form-encoded
            produce("e1", """
                    {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"s3:ObjectCreated:Put",
                      "s3":{"bucket":{"name":"events"},"object":{"key":"in/new+model.bin","size":%d}}}]}
                    """.formatted(model.length));
            Path copied = destination.resolve("new model.bin");
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (!(Files.exists(copied) && java.util.Arrays.equals(Files.readAllBytes(copied), model))) {
                assertThat(Instant.now()).as("the notified object copied").isBefore(deadline);
                Thread.sleep(100);
            }
            assertThat(completedScans("trig", "s3")).as("copied by the event, not by a scan").isEqualTo(1);
        }
    }

    @Test
    void shouldPropagateDeletesFromEventsAndScansButNoneWhenMoreAreGoneThanTheLimit() throws Exception {
        Path source = dir.resolve("deletes-source");
        Path destination = dir.resolve("deletes-destination");
        SampleData.generateFixed(source, 5, 1024, 13);
        JobBuilder job = JobBuilder.job("trig", "deletes").mode("continuous").scanInterval("1h").deletePolicy("propagate")
                .annotation("ome.io/max-delete", "2")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination));
        cluster.client().submit(job.json());
        cluster.client().awaitStatus("trig/deletes", s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 5,
                TIMEOUT);

        // one delete, reported by an event: gone at the destination without a scan
        String first = "dataset/shard-0/sample-0.bin";
        Files.delete(source.resolve(first));
        produce("d1", "{\"job\":\"trig/deletes\",\"key\":\"" + first + "\"}");
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Files.exists(destination.resolve(first))) {
            assertThat(Instant.now()).as("the copy of the deleted object deleted").isBefore(deadline);
            Thread.sleep(100);
        }
        cluster.client().awaitStatus("trig/deletes", s -> s.progress().objectsTotal() == 4 && s.isTrue(ConditionType.InSync),
                TIMEOUT);
        assertThat(completedScans("trig", "deletes")).as("deleted on the event, not by a scan").isEqualTo(1);

        // three more gone, found by a scan: more than ome.io/max-delete allows, so none is deleted
        for (int i = 1; i <= 3; i++) {
            Files.delete(source.resolve("dataset/shard-0/sample-" + i + ".bin"));
        }
        produce("d2", "{\"job\":\"trig/deletes\"}");
        var held = cluster.client().awaitStatus("trig/deletes", s -> s.condition(ConditionType.InSync) != null
                && "DeleteLimitExceeded".equals(s.condition(ConditionType.InSync).reason()), TIMEOUT);
        assertThat(held.progress().objectsGone()).isEqualTo(3);
        assertThat(held.condition(ConditionType.HealthCheck).message()).contains("3 objects are gone at the source", "(2)");
        for (int i = 1; i <= 3; i++) {
            assertThat(destination.resolve("dataset/shard-0/sample-" + i + ".bin")).as("held back").exists();
        }

        // the limit raised: the next scan deletes them, and only them
        cluster.client().submit(job.annotation("ome.io/max-delete", "100%").json());
        var done = cluster.client().awaitStatus("trig/deletes", s -> s.isTrue(ConditionType.InSync)
                && s.progress().objectsGone() == 0 && s.progress().objectsTotal() == 1, TIMEOUT);
        assertThat(done.isTrue(ConditionType.HealthCheck)).isTrue();
        for (int i = 1; i <= 3; i++) {
            assertThat(destination.resolve("dataset/shard-0/sample-" + i + ".bin")).doesNotExist();
        }
        assertThat(Files.mismatch(source.resolve("dataset/shard-0/sample-4.bin"),
                destination.resolve("dataset/shard-0/sample-4.bin"))).isEqualTo(-1);
    }

    @Test
    void shouldPauseASuspendedJobAndResumeItWithoutCopyingAgainWhatWasVerified() throws Exception {
        Path source = dir.resolve("suspend-source");
        Path destination = dir.resolve("suspend-destination");
        SampleData.generateFixed(source, 3, 1024, 17);
        JobBuilder job = JobBuilder.job("trig", "paused").mode("continuous").scanInterval("1h")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination));
        cluster.client().submit(job.json());
        cluster.client().awaitStatus("trig/paused", s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 3,
                TIMEOUT);
        Map<Path, java.nio.file.attribute.FileTime> copiedAt = new java.util.HashMap<>();
        try (var files = Files.walk(destination)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                copiedAt.put(f, Files.getLastModifiedTime(f));
            }
        }

        cluster.client().submit(job.suspend(true).json());
        cluster.client().awaitStatus("trig/paused", s -> s.phase() == io.ferry.schemas.job.JobPhase.Suspended, TIMEOUT);
        Files.writeString(source.resolve("while-suspended.bin"), "written while the job was suspended");
        HttpResponse<String> run = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cluster.scannerUrl() + "/jobs/trig/paused/sync")).header("Authorization", "Bearer " + cluster.token())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(run.statusCode()).as(run.body()).isEqualTo(409);
        assertThat(run.body()).contains("suspended");
        // a trigger for it, then one for another job on the same partition: once the second is acted
        // on, the first was read, and skipped
        Path marker = dir.resolve("suspend-marker-source");
        SampleData.generateFixed(marker, 1, 16, 19);
        cluster.client().submit(JobBuilder.job("trig", "marker").mode("continuous").scanInterval("1h")
                .source(StorageUri.directory(marker)).destination(StorageUri.directory(dir.resolve("suspend-marker"))).json());
        cluster.client().awaitStatus("trig/marker", s -> s.isTrue(ConditionType.InSync), TIMEOUT);
        Files.writeString(marker.resolve("after.bin"), "after the suspended job's trigger");
        produce("s1", "{\"job\":\"trig/paused\",\"key\":\"while-suspended.bin\"}");
        produce("s1", "{\"job\":\"trig/marker\",\"key\":\"after.bin\"}");
        awaitCopied(marker, dir.resolve("suspend-marker"), "after.bin");
        assertThat(destination.resolve("while-suspended.bin")).as("nothing copied while suspended").doesNotExist();

        cluster.client().submit(job.suspend(false).json());
        cluster.client().awaitStatus("trig/paused", s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 4,
                TIMEOUT);
        assertThat(Files.readString(destination.resolve("while-suspended.bin"))).isEqualTo("written while the job was suspended");
        for (var copied : copiedAt.entrySet()) {
            assertThat(Files.getLastModifiedTime(copied.getKey())).as("%s not copied again on resuming", copied.getKey())
                    .isEqualTo(copied.getValue());
        }
    }

    @Test
    void shouldTakeTriggersOverHttpFromCallersWhoMaySubmitToTheJobsNamespace() throws Exception {
        Path source = dir.resolve("http-source");
        Path destination = dir.resolve("http-destination");
        SampleData.generateFixed(source, 2, 1024, 3);
        cluster.client().submit(JobBuilder.job("hooks", "http").mode("continuous").scanInterval("1h")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination)).json());
        cluster.client().awaitStatus("hooks/http", s -> s.isTrue(ConditionType.InSync), TIMEOUT);
        Files.writeString(source.resolve("pushed.bin"), "pushed by a webhook");
        String trigger = "{\"storageUri\":\"" + StorageUri.directory(source) + "\",\"key\":\"pushed.bin\"}";
        String reader = io.ferry.auth.SigningKey.read(dir.resolve("ferry/auth/signing-key.pem"))
                .token("reader", java.util.List.of("read:hooks", "submit:elsewhere"), Instant.now(), Duration.ofHours(1));

        assertThat(post(null, trigger).statusCode()).isEqualTo(401);
        HttpResponse<String> forbidden = post(reader, trigger);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("submit:hooks");
        assertThat(post(cluster.token(), "{\"job\":\"hooks/nobody\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> junk = post(cluster.token(), "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\"}]}");
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(junk.body()).contains("Records[0].s3.bucket.name must be a non-empty string");
        assertThat(Files.exists(destination.resolve("pushed.bin"))).as("nothing refused was acted on").isFalse();

        HttpResponse<String> accepted = post(cluster.token(), trigger);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body()).contains("hooks/http");
        awaitCopied(source, destination, "pushed.bin");
    }

    @Test
    void shouldWaitForAOnceRunAContinuousJobInSyncOrAFailureWithTheirExitCodes() throws Exception {
        Path source = dir.resolve("wait-source");
        SampleData.generateFixed(source, 4, 4096, 5);
        cluster.client().submit(JobBuilder.job("wait", "once").source(StorageUri.directory(source))
                .destination(StorageUri.directory(dir.resolve("wait-once"))).json());
        assertThat(ferryWait("wait/once", "3m")).as("a once run Completed and Verified").isZero();
        cluster.client().submit(JobBuilder.job("wait", "always").mode("continuous").scanInterval("1h")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(dir.resolve("wait-always"))).json());
        assertThat(ferryWait("wait/always", "3m")).as("a continuous job in sync").isZero();
        cluster.client().submit(JobBuilder.job("wait", "broken").source(StorageUri.directory(dir.resolve("wait-missing")))
                .destination(StorageUri.directory(dir.resolve("wait-broken"))).json());
        assertThat(ferryWait("wait/broken", "3m")).as("a job that failed").isEqualTo(1);
        assertThat(ferryWait("wait/never-submitted", "2s")).as("timed out").isEqualTo(2);

        // a once run asked for again copies what changed since, and completes again
        Files.writeString(source.resolve("after-the-run.bin"), "new since the run");
        assertThat(Ferry.commandLine().execute("sync", "wait/once", "--scanner", cluster.scannerUrl(), "--token-file",
                cluster.tokenFile().toString())).isZero();
        Path copy = dir.resolve("wait-once/after-the-run.bin");
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!Files.exists(copy)) {
            assertThat(Instant.now()).as("the second run copied the new file").isBefore(deadline);
            Thread.sleep(100);
        }
        assertThat(cluster.client().awaitStatus("wait/once", s -> s.progress().objectsVerified() == 5
                && s.phase() == io.ferry.schemas.job.JobPhase.Completed, TIMEOUT).isTrue(ConditionType.Verified)).isTrue();

        // what downstream consumers read: one event per occurrence, CloudEvents-shaped
        var serde = io.ferry.schemas.JsonSerde.of(io.ferry.schemas.events.JobEvent.class);
        var events = TopicReader.readUntil(cluster.bootstrapServers(), Topics.JOB_EVENTS, rs -> rs.stream()
                .filter(r -> r.key() != null && r.key().startsWith("wait/")).count() >= 3, TIMEOUT);
        Map<String, String> types = new java.util.TreeMap<>();
        events.stream().filter(r -> r.key() != null && r.key().startsWith("wait/"))
                .forEach(r -> types.merge(r.key(), serde.deserialize(Topics.JOB_EVENTS, r.value()).type(), (a, b) -> a + "," + b));
        assertThat(types.get("wait/once")).startsWith(io.ferry.schemas.events.JobEvent.COMPLETED);
        assertThat(types)
                .containsEntry("wait/always", io.ferry.schemas.events.JobEvent.IN_SYNC)
                .containsEntry("wait/broken", io.ferry.schemas.events.JobEvent.FAILED);
        var completed = events.stream().filter(r -> "wait/once".equals(r.key())).findFirst().orElseThrow();
        var event = serde.deserialize(Topics.JOB_EVENTS, completed.value());
        assertThat(event.specversion()).isEqualTo("1.0");
        assertThat(event.data().objectsVerified()).isEqualTo(4);
        assertThat(event.data().bytesVerified()).isEqualTo(4 * 4096);
    }

    static int ferryWait(String job, String timeout) {
        return Ferry.commandLine().execute("wait", job, "--verifier", cluster.verifierUrl(), "--token-file",
                cluster.tokenFile().toString(), "--timeout", timeout);
    }

    @Test
    void shouldRunAScheduledJobAtEachTimeItsScheduleNamesAndCompleteEachRun() throws Exception {
        Path source = dir.resolve("scheduled-source");
        Path destination = dir.resolve("scheduled-destination");
        SampleData.generateFixed(source, 2, 1024, 11);
        cluster.client().submit(JobBuilder.job("cron", "minutely").mode("scheduled").schedule("* * * * *")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(destination)).json());
        var first = cluster.client().awaitStatus("cron/minutely", s -> s.phase() == io.ferry.schemas.job.JobPhase.Completed
                && s.progress().objectsVerified() == 2, Duration.ofMinutes(3));
        assertThat(first.isTrue(ConditionType.Verified)).isTrue();
        assertThat(first.condition(ConditionType.InSync)).as("a scheduled run completes; it is not kept in sync").isNull();
        Files.writeString(source.resolve("between-runs.bin"), "written between two runs");
        var second = cluster.client().awaitStatus("cron/minutely", s -> s.phase() == io.ferry.schemas.job.JobPhase.Completed
                && s.progress().objectsVerified() == 3, Duration.ofMinutes(3));
        // scan numbers are their start times in ms: the second run started at the next minute
        long firstRun = first.progress().scanGeneration();
        long secondRun = second.progress().scanGeneration();
        assertThat(secondRun - firstRun).as("ms between the runs").isBetween(50_000L, 70_000L);
        assertThat(Instant.ofEpochMilli(secondRun).atZone(java.time.ZoneOffset.UTC).getSecond()).as("on the minute").isLessThan(10);
        assertThat(Files.readString(destination.resolve("between-runs.bin"))).isEqualTo("written between two runs");
    }

    static HttpResponse<String> post(String token, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(cluster.scannerUrl() + "/triggers"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void awaitCopied(Path source, Path destination, String key) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        Path copy = destination.resolve(key);
        while (!(Files.exists(copy) && Files.mismatch(source.resolve(key), copy) == -1)) {
            assertThat(Instant.now()).as("%s copied", key).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    static void produce(String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TRIGGERS, key, value)).get();
        }
    }

    static long completedScans(String namespace, String name) throws Exception {
        return completedScans(cluster, namespace, name);
    }

    /** The scans of a job that completed, as the scanner's metrics count them. */
    static long completedScans(LocalCluster cluster, String namespace, String name) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.scannerUrl() + "/q/metrics"))
                .header("Authorization", "Bearer " + cluster.token()).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^ferry_scanner_scan_duration_seconds_count\\{job_name=\"" + name + "\",namespace=\""
                + namespace + "\",outcome=\"completed\"\\} ([0-9.]+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    static ObjectStore openS3(String uri) throws Exception {
        var provider = ServiceLoader.load(io.ferry.storage.ObjectStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains("s3")).findFirst().orElseThrow();
        return provider.open(provider.options(StorageUri.parse(uri), Map.of("endpoint", s3.endpoint(), "region", "us-east-1",
                "access_key_id_secret", "s3-local", "secret_access_key_secret", "s3-local")),
                Map.of(Secrets.DIR_SETTING, secrets.toString()));
    }
}
