package io.ferry.verifier;

import io.ferry.schemas.TopicAdmin;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates the topics the topology reads before Kafka Streams starts waiting for them. */
@ApplicationScoped
public class VerifierService {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "ferry.topics.partitions", defaultValue = "8")
    int partitions;

    @ConfigProperty(name = "ferry.topics.replication-factor", defaultValue = "1")
    short replication;

    void start(@Observes StartupEvent event) throws Exception {
        TopicAdmin.ensureTopics(bootstrap, partitions, replication);
    }
}
