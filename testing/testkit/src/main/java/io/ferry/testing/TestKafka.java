package io.ferry.testing;

import io.ferry.kafka.broker.KafkaBroker;

/** The Kafka broker a test gets: a container where Docker is, else a real broker process. */
public final class TestKafka {
    private TestKafka() {
    }

    /**
     * Starts a broker for a test: a Testcontainers broker when a Docker engine is reachable, else a
     * broker process with data in a temporary directory. {@code FERRY_KAFKA=process} forces the process.
     */
    public static KafkaBroker start() throws Exception {
        if (!"process".equals(System.getenv("FERRY_KAFKA")) && ContainerKafkaBroker.dockerAvailable()) {
            return ContainerKafkaBroker.start();
        }
        return KafkaBroker.startTemporary();
    }
}
