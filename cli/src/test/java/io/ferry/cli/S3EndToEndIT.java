package io.ferry.cli;

import static io.ferry.testing.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.checksum.Checksum;
import io.ferry.s3.server.S3Server;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.events.ChunkResult;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.job.ConditionStatus;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.Access;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.Secrets;
import io.ferry.storage.StorageUri;
import io.ferry.storage.SupportsIntegrityStamp;
import io.ferry.storage.TreeHashStamp;
import io.ferry.storage.s3.S3StoreProvider;
import io.ferry.testing.TestSecrets;
import io.ferry.testing.TopicReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * The packaged services as processes, two transfer workers, a Kafka broker process and a real S3
 * server (S3Proxy, SigV4 enforced): file to S3, S3 to file and S3 to S3, bad credentials, a missing
 * bucket, a source deleted mid-copy, and a transfer instance killed with SIGKILL in the middle of a
 * 1 GiB object. With {@code FERRY_TEST_RGW_ENDPOINT} set (as .ci/run does), one pair also runs
 * against Ceph's RADOS Gateway with {@code checksum_mode: when_required}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3EndToEndIT {
    static final Duration TIMEOUT = Duration.ofMinutes(6);
    static final String WRONG_SECRET = "definitely-not-the-secret-key";

    @TempDir
    static Path dir;
    static S3Server s3;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);
    static FerryClient client;
    static Path secrets;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start(dir.resolve("s3"), 0, "ferry-e2e", "ferry-e2e-secret", false);
        secrets = dir.resolve("secrets");
        TestSecrets.writeS3(secrets, "s3-local", s3.accessKey(), s3.secretKey());
        TestSecrets.writeS3(secrets, "s3-wrong", s3.accessKey(), WRONG_SECRET);
        String rgw = System.getenv("FERRY_TEST_RGW_ENDPOINT");
        if (rgw != null) {
            TestSecrets.writeS3(secrets, "rgw", System.getenv("FERRY_TEST_RGW_ACCESS_KEY"), System.getenv("FERRY_TEST_RGW_SECRET_KEY"));
        }
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        String rgwHost = rgw == null ? "" : "," + Access.hostOf(URI.create(rgw));
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 2, Map.of("ferry.topics.partitions", "8",
                "ferry.storage.secrets-dir", secrets.toString(), "ferry.transfer.session-timeout", "6s",
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir) + ",s3://",
                LocalCluster.ANY_NAMESPACE_POLICY + "endpoint-hosts", "127.0.0.1" + rgwHost,
                LocalCluster.ANY_NAMESPACE_POLICY + "secrets", "s3-local,s3-wrong,rgw"));
        client = cluster.client();
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

    /** Parameters of an endpoint on the local S3 server, as a job writes them. */
    static Map<String, Object> s3Parameters(String secret) {
        return Map.of("endpoint", s3.endpoint(), "region", "us-east-1", "access_key_id_secret", secret,
                "secret_access_key_secret", secret);
    }

    static JobBuilder job(String name, String sourceUri, Map<String, ?> sourceParameters, String destinationUri,
            Map<String, ?> destinationParameters) {
        return JobBuilder.job("s3e2e", name).annotation("ome.io/chunk-size", "32MiB")
                .source(sourceUri, sourceParameters).destination(destinationUri, destinationParameters)
                .bothSides("multipart_threshold", "8MiB");
    }

    static ObjectStore openS3(String uri, String secret, Map<String, Object> extra) {
        var parameters = new HashMap<String, Object>(Map.of("endpoint", s3.endpoint(), "region", "us-east-1",
                "access_key_id_secret", secret, "secret_access_key_secret", secret));
        parameters.putAll(extra);
        var provider = new S3StoreProvider();
        return provider.open(provider.options(StorageUri.parse(uri), parameters), Map.of(Secrets.DIR_SETTING, secrets.toString()));
    }

    @Test
    @Order(1)
    void shouldCopyS3ToFileAndS3ToS3KeepingContentTypeAndMetadata() throws Exception {
        s3.createBucket("models");
        s3.createBucket("models-copy");
        Map<String, byte[]> objects = new TreeMap<>();
        objects.put("llama/config.json", "{\"layers\": 32}".getBytes());
        objects.put("llama/tokenizer.model", bytes(300_000, 1));
        objects.put("llama/model-00001-of-00001.safetensors", bytes((40 << 20) + 777, 2));
        objects.put("llama/empty", new byte[0]);
        try (ObjectStore models = openS3("s3://models/", "s3-local", Map.of())) {
            for (var e : objects.entrySet()) {
                models.put(e.getKey(), new ByteArrayInputStream(e.getValue()), e.getValue().length,
                        new io.ferry.storage.ObjectAttributes("application/x-test", Map.of("origin", "fixture"), null));
            }
        }
        Path local = dir.resolve("from-s3");
        client.submit(job("s3-to-file", "s3://models/llama/", s3Parameters("s3-local"), "file://" + local + "/", Map.of()).json());
        JobStatus toFile = await("s3e2e/s3-to-file", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(toFile.phase()).as(toFile.message()).isEqualTo(JobPhase.Completed);
        assertThat(toFile.isTrue(ConditionType.Verified)).isTrue();
        for (var e : objects.entrySet()) {
            assertThat(Files.readAllBytes(local.resolve(e.getKey().substring("llama/".length())))).isEqualTo(e.getValue());
        }

        client.submit(job("s3-to-s3", "s3://models/llama/", s3Parameters("s3-local"), "s3://models-copy/mirror/",
                s3Parameters("s3-local")).json());
        JobStatus toS3 = await("s3e2e/s3-to-s3", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(toS3.phase()).as(toS3.message()).isEqualTo(JobPhase.Completed);
        try (ObjectStore copy = openS3("s3://models-copy/mirror/", "s3-local", Map.of())) {
            assertCopiedWithAttributes(copy, objects, "llama/");
        }
    }

    /** Each of {@code objects}, less {@code prefix}, is in {@code copy} with its bytes and the fixture's attributes. */
    static void assertCopiedWithAttributes(ObjectStore copy, Map<String, byte[]> objects, String prefix) throws IOException {
        for (var e : objects.entrySet()) {
            String key = e.getKey().substring(prefix.length());
            ObjectInfo info = copy.stat(key).orElseThrow(() -> new AssertionError(key + " is missing"));
            try (var in = copy.open(key, info.version(), 0, info.size())) {
                assertThat(in.readAllBytes()).as(key).isEqualTo(e.getValue());
                assertThat(in.attributes().contentType()).as(key).isEqualTo("application/x-test");
                assertThat(in.attributes().userMetadata()).as(key).containsEntry("origin", "fixture");
            }
        }
    }

    @Test
    @Order(2)
    void shouldLeaveWhatAMultipartObjectHashesToOnItAndCarryAStampThroughAnotherCopy() throws Exception {
        String big = "model-00001-of-00001.safetensors";
        List<Checksum> chunks = new java.util.ArrayList<>();
        try (ObjectStore mirror = openS3("s3://models-copy/mirror/", "s3-local", Map.of())) {
            ObjectInfo info = mirror.stat(big).orElseThrow();
            try (var in = mirror.open(big, info.version(), 0, info.size())) {
                sha256(in, 32 << 20, chunks);
                // S3Proxy kept each part's SHA-256: its composite checksum says what the object hashes to
                assertThat(in.attributes().userMetadata()).doesNotContainKey(SupportsIntegrityStamp.METADATA_KEY);
            }
        }
        assertThat(chunks).hasSize(2);
        assertThat(compositeChecksum("models-copy", "mirror/" + big))
                .isEqualTo(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(Checksum.treeHash(chunks).value())) + "-2");

        // without checksums the server keeps nothing of the kind, and Ferry stamps the object
        var withoutChecksums = new HashMap<String, Object>(s3Parameters("s3-local"));
        withoutChecksums.put("checksum_mode", "when_required");
        client.submit(job("s3-to-s3-stamped", "s3://models-copy/mirror/", s3Parameters("s3-local"), "s3://models-copy/stamped/",
                withoutChecksums).json());
        JobStatus stamped = await("s3e2e/s3-to-s3-stamped", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(stamped.phase()).as(stamped.message()).isEqualTo(JobPhase.Completed);
        String stamp;
        try (ObjectStore copy = openS3("s3://models-copy/stamped/", "s3-local", Map.of())) {
            ObjectInfo info = copy.stat(big).orElseThrow();
            try (var in = copy.open(big, info.version(), 0, 0)) {
                stamp = in.attributes().userMetadata().get(SupportsIntegrityStamp.METADATA_KEY);
            }
        }
        assertThat(stamp).isEqualTo(new TreeHashStamp(32L << 20, Checksum.treeHash(chunks)).toString());

        // and a copy of a stamped object carries the stamp, checked against what its bytes hash to
        client.submit(job("s3-to-s3-again", "s3://models-copy/stamped/", s3Parameters("s3-local"), "s3://models-copy/again/",
                s3Parameters("s3-local")).json());
        JobStatus again = await("s3e2e/s3-to-s3-again", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(again.phase()).as(again.message()).isEqualTo(JobPhase.Completed);
        try (ObjectStore copy = openS3("s3://models-copy/again/", "s3-local", Map.of())) {
            ObjectInfo info = copy.stat(big).orElseThrow();
            try (var in = copy.open(big, info.version(), 0, 0)) {
                assertThat(in.attributes().userMetadata()).containsEntry(SupportsIntegrityStamp.METADATA_KEY, stamp);
            }
        }
    }

    /** The object's checksum as S3 reports it with {@code x-amz-checksum-mode: ENABLED}. */
    static String compositeChecksum(String bucket, String key) {
        try (S3Client s3Client = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build()) {
            return s3Client.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).checksumSHA256();
        }
    }

    @Test
    @Order(3)
    void shouldFailWithTheSideNamedAndNoSecretInTheMessageOnWrongCredentials() throws Exception {
        s3.createBucket("guarded");
        Path source = Files.createDirectories(dir.resolve("small"));
        Files.writeString(source.resolve("a.txt"), "a");
        client.submit(job("wrong-credentials", "file://" + source + "/", Map.of(), "s3://guarded/", s3Parameters("s3-wrong")).json());
        JobStatus failed = await("s3e2e/wrong-credentials", s -> s.phase() == JobPhase.Failed);
        assertThat(failed.condition(ConditionType.DestinationReady).status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(failed.message()).containsIgnoringCase("access denied").doesNotContain(WRONG_SECRET);

        client.submit(job("wrong-source", "s3://guarded/", s3Parameters("s3-wrong"), "file://" + dir.resolve("nowhere") + "/", Map.of()).json());
        JobStatus unreadable = await("s3e2e/wrong-source", s -> s.phase() == JobPhase.Failed);
        assertThat(unreadable.condition(ConditionType.SourceAccessible).status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(unreadable.message()).doesNotContain(WRONG_SECRET);

        client.submit(job("no-bucket", "file://" + source + "/", Map.of(), "s3://no-such-bucket/", s3Parameters("s3-local")).json());
        JobStatus noBucket = await("s3e2e/no-bucket", s -> s.phase() == JobPhase.Failed);
        assertThat(noBucket.message()).contains("bucket 'no-such-bucket' does not exist");
    }

    @Test
    @Order(4)
    void shouldRecordASourceDeletedMidCopyAsGoneAndFinishTheRest() throws Exception {
        s3.createBucket("shrinking");
        s3.createBucket("shrinking-copy");
        try (ObjectStore src = openS3("s3://shrinking/", "s3-local", Map.of())) {
            for (int i = 0; i < 5; i++) {
                byte[] b = bytes(20_000, i);
                src.put("keep-" + i, new ByteArrayInputStream(b), b.length);
            }
            byte[] big = bytes(200 << 20, 9);
            src.put("doomed.bin", new ByteArrayInputStream(big), big.length);
            // 40 parts of 5 MiB, 8 in flight at 20 MB/s per instance: the first confirmations come
            // about a second in, and most parts have not started when the source goes. (A GET already
            // under way keeps serving the version it pinned, as S3 does.)
            client.submit(job("deleted-mid-copy", "s3://shrinking/", s3Parameters("s3-local"), "s3://shrinking-copy/",
                    s3Parameters("s3-local")).destinationParameter("multipart_chunksize", "5MiB")
                    .annotation("ome.io/bandwidth-limit", "20MB/s").json());
            awaitChunk(cluster.bootstrapServers(), "s3e2e/deleted-mid-copy", "doomed.bin");
            src.delete("doomed.bin");
        }
        JobStatus done = await("s3e2e/deleted-mid-copy", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(done.progress().objectsVerified()).as(done.message()).isEqualTo(5);
        String gone = client.get(cluster.verifierUrl() + "/jobs/s3e2e/deleted-mid-copy/objects?state=GONE");
        assertThat(gone).contains("doomed.bin");
        try (ObjectStore copy = openS3("s3://shrinking-copy/", "s3-local", Map.of());
                Stream<ObjectInfo> all = copy.list("")) {
            assertThat(all.map(ObjectInfo::key)).containsExactlyInAnyOrder("keep-0", "keep-1", "keep-2", "keep-3", "keep-4");
        }
    }

    @Test
    @Order(5)
    void shouldRoundTripThroughCephRadosGatewayWithChecksumsOnlyWhenRequired() throws Exception {
        String endpoint = System.getenv("FERRY_TEST_RGW_ENDPOINT");
        assumeTrue(endpoint != null, "FERRY_TEST_RGW_ENDPOINT not set (.ci/run starts Ceph RGW and sets it)");
        Map<String, Object> rgw = Map.of("endpoint", endpoint, "region", "us-east-1", "access_key_id_secret", "rgw",
                "secret_access_key_secret", "rgw", "checksum_mode", "when_required", "multipart_chunksize", "5MiB");
        Path source = dir.resolve("to-rgw");
        SampleData.generate(source, 40, 2, (12L << 20) + 4321, 11);
        String bucket = System.getenv().getOrDefault("FERRY_TEST_RGW_BUCKET", "ferry-e2e");
        client.submit(job("to-rgw", "file://" + source + "/", Map.of(), "s3://" + bucket + "/round-trip/", rgw).json());
        JobStatus up = await("s3e2e/to-rgw", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(up.phase()).as(explain("s3e2e/to-rgw", up)).isEqualTo(JobPhase.Completed);
        Path back = dir.resolve("from-rgw");
        client.submit(job("from-rgw", "s3://" + bucket + "/round-trip/", rgw, "file://" + back + "/", Map.of()).json());
        JobStatus down = await("s3e2e/from-rgw", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(down.phase()).as(explain("s3e2e/from-rgw", down)).isEqualTo(JobPhase.Completed);
        EndToEndIT.assertSameTree(source, back);
    }

    /** Last: it kills a transfer instance. */
    @Test
    @Order(10)
    void shouldFinishA1GiBObjectVerifiedAfterAWorkerIsKilledWithoutRecopyingConfirmedParts() throws Exception {
        s3.createBucket("checkpoints");
        Path source = Files.createDirectories(dir.resolve("checkpoint"));
        Path big = source.resolve("step-1000/model.safetensors");
        String expected = writeLargeFile(big, 1L << 30);
        Files.writeString(source.resolve("step-1000/config.json"), "{\"step\": 1000}");
        client.submit(job("crash", "file://" + source + "/", Map.of(), "s3://checkpoints/run-7/", s3Parameters("s3-local")).json());

        // let transfer-1 confirm some parts of the big object, then kill it
        var results = JsonSerde.of(ChunkResult.class);
        TopicReader.readUntil(cluster.bootstrapServers(), Topics.CHUNK_RESULTS, rs -> rs.stream()
                .map(r -> results.deserialize(r.topic(), r.value()))
                .filter(r -> r instanceof ChunkCopied c && c.job().equals("s3e2e/crash") && c.worker().equals("transfer-1"))
                .count() >= 3, TIMEOUT);
        cluster.transfers().get(0).kill();

        JobStatus done = await("s3e2e/crash", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed);
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.isTrue(ConditionType.Verified)).isTrue();
        try (ObjectStore dest = openS3("s3://checkpoints/run-7/", "s3-local", Map.of())) {
            ObjectInfo info = dest.stat("step-1000/model.safetensors").orElseThrow();
            assertThat(info.size()).isEqualTo(1L << 30);
            var chunks = new java.util.ArrayList<Checksum>();
            try (var in = dest.open(info.key(), info.version(), 0, info.size())) {
                assertThat(sha256(in, 32 << 20, chunks)).isEqualTo(expected);
                assertThat(in.attributes().userMetadata()).doesNotContainKey(SupportsIntegrityStamp.METADATA_KEY);
            }
            // the object's own checksum says what its 32 MiB chunks hash to
            assertThat(compositeChecksum("checkpoints", "run-7/" + info.key())).isEqualTo(Base64.getEncoder().encodeToString(
                    HexFormat.of().parseHex(Checksum.treeHash(chunks).value())) + "-" + chunks.size());
        }

        // every part confirmed exactly once: none confirmed by the killed instance was uploaded again
        var changes = JsonSerde.of(ObjectChanged.class);
        ObjectChanged plan = TopicReader.readAll(cluster.bootstrapServers(), Topics.OBJECT_CHANGES).stream()
                .map(r -> changes.deserialize(r.topic(), r.value()))
                .filter(c -> c.job().equals("s3e2e/crash") && c.objectKey().equals("step-1000/model.safetensors"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(plan.plan().chunkCount()).isGreaterThanOrEqualTo(16);
        List<ChunkCopied> copied = TopicReader.readAll(cluster.bootstrapServers(), Topics.CHUNK_RESULTS).stream()
                .map(r -> results.deserialize(r.topic(), r.value()))
                .filter(r -> r instanceof ChunkCopied c && c.planId().equals(plan.planId()))
                .map(r -> (ChunkCopied) r).toList();
        Map<Integer, Long> perChunk = copied.stream().collect(Collectors.groupingBy(ChunkCopied::chunkIndex, Collectors.counting()));
        assertThat(perChunk).hasSize(plan.plan().chunkCount());
        assertThat(perChunk.values()).containsOnly(1L);
        assertThat(copied).extracting(ChunkCopied::worker).contains("transfer-1", "transfer-2");
    }

    static JobStatus await(String key, Predicate<JobStatus> done) throws Exception {
        return client.awaitStatus(key, done, TIMEOUT);
    }

    /** The status message, and the failed objects with their reasons when there are any. */
    static String explain(String key, JobStatus status) throws Exception {
        if (status.phase() != JobPhase.Failed) {
            return status.message();
        }
        return status.message() + "\n" + client.get(cluster.verifierUrl() + "/jobs/" + key + "/objects?state=FAILED");
    }

    /** Waits until a part or the whole of {@code key} was copied for {@code job}. */
    static void awaitChunk(String bootstrapServers, String job, String key) throws Exception {
        var results = JsonSerde.of(ChunkResult.class);
        TopicReader.readUntil(bootstrapServers, Topics.CHUNK_RESULTS, rs -> rs.stream()
                .flatMap(r -> results.deserialize(r.topic(), r.value()).objectResults().stream())
                .anyMatch(r -> (r instanceof ChunkCopied || r instanceof ObjectCommitted c && c.sent() != null)
                        && r.job().equals(job) && r.objectKey().equals(key)), TIMEOUT);
    }


    /** Writes {@code size} bytes that differ in every MiB, streaming; returns their SHA-256. */
    static String writeLargeFile(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        MessageDigest md = Checksum.newSha256();
        byte[] block = bytes(1 << 20, 42);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                long mib = written >> 20;
                for (int i = 0; i < 8; i++) {
                    block[i] = (byte) (mib >>> (8 * i));
                }
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                md.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 of the whole stream; the SHA-256 of each {@code chunkSize} bytes goes to {@code chunks}. */
    static String sha256(InputStream in, int chunkSize, List<Checksum> chunks) throws IOException {
        MessageDigest whole = Checksum.newSha256();
        byte[] chunk;
        while ((chunk = in.readNBytes(chunkSize)).length > 0) {
            whole.update(chunk);
            chunks.add(Checksum.sha256(Checksum.newSha256().digest(chunk)));
        }
        return HexFormat.of().formatHex(whole.digest());
    }
}
