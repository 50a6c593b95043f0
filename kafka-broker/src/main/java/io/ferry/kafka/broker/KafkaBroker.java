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

    /** A broker that can be stopped and started again as the same broker: a process with its data on disk. */
    interface Restartable extends KafkaBroker {
        /** Stops the broker and starts it again on the same ports and data directory; returns once it serves. */
        void restart() throws Exception;
    }

    /** Starts a broker process keeping its data in {@code dataDir} (reused when already formatted). */
    static Restartable startProcess(Path dataDir, int port) throws Exception {
        return KafkaBrokerProcess.start(dataDir, port, false);
    }

    /** Starts a broker process on a free port with its data in a new temporary directory, deleted on close. */
    static KafkaBroker startTemporary() throws Exception {
        return KafkaBrokerProcess.start(Files.createTempDirectory("ferry-kafka-"), 0, true);
    }
}
