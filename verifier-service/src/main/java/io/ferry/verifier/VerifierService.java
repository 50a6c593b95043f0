package io.ferry.verifier;

import io.ferry.schemas.TopicAdmin;
import io.ferry.schemas.TopicSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Creates the topics the topology reads before Kafka Streams starts waiting for them. */
@ApplicationScoped
public class VerifierService {
    private static final Logger LOG = Logger.getLogger(VerifierService.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "ferry.topics.partitions")
    Optional<Integer> partitions;

    @ConfigProperty(name = "ferry.topics.replication-factor")
    Optional<Short> replication;

    @ConfigProperty(name = "ferry.topics.min-insync-replicas")
    Optional<Integer> minInSync;

    @ConfigProperty(name = "ferry.topics.retention")
    Optional<Duration> retention;

    @ConfigProperty(name = "ferry.topics.max-message-bytes")
    Optional<Integer> maxMessageBytes;

    void start(@Observes StartupEvent event) throws Exception {
        TopicAdmin.ensureTopics(bootstrap, TopicSettings.of(partitions, replication, minInSync, retention, maxMessageBytes))
                .forEach(difference -> LOG.warnf("topic differs from ferry.topics.*: %s", difference));
    }
}
