package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.StorageUri;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services against a broker that takes clients only over SASL_SSL (SCRAM-SHA-512, a TLS
 * certificate of its own): every hand-built client and both Kafka Streams apps connect with the
 * standard {@code kafka.*} settings and a job syncs and verifies; a client without them, or with a
 * wrong password, gets nothing.
 */
class SecureKafkaIT {
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);

    @BeforeAll
    static void startCluster() throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 1, Map.of("ferry.topics.partitions", "2",
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir)), true);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldSyncAndVerifyOverSaslSsl() throws Exception {
        assertThat(cluster.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL");
        Path source = dir.resolve("source");
        Path destination = dir.resolve("destination");
        SampleData.generate(source, 30, 1, (2L << 20) + 3, 11);
        FerryClient client = cluster.client();
        client.submit(JobBuilder.job("secure", "sync").source(StorageUri.directory(source))
                .destination(StorageUri.directory(destination))
                .bothSides("multipart_threshold", "1MiB").bothSides("multipart_chunksize", "1MiB").json());
        JobStatus done = client.awaitStatus("secure/sync", s -> s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed,
                TIMEOUT);
        assertThat(done.phase()).as(done.message()).isEqualTo(JobPhase.Completed);
        assertThat(done.isTrue(ConditionType.Verified)).isTrue();
        EndToEndIT.assertSameTree(source, destination);
    }

    @Test
    void shouldGiveAClientWithoutTheSettingsOrWithAWrongPasswordNothing() {
        Properties plaintext = new Properties();
        plaintext.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        plaintext.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        plaintext.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS)).as("PLAINTEXT against SASL_SSL")
                    .isInstanceOf(ExecutionException.class);
        }

        Map<String, Object> wrongPassword = new HashMap<>(cluster.kafkaClientProperties());
        wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"ferry\" password=\"not-the-password\";");
        wrongPassword.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        wrongPassword.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        wrongPassword.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(wrongPassword)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }

        Map<String, Object> right = new HashMap<>(cluster.kafkaClientProperties());
        right.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (Admin admin = Admin.create(right)) {
            assertThat(assertDoesNotThrow(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS)))
                    .contains("ferry.jobs.v1", "ferry.chunk-tasks.v1");
        }
    }
}
