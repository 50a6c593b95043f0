package io.ferry.kafka.broker;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running single-node Kafka broker that its starter owns and stops. Every listener binds to
 * 127.0.0.1.
 */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port} for clients. */
    String bootstrapServers();

    /** Stops the broker and waits for it to exit. */
    @Override
    void close();

    /**
     * Starts a broker for a test: a Testcontainers broker when a Docker engine is reachable and
     * Testcontainers is on the class path, else a broker process with data in a temp directory.
     * {@code FERRY_KAFKA=process} forces the process.
     */
    static KafkaBroker startForTests() throws Exception {
        if (!"process".equals(System.getenv("FERRY_KAFKA")) && ContainerKafkaBroker.dockerAvailable()) {
            return ContainerKafkaBroker.start();
        }
        return KafkaBrokerProcess.start(Files.createTempDirectory("ferry-kafka-"), 0, true);
    }

    /** Starts a broker process keeping its data in {@code dataDir} (reused when already formatted). */
    static KafkaBroker startProcess(Path dataDir, int port) throws Exception {
        return KafkaBrokerProcess.start(dataDir, port, false);
    }
}
