package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.auth.SigningKey;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.storage.StorageUri;
import io.ferry.testing.TestSecrets;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.TopicConfiguration;

/**
 * A producer nobody here wrote: Ceph RGW (Debian's 16.2) notifies Ferry of writes, overwrites and
 * deletes in a bucket through its HTTP push endpoint, {@code POST /triggers} with Ferry's token as
 * the Basic password in the endpoint URL (RGW sends no other header). The job scans once an hour:
 * everything after its first scan is replicated by the events. Runs when .ci/run started RGW.
 */
class RgwNotificationsIT {
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static S3Client rgw;
    static String bucket;
    static String topicArn;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(System.getenv("FERRY_TEST_RGW_TLS_ENDPOINT") != null,
                "FERRY_TEST_RGW_TLS_ENDPOINT not set (.ci/run starts Ceph RGW and sets it)");
        Path secrets = dir.resolve("secrets");
        TestSecrets.writeS3(secrets, "rgw", env("FERRY_TEST_RGW_ACCESS_KEY"), env("FERRY_TEST_RGW_SECRET_KEY"));
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 1, Map.of(
                "ferry.storage.secrets-dir", secrets.toString(),
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir) + ",s3://",
                LocalCluster.ANY_NAMESPACE_POLICY + "endpoint-hosts", "127.0.0.1",
                LocalCluster.ANY_NAMESPACE_POLICY + "secrets", "rgw"));
        rgw = S3Client.builder().endpointOverride(URI.create(env("FERRY_TEST_RGW_ENDPOINT"))).region(Region.US_EAST_1)
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env("FERRY_TEST_RGW_ACCESS_KEY"), env("FERRY_TEST_RGW_SECRET_KEY")))).build();
        bucket = "ferry-notify-" + UUID.randomUUID().toString().substring(0, 8);
        rgw.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void stop() throws Exception {
        // the processes this class started are stopped whatever the RGW clean-up does
        try (LocalCluster started = cluster) {
            if (rgw != null) {
                // RGW pushes synchronously: no notification may outlive the endpoint it calls (nor the bucket)
                try (S3Client client = rgw) {
                    client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                            .forEach(o -> client.deleteObject(b -> b.bucket(bucket).key(o.key())));
                    client.deleteBucket(b -> b.bucket(bucket));
                    if (topicArn != null) {
                        sns(Map.of("Action", "DeleteTopic", "TopicArn", topicArn));
                    }
                }
            }
        }
    }

    @Test
    void shouldReplicateWritesOverwritesAndDeletesThatRgwNotifies() throws Exception {
        put("data/seed.bin", "there before the job");
        Path destination = dir.resolve("from-rgw");
        cluster.client().submit(JobBuilder.job("rgw", "notified").mode("continuous").scanInterval("1h").deletePolicy("propagate")
                .source("s3://" + bucket + "/data/", Map.of("endpoint", env("FERRY_TEST_RGW_ENDPOINT"), "region", "us-east-1",
                        "access_key_id_secret", "rgw", "secret_access_key_secret", "rgw", "checksum_mode", "when_required"))
                .destination(StorageUri.directory(destination)).json());
        cluster.client().awaitStatus("rgw/notified", s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 1,
                TIMEOUT);

        // a token that may trigger the job's namespace and nothing else, as the push endpoint's Basic password
        String token = SigningKey.read(dir.resolve("ferry/auth/signing-key.pem"))
                .token("rgw-notifications", List.of("submit:rgw"), Instant.now(), Duration.ofHours(1));
        URI scanner = URI.create(cluster.scannerUrl());
        assertThat(basic(scanner, "wrong-token").statusCode()).as("a wrong password").isEqualTo(401);
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(scanner.resolve("/jobs/rgw/notified"))
                .header("Authorization", basicHeader(token)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("Basic is taken on POST /triggers only").isEqualTo(401);
        String endpoint = "http://ferry:" + token + "@" + scanner.getHost() + ":" + scanner.getPort() + "/triggers";
        String created = sns(Map.of("Action", "CreateTopic", "Name", bucket, "Attributes.entry.1.key", "push-endpoint",
                "Attributes.entry.1.value", endpoint));
        Matcher arn = Pattern.compile("<TopicArn>([^<]+)</TopicArn>").matcher(created);
        assertThat(arn.find()).as(created).isTrue();
        topicArn = arn.group(1);
        rgw.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(c -> c.topicConfigurations(
                TopicConfiguration.builder().id("ferry").topicArn(topicArn)
                        .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED).build())));

        // RGW writes the key as it is: the '+' and the space must survive
        put("data/new model+1.bin", "written after the scan");
        awaitFile(destination.resolve("new model+1.bin"), "written after the scan");
        put("data/seed.bin", "overwritten after the scan");
        awaitFile(destination.resolve("seed.bin"), "overwritten after the scan");
        rgw.deleteObject(b -> b.bucket(bucket).key("data/new model+1.bin"));
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Files.exists(destination.resolve("new model+1.bin"))) {
            assertThat(Instant.now()).as("the copy of the object deleted in RGW deleted").isBefore(deadline);
            Thread.sleep(100);
        }
        cluster.client().awaitStatus("rgw/notified", s -> s.isTrue(ConditionType.InSync)
                && s.progress().objectsVerified() == 1 && s.progress().objectsTotal() == 1, TIMEOUT);
        assertThat(TriggersIT.completedScans(cluster, "rgw", "notified")).as("copied by the events, not by a scan").isEqualTo(1);
    }

    static void put(String key, String content) {
        rgw.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    static void awaitFile(Path file, String content) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!(Files.exists(file) && Files.readString(file).equals(content))) {
            assertThat(Instant.now()).as("%s replicated", file.getFileName()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    static HttpResponse<String> basic(URI scanner, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(scanner.resolve("/triggers"))
                .header("Authorization", basicHeader(token)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"job\":\"rgw/notified\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basicHeader(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("ferry:" + token).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One call of RGW's SNS-compatible topic API over TLS (RGW takes a push endpoint with a password
     * only over TLS), signed with SigV4 as the AWS CLI signs it.
     */
    static String sns(Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder("Version=2010-03-31");
        form.forEach((k, v) -> body.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI uri = URI.create(env("FERRY_TEST_RGW_TLS_ENDPOINT") + "/");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(env("FERRY_TEST_RGW_ACCESS_KEY"), env("FERRY_TEST_RGW_SECRET_KEY")))
                .request(unsigned).payload(ContentStreamProvider.fromUtf8String(body.toString()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sns")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        var request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(trusting(Path.of(env("FERRY_TEST_RGW_CA_FILE")))).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** TLS that trusts the one self-signed certificate RGW was started with. */
    static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("rgw", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    static String env(String name) {
        String value = System.getenv(name);
        assumeTrue(value != null, name + " not set (.ci/run starts Ceph RGW and sets it)");
        return value;
    }
}
