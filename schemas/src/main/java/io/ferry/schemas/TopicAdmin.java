package io.ferry.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Ferry's topics that do not exist yet, and checks those that do against the settings.
 * Safe to call from every service at start-up.
 */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    /**
     * Creates the missing topics of {@link Topics#ALL} with {@code settings}, then compares every
     * topic with them: partitions, replication factor and the configs of
     * {@link TopicSettings#configsOf}. Existing topics are never changed.
     *
     * @return one line per difference, naming the topic, what it has and what the settings say;
     *     empty when everything matches
     */
    public static List<String> ensureTopics(Map<String, Object> adminConfig, TopicSettings settings)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), settings.partitionsOf(t), settings.replicationFactor())
                            .configs(settings.configsOf(t)))
                    .toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Another service created some of them first: fine.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return differences(admin, settings);
        }
    }

    /** {@link #ensureTopics(Map, TopicSettings)} with an admin client of {@code connection}. */
    public static List<String> ensureTopics(KafkaConnection connection, TopicSettings settings)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> props = new java.util.HashMap<>();
        connection.properties().forEach((k, v) -> props.put(k.toString(), v));
        return ensureTopics(props, settings);
    }

    private static List<String> differences(Admin admin, TopicSettings settings)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = Topics.ALL.stream().map(Topics.TopicSpec::name).toList();
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
        List<String> differences = new ArrayList<>();
        for (Topics.TopicSpec topic : Topics.ALL) {
            TopicDescription d = described.get(topic.name());
            int partitions = d.partitions().size();
            if (partitions != settings.partitionsOf(topic)) {
                differences.add(topic.name() + " has " + partitions + " partitions, the settings say " + settings.partitionsOf(topic)
                        + (topic.partitioned() ? " (ferry.topics.partitions)" : ""));
            }
            int replicas = d.partitions().get(0).replicas().size();
            if (replicas != settings.replicationFactor()) {
                differences.add(topic.name() + " has replication factor " + replicas + ", the settings say "
                        + settings.replicationFactor() + " (ferry.topics.replication-factor)");
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            settings.configsOf(topic).forEach((key, wanted) -> {
                var entry = config.get(key);
                String actual = entry == null ? null : entry.value();
                if (!wanted.equals(actual)) {
                    differences.add(topic.name() + " has " + key + "=" + actual + ", the settings say " + wanted);
                }
            });
        }
        return differences;
    }
}
