package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.s3.server.S3Server;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.StorageUri;
import io.ferry.testing.TestSecrets;
import io.ferry.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One value, the canary, is an S3 secret key in a mounted secret file and in a
 * {@code FERRY_SECRET_*} variable of every service, an OCI key passphrase, and a line of a file
 * named as an OCI config. Jobs that succeed with it and jobs that fail on purpose (a bad OCI
 * config and key, a config file that is no config, an endpoint nobody answers, inline
 * credentials, a URI with user info) run; then every topic, every service log, every API answer
 * and every service's metrics are read: the canary is nowhere.
 */
class SecretsCanaryIT {
    static final Duration TIMEOUT = Duration.ofMinutes(4);
    static final String CANARY = "canary" + UUID.randomUUID().toString().replace("-", "");
    static final String ACCESS_KEY = "canary-access";

    @TempDir
    static Path dir;
    static S3Server s3;
    static Path secrets;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start(dir.resolve("s3"), 0, ACCESS_KEY, CANARY, false);
        s3.createBucket("canary");
        secrets = dir.resolve("secrets");
        TestSecrets.writeS3(secrets, "s3-file", ACCESS_KEY, CANARY);
        Files.createDirectories(secrets.resolve("oci-bad"));
        Files.writeString(secrets.resolve("oci-bad/key.pem"), "-----BEGIN RSA PRIVATE KEY-----\n" + CANARY
                + "\n-----END RSA PRIVATE KEY-----\n");
        Files.writeString(secrets.resolve("oci-bad/config"), "[DEFAULT]\nuser=ocid1.user.oc1..a\nfingerprint=aa:bb\n"
                + "tenancy=ocid1.tenancy.oc1..a\nregion=us-phoenix-1\nkey_file=" + secrets.resolve("oci-bad/key.pem")
                + "\npass_phrase=" + CANARY + "\n");
        Files.createDirectories(secrets.resolve("environ"));
        Files.writeString(secrets.resolve("environ/config"), "PATH=/usr/bin\0FERRY_SECRET_S3_SECRET_ACCESS_KEY=" + CANARY + "\0");
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ferry.topics.partitions", "2");
        settings.put("ferry.storage.secrets-dir", secrets.toString());
        settings.put(LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir) + ",s3://canary/,oci://ns/");
        settings.put(LocalCluster.ANY_NAMESPACE_POLICY + "endpoint-hosts", "127.0.0.1");
        settings.put(LocalCluster.ANY_NAMESPACE_POLICY + "secrets", "s3-file,s3-env");
        // the secret s3-env exists only in the services' environment
        settings.put("FERRY_SECRET_S3_ENV_ACCESS_KEY_ID", ACCESS_KEY);
        settings.put("FERRY_SECRET_S3_ENV_SECRET_ACCESS_KEY", CANARY);
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 1, settings);
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

    static Map<String, Object> s3Side(String secret, String endpoint) {
        return Map.of("endpoint", endpoint, "region", "us-east-1", "access_key_id_secret", secret, "secret_access_key_secret", secret);
    }

    static Map<String, Object> ociSide(String config) {
        return Map.of("endpoint", "http://127.0.0.1:1", "region", "us-phoenix-1", "config_file", secrets.resolve(config).toString());
    }

    JobStatus run(FerryClient client, String name, String sourceUri, Map<String, Object> source, String destinationUri,
            Map<String, Object> destination) throws Exception {
        client.submit(JobBuilder.job("canary", name).source(sourceUri, source).destination(destinationUri, destination).json());
        return client.awaitStatus("canary/" + name, s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed, TIMEOUT);
    }

    @Test
    void shouldNeverShowTheCanaryAnywhere() throws Exception {
        FerryClient client = cluster.client();
        Path source = dir.resolve("source");
        SampleData.generate(source, 12, 0, 0, 3);
        List<String> answers = new ArrayList<>();

        assertThat(run(client, "up", StorageUri.directory(source), Map.of(), "s3://canary/up/", s3Side("s3-file", s3.endpoint()))
                .phase()).isEqualTo(JobPhase.Completed);
        assertThat(run(client, "down", "s3://canary/up/", s3Side("s3-env", s3.endpoint()), StorageUri.directory(dir.resolve("down")),
                Map.of()).phase()).isEqualTo(JobPhase.Completed);
        EndToEndIT.assertSameTree(source, dir.resolve("down"));
        assertThat(run(client, "nobody-answers", StorageUri.directory(source), Map.of(), "s3://canary/x/",
                s3Side("s3-file", "http://127.0.0.1:1")).phase()).isEqualTo(JobPhase.Failed);
        JobStatus badKey = run(client, "bad-oci-key", StorageUri.directory(source), Map.of(), "oci://ns/b/", ociSide("oci-bad/config"));
        assertThat(badKey.phase()).isEqualTo(JobPhase.Failed);
        assertThat(badKey.message()).contains("key_file");
        assertThat(run(client, "not-a-config", StorageUri.directory(source), Map.of(), "oci://ns/b/", ociSide("environ/config"))
                .phase()).isEqualTo(JobPhase.Failed);

        answers.add(refused(JobBuilder.job("canary", "inline").source(StorageUri.directory(source))
                .destination("s3://canary/y/", Map.of("endpoint", s3.endpoint(), "secret_access_key", CANARY)).json(), 400));
        answers.add(refused(JobBuilder.job("canary", "userinfo").source(StorageUri.directory(source))
                .destination("s3://" + ACCESS_KEY + ":" + CANARY + "@canary/y/").json(), 400));
        answers.add(refused(JobBuilder.job("canary", "environ").source(StorageUri.directory(source))
                .destination("oci://ns/b/", Map.of("endpoint", "http://127.0.0.1:1", "config_file", "/proc/self/environ")).json(), 403));

        answers.add(client.get(cluster.scannerUrl() + "/jobs"));
        for (String job : List.of("up", "down", "nobody-answers", "bad-oci-key", "not-a-config")) {
            answers.add(client.get(cluster.verifierUrl() + "/jobs/canary/" + job + "/status"));
            answers.add(client.get(cluster.verifierUrl() + "/jobs/canary/" + job + "/objects?limit=1000"));
        }
        for (ServiceProcess service : cluster.services()) {
            answers.add(client.get(service.url() + "/q/metrics"));
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(CANARY));

        for (Topics.TopicSpec topic : Topics.ALL) {
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(cluster.bootstrapServers(), topic.name())) {
                StringBuilder seen = new StringBuilder(String.valueOf(r.key()));
                seen.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
                for (Header h : r.headers()) {
                    seen.append(new String(h.value(), StandardCharsets.UTF_8));
                }
                assertThat(seen.toString()).as("%s-%d@%d", r.topic(), r.partition(), r.offset()).doesNotContain(CANARY);
            }
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir.resolve("ferry/logs"))) {
            logs = files.toList();
        }
        assertThat(logs).hasSizeGreaterThanOrEqualTo(3);
        for (Path log : logs) {
            assertThat(Files.readString(log)).as(log.toString()).doesNotContain(CANARY);
        }
    }

    /** POSTs a job that must be refused with {@code status}; returns the answer. */
    String refused(String job, int status) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.scannerUrl() + "/jobs"))
                .header("Authorization", "Bearer " + cluster.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(job)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body();
    }
}
