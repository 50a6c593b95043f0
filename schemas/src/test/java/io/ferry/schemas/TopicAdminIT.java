package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.kafka.broker.KafkaBroker;
import io.ferry.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicAdminIT {
    static final TopicSettings ONE_BROKER = TopicSettings.of(Optional.of(3), Optional.of((short) 1), Optional.of(1),
            Optional.of(Duration.ofDays(1)), Optional.of(2 << 20));

    @Test
    void shouldCreateTopicsWithTheSettingsAndReportWhereExistingOnesDiffer() throws Exception {
        try (KafkaBroker broker = TestKafka.start()) {
            assertThat(TopicAdmin.ensureTopics(KafkaConnection.plaintext(broker.bootstrapServers()), ONE_BROKER)).as("freshly created").isEmpty();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                var changes = new ConfigResource(ConfigResource.Type.TOPIC, Topics.OBJECT_CHANGES);
                var jobs = new ConfigResource(ConfigResource.Type.TOPIC, Topics.JOBS);
                Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(changes, jobs)).all().get();
                assertThat(configs.get(changes).get("retention.ms").value()).isEqualTo("86400000");
                assertThat(configs.get(changes).get("max.message.bytes").value()).isEqualTo(Integer.toString(2 << 20));
                assertThat(configs.get(jobs).get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(configs.get(jobs).get("min.insync.replicas").value()).isEqualTo("1");
                assertThat(admin.describeTopics(List.of(Topics.CHUNK_TASKS)).allTopicNames().get()
                        .get(Topics.CHUNK_TASKS).partitions()).hasSize(3);
            }

            // Settings changed after the topics exist: nothing is changed, every difference is reported.
            TopicSettings changed = TopicSettings.of(Optional.of(4), Optional.of((short) 1), Optional.of(1),
                    Optional.of(Duration.ofDays(1)), Optional.of(4 << 20));
            List<String> differences = TopicAdmin.ensureTopics(KafkaConnection.plaintext(broker.bootstrapServers()), changed);
            assertThat(differences).contains(
                    Topics.CHUNK_TASKS + " has 3 partitions, the settings say 4 (ferry.topics.partitions)",
                    Topics.JOBS + " has max.message.bytes=" + (2 << 20) + ", the settings say " + (4 << 20));
            assertThat(differences).noneMatch(d -> d.startsWith(Topics.DEAD_LETTERS + " has 1 partitions"));
        }
    }

    @Test
    void shouldRefuseSettingsNoClusterCanMeet() {
        assertThatThrownBy(() -> TopicSettings.of(Optional.empty(), Optional.of((short) 1), Optional.empty(), Optional.empty(),
                Optional.empty())).hasMessageContaining("ferry.topics.min-insync-replicas (2) must not exceed");
        assertThat(TopicSettings.of(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
                .isEqualTo(new TopicSettings(8, (short) 3, 2, Duration.ofDays(7), 8 << 20));
    }
}
