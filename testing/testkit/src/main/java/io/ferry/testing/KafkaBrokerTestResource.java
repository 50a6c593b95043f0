package io.ferry.testing;

import io.ferry.kafka.broker.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker of its own ({@link TestKafka#start})
 * and a fresh Kafka Streams state directory, and stops the broker when the tests end.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            broker = TestKafka.start();
            return Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "kafka-streams.state.dir", Files.createTempDirectory("ferry-streams-").toString());
        } catch (Exception e) {
            throw new IllegalStateException("could not start a Kafka broker for tests", e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
