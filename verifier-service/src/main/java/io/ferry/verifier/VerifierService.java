package io.ferry.verifier;

import io.ferry.schemas.KafkaConnection;
import io.ferry.schemas.ShutdownDeadline;
import io.ferry.schemas.TopicAdmin;
import io.ferry.schemas.TopicConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Creates the topics the topology reads before Kafka Streams starts waiting for them, and deletes
 * the state of stores an earlier verifier kept ({@link RetiredStores}).
 */
@ApplicationScoped
public class VerifierService {
    private static final Logger LOG = Logger.getLogger(VerifierService.class);

    @Inject
    Config mpConfig;

    @Inject
    Topics topics;

    /** {@code ferry.topics.*}: with {@code ferry.shutdown.*}, the only {@code ferry.*} mappings the verifier reads. */
    @ConfigMapping(prefix = "ferry.topics")
    public interface Topics extends TopicConfig {
    }

    @Inject
    Shutdown shutdown;

    /** {@code ferry.shutdown.*}. */
    @ConfigMapping(prefix = "ferry.shutdown")
    public interface Shutdown extends ShutdownDeadline.Config {
    }

    /** Read first at start: a stop before the rest of the start completes is bounded too. */
    private Duration shutdownTimeout = ShutdownDeadline.DEFAULT_TIMEOUT;
    private ShutdownDeadline deadline;

    void start(@Observes StartupEvent event) throws Exception {
        shutdownTimeout = ShutdownDeadline.timeout(shutdown);
        TopicAdmin.ensureTopics(KafkaConnection.fromConfig(mpConfig.getPropertyNames(),
                n -> mpConfig.getOptionalValue(n, String.class)), topics.settings())
                .forEach(difference -> LOG.warnf("topic differs from ferry.topics.*: %s", difference));
        Path stateDir = Path.of(mpConfig.getValue("kafka-streams.state.dir", String.class));
        for (Path store : RetiredStores.delete(stateDir, mpConfig.getValue("quarkus.kafka-streams.application-id", String.class))) {
            LOG.infof("deleted the state of a store this verifier no longer keeps: %s", store);
        }
    }

    /** The stop's first step: from here {@code ferry.shutdown.timeout} bounds it. */
    void beginStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        deadline = ShutdownDeadline.start(shutdownTimeout);
    }

    /** The stop's last step: Kafka Streams and every client are closed. */
    void endStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) throws InterruptedException {
        if (deadline != null) {
            deadline.cancel();
        }
    }
}
