package io.ferry.schemas;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates Ferry's topics that do not exist yet. Safe to call from every service at start-up. */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    /**
     * Creates the missing topics of {@link Topics#ALL}; existing topics are left as they are.
     *
     * @param partitions partitions of the partitioned topics (the bound on parallel workers)
     * @param replication replication factor (1 for a single local broker)
     */
    public static void ensureTopics(String bootstrapServers, int partitions, short replication)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.partitioned() ? partitions : 1, replication).configs(t.configs()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Another service created some of them first: fine.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
