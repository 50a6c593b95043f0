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

    /**
     * What a client needs besides the bootstrap servers: nothing for a PLAINTEXT broker; for a
     * secured one the standard client keys ({@code security.protocol}, {@code sasl.mechanism},
     * {@code sasl.jaas.config}, {@code ssl.truststore.*}).
     */
    default java.util.Map<String, String> clientProperties() {
        return java.util.Map.of();
    }

    /** Stops the broker and waits for it to exit. */
    @Override
    void close();

    /** A broker that can be stopped and started again as the same broker: a process with its data on disk. */
    interface Restartable extends KafkaBroker {
        /** Stops the broker and starts it again on the same ports and data directory; returns once it serves. */
        void restart() throws Exception;

        /** The broker's process id (a new one after {@link #restart}). */
        long pid();
    }

    /** Starts a broker process keeping its data in {@code dataDir} (reused when already formatted). */
    static Restartable startProcess(Path dataDir, int port) throws Exception {
        return KafkaBrokerProcess.start(dataDir, port, false);
    }

    /**
     * Starts a broker process whose client listener takes only SASL_SSL with SCRAM-SHA-512: a TLS
     * certificate for 127.0.0.1 made with the JDK's keytool and one SCRAM user, both new in
     * {@code dataDir}; {@link #clientProperties()} holds what a client needs.
     */
    static Restartable startSecuredProcess(Path dataDir) throws Exception {
        return KafkaBrokerProcess.start(dataDir, 0, false, BrokerSecurity.create(dataDir.resolve("tls")));
    }

    /** Starts a broker process on a free port with its data in a new temporary directory, deleted on close. */
    static KafkaBroker startTemporary() throws Exception {
        return KafkaBrokerProcess.start(Files.createTempDirectory("ferry-kafka-"), 0, true);
    }
}
