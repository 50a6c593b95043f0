package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.oci.server.OciCredentials;
import io.ferry.oci.server.OciServer;
import io.ferry.s3.server.S3Server;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.job.ConditionStatus;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.Secrets;
import io.ferry.storage.StorageUri;
import io.ferry.storage.oci.OciStoreProvider;
import io.ferry.storage.s3.S3StoreProvider;
import io.ferry.testing.TestData;
import io.ferry.testing.TopicReader;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged services as processes, two transfer workers, a Kafka broker process and two local OCI
 * Object Storage servers standing for two regions (every request signature checked), with S3Proxy
 * beside them: OCI to S3, a PVC directory to OCI's Archive tier, OCI to OCI across regions through a
 * 503 storm and source reads dropped mid-body, and a key the destination does not trust.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OciEndToEndIT {
    static final Duration TIMEOUT = Duration.ofMinutes(6);
    static final String PHOENIX = "phx-ns";
    static final String ASHBURN = "iad-ns";

    @TempDir
    static Path dir;
    static OciServer phoenix;
    static OciServer ashburn;
    static S3Server s3;
    static Path ociConfig;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);
    static FerryClient client;

    @BeforeAll
    static void start() throws Exception {
        phoenix = OciServer.start(dir.resolve("oci-phx"), 0, PHOENIX);
        ashburn = OciServer.start(dir.resolve("oci-iad"), 0, ASHBURN);
        OciCredentials credentials = OciCredentials.generate();
        phoenix.trust(credentials);
        ashburn.trust(credentials);
        Path secrets = dir.resolve("secrets");
        // the OCI config and its keys are a mounted Secret: the only place a job's config_file may name
        ociConfig = credentials.writeApiKeyConfig(secrets.resolve("oci"), "DEFAULT", "us-phoenix-1");
        OciCredentials untrusted = OciCredentials.generate();
        Path otherConfig = untrusted.writeApiKeyConfig(secrets.resolve("oci-untrusted"), "UNTRUSTED", "us-ashburn-1");
        Files.writeString(ociConfig, Files.readString(ociConfig) + "\n" + Files.readString(otherConfig));
        s3 = S3Server.start(dir.resolve("s3"), 0, "ferry-e2e", "ferry-e2e-secret", false);
        Files.createDirectories(secrets.resolve("s3-local"));
        Files.writeString(secrets.resolve("s3-local/access_key_id"), s3.accessKey());
        Files.writeString(secrets.resolve("s3-local/secret_access_key"), s3.secretKey());
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 2, Map.of("ferry.topics.partitions", "8",
                "ferry.storage.secrets-dir", secrets.toString(),
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir) + ",s3://,oci://",
                LocalCluster.ANY_NAMESPACE_POLICY + "endpoint-hosts", "127.0.0.1",
                LocalCluster.ANY_NAMESPACE_POLICY + "secrets", "s3-local"));
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        for (AutoCloseable server : new AutoCloseable[] {phoenix, ashburn, s3}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception ignored) {
                // the next one still gets stopped
            }
        }
    }

    /** Parameters of an endpoint on one of the local OCI servers, as a job writes them, and more as key, value, ... */
    static Map<String, Object> ociParameters(OciServer server, String region, String... more) {
        var parameters = new java.util.LinkedHashMap<String, Object>(Map.of("region", region, "endpoint", server.endpoint(),
                "authentication", "user_principal", "config_file", ociConfig.toString()));
        for (int i = 0; i < more.length; i += 2) {
            parameters.put(more[i], more[i + 1]);
        }
        return parameters;
    }

    static String job(String name, String sourceUri, Map<String, ?> sourceParameters, String destinationUri,
            Map<String, ?> destinationParameters) {
        return JobBuilder.job("ocie2e", name).annotation("ome.io/chunk-size", "16MiB")
                .source(sourceUri, sourceParameters).destination(destinationUri, destinationParameters)
                .bothSides("multipart_threshold", "8MiB").json();
    }

    static ObjectStore openOci(OciServer server, String uri, Map<String, Object> extra) throws Exception {
        var parameters = new HashMap<String, Object>(Map.of("endpoint", server.endpoint(),
                "config_file", ociConfig.toString()));
        parameters.putAll(extra);
        return new OciStoreProvider().open(StorageUri.parse(uri), parameters, Map.of());
    }

    static Map<String, byte[]> models() {
        Map<String, byte[]> objects = new TreeMap<>();
        objects.put("llama/config.json", "{\"layers\": 32}".getBytes());
        objects.put("llama/tokenizer.model", TestData.bytes(300_000, 1));
        objects.put("llama/model-00001-of-00002.safetensors", TestData.bytes((40 << 20) + 777, 2));
        objects.put("llama/empty", new byte[0]);
        return objects;
    }

    @Test
    @Order(1)
    void shouldCopyOciToS3KeepingContentTypeAndMetadata() throws Exception {
        phoenix.createBucket("models", "ocid1.compartment.oc1..models");
        s3.createBucket("external-backup");
        Map<String, byte[]> objects = models();
        try (ObjectStore models = openOci(phoenix, "oci://" + PHOENIX + "/models/", Map.of())) {
            for (var e : objects.entrySet()) {
                models.put(e.getKey(), new ByteArrayInputStream(e.getValue()), e.getValue().length,
                        new ObjectAttributes("application/x-test", Map.of("origin", "fixture"), null));
            }
        }
        Map<String, Object> s3Parameters = Map.of("endpoint", s3.endpoint(), "region", "us-west-2",
                "access_key_id_secret", "s3-local", "secret_access_key_secret", "s3-local");
        client.submit(job("oci-to-s3", "oci://" + PHOENIX + "/models/llama/", ociParameters(phoenix, "us-phoenix-1"),
                "s3://external-backup/ome-models/", s3Parameters));
        JobStatus done = await("ocie2e/oci-to-s3");
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.isTrue(ConditionType.Verified)).isTrue();
        var s3Provider = new S3StoreProvider();
        try (ObjectStore copy = s3Provider.open(s3Provider.options(StorageUri.parse("s3://external-backup/ome-models/"),
                s3Parameters), Map.of(Secrets.DIR_SETTING, dir.resolve("secrets").toString()))) {
            S3EndToEndIT.assertCopiedWithAttributes(copy, objects, "llama/");
        }
    }

    @Test
    @Order(2)
    void shouldArchiveAPvcDirectoryToOciVerifiedBeforeItIsArchived() throws Exception {
        phoenix.createBucket("experiments-archive", "ocid1.compartment.oc1..archive");
        Path mount = dir.resolve("mnt/training-data");
        Path source = mount.resolve("completed-experiments");
        SampleData.generate(source, 30, 2, (12L << 20) + 4321, 5);
        client.submit(job("pvc-to-oci", "pvc://training-data-pvc/completed-experiments/",
                Map.of("mount_path", mount.toString()),
                "oci://" + PHOENIX + "/experiments-archive/", ociParameters(phoenix, "us-phoenix-1",
                        "storage_tier", "archive", "compartment_id", "ocid1.compartment.oc1..archive")));
        JobStatus done = await("ocie2e/pvc-to-oci");
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        Path back = dir.resolve("archive-read-back");
        try (ObjectStore archive = openOci(phoenix, "oci://" + PHOENIX + "/experiments-archive/", Map.of());
                var listing = archive.list("")) {
            for (ObjectInfo info : listing.toList()) {
                assertThat(phoenix.storageTier("experiments-archive", info.key())).as(info.key()).isEqualTo("Archive");
                Path file = back.resolve(info.key());
                Files.createDirectories(file.getParent());
                try (var in = archive.open(info.key(), info.version(), 0, info.size())) {
                    Files.copy(in, file);
                }
            }
        }
        EndToEndIT.assertSameTree(source, back);
    }

    @Test
    @Order(3)
    void shouldReplicateAcrossRegionsWithBothWorkersThroughA503StormAndDroppedReads() throws Exception {
        ashburn.createBucket("models-dr", "ocid1.compartment.oc1..dr");
        byte[] big = TestData.bytes(200 << 20, 7);
        try (ObjectStore models = openOci(phoenix, "oci://" + PHOENIX + "/models/", Map.of())) {
            models.put("gpt/model.safetensors", new ByteArrayInputStream(big), big.length,
                    new ObjectAttributes("application/octet-stream", Map.of("model", "gpt"), null));
        }
        phoenix.cutNextReads(3);
        client.submit(job("cross-region", "oci://" + PHOENIX + "/models/", ociParameters(phoenix, "us-phoenix-1"),
                "oci://" + ASHBURN + "/models-dr/replica/", ociParameters(ashburn, "us-ashburn-1",
                        "storage_tier", "infrequent_access")));
        S3EndToEndIT.awaitChunk(cluster.bootstrapServers(), "ocie2e/cross-region", "gpt/model.safetensors");
        ashburn.throttleFor(Duration.ofSeconds(5), 503, 1);
        JobStatus done = await("ocie2e/cross-region");
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.isTrue(ConditionType.Verified)).isTrue();
        assertThat(ashburn.requestsRefused()).as("requests refused in the storm").isPositive();
        assertThat(phoenix.readsCut()).as("source reads dropped mid-body").isEqualTo(3);

        try (ObjectStore replica = openOci(ashburn, "oci://" + ASHBURN + "/models-dr/replica/", Map.of())) {
            for (var e : models().entrySet()) {
                assertThat(readAll(replica, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(readAll(replica, "gpt/model.safetensors")).isEqualTo(big);
        }
        assertThat(ashburn.storageTier("models-dr", "replica/gpt/model.safetensors")).isEqualTo("InfrequentAccess");

        // the multi-part object's parts were copied by both transfer instances
        var changes = JsonSerde.of(ObjectChanged.class);
        ObjectChanged plan = TopicReader.readAll(cluster.bootstrapServers(), Topics.OBJECT_CHANGES).stream()
                .map(r -> changes.deserialize(r.topic(), r.value()))
                .filter(c -> c.job().equals("ocie2e/cross-region") && c.objectKey().equals("gpt/model.safetensors"))
                .reduce((a, b) -> b).orElseThrow();
        var results = JsonSerde.of(ChunkResult.class);
        var workers = TopicReader.readAll(cluster.bootstrapServers(), Topics.CHUNK_RESULTS).stream()
                .map(r -> results.deserialize(r.topic(), r.value()))
                .filter(r -> r instanceof ChunkCopied c && c.planId().equals(plan.planId()))
                .map(r -> ((ChunkCopied) r).worker()).collect(Collectors.toSet());
        assertThat(plan.plan().chunkCount()).isEqualTo(13);
        assertThat(workers).containsExactlyInAnyOrder("transfer-1", "transfer-2");
    }

    @Test
    @Order(4)
    void shouldSayDestinationNotReadyWithNoSecretWhenItsKeyIsNotTrusted() throws Exception {
        Path source = Files.createDirectories(dir.resolve("small"));
        Files.writeString(source.resolve("a.txt"), "a");
        client.submit(job("untrusted-key", "file://" + source + "/", Map.of(), "oci://" + ASHBURN + "/models-dr/",
                ociParameters(ashburn, "us-ashburn-1", "profile", "UNTRUSTED")));
        JobStatus failed = client.awaitStatus("ocie2e/untrusted-key", s -> s.phase() == JobPhase.Failed, TIMEOUT);
        assertThat(failed.condition(ConditionType.DestinationReady).status()).isEqualTo(ConditionStatus.FALSE);
        String key = Files.readString(dir.resolve("secrets/oci-untrusted/oci_api_key.pem"));
        assertThat(failed.message()).contains("access denied").contains("NotAuthenticated")
                .doesNotContain(key.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    @Order(5)
    void shouldCopyWhatAnOciObjectStorageEventNamesWithoutAScan() throws Exception {
        phoenix.createBucket("events", "ocid1.compartment.oc1..events");
        Path destination = dir.resolve("from-oci-events");
        try (ObjectStore bucket = openOci(phoenix, "oci://" + PHOENIX + "/events/", Map.of())) {
            bucket.put("in/first.bin", new ByteArrayInputStream(new byte[] {1}), 1);
            client.submit(JobBuilder.job("ocie2e", "events").mode("continuous").scanInterval("1h")
                    .source("oci://" + PHOENIX + "/events/in/", ociParameters(phoenix, "us-phoenix-1"))
                    .destination(StorageUri.directory(destination)).json());
            long firstScan = client.awaitStatus("ocie2e/events", s -> s.isTrue(ConditionType.InSync), TIMEOUT)
                    .progress().scanGeneration();

            byte[] shard = TestData.bytes(200_000, 9);
            bucket.put("in/shards/s1.bin", new ByteArrayInputStream(shard), shard.length);
            // as OCI Events delivers an Object Storage event (CloudEvents 1.0), e.g. through a Kafka bridge
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                    Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                    new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.TRIGGERS, "oci-event", """
                        {"specversion":"1.0","type":"com.oraclecloud.objectstorage.createobject","source":"ObjectStorage",
                         "id":"e1","time":"2026-12-02T10:00:00Z","data":{"compartmentId":"ocid1.compartment.oc1..events",
                         "resourceName":"in/shards/s1.bin","additionalDetails":{"namespace":"%s","bucketName":"events"}}}
                        """.formatted(PHOENIX))).get();
            }
            Path copied = destination.resolve("shards/s1.bin");
            java.time.Instant deadline = java.time.Instant.now().plus(TIMEOUT);
            while (!(Files.exists(copied) && java.util.Arrays.equals(Files.readAllBytes(copied), shard))) {
                assertThat(java.time.Instant.now()).as("the object the event names copied").isBefore(deadline);
                Thread.sleep(100);
            }
            JobStatus status = client.awaitStatus("ocie2e/events", s -> s.progress().objectsVerified() == 2, TIMEOUT);
            assertThat(status.progress().scanGeneration()).as("copied by the event: no scan since the first").isEqualTo(firstScan);
        }
    }

    static byte[] readAll(ObjectStore store, String key) throws Exception {
        ObjectInfo info = store.stat(key).orElseThrow(() -> new AssertionError(key + " is missing"));
        try (var in = store.open(key, info.version(), 0, info.size())) {
            return in.readAllBytes();
        }
    }

    static JobStatus await(String key) throws Exception {
        Predicate<JobStatus> done = s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed;
        return client.awaitStatus(key, done, TIMEOUT);
    }
}
