package io.ferry.testing;

import io.ferry.kafka.broker.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Testcontainers Apache Kafka broker, for machines with a Docker engine. Chosen only when a
 * Docker endpoint exists and Testcontainers (an optional dependency) is on the class path.
 */
final class ContainerKafkaBroker implements KafkaBroker {
    private static final String IMAGE = "apache/kafka:4.1.1";
    private final org.testcontainers.kafka.KafkaContainer container;

    private ContainerKafkaBroker(org.testcontainers.kafka.KafkaContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        boolean endpoint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!endpoint) {
            return false;
        }
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
        } catch (ClassNotFoundException e) {
            return false;
        }
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerKafkaBroker start() {
        var container = new org.testcontainers.kafka.KafkaContainer(IMAGE)
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
