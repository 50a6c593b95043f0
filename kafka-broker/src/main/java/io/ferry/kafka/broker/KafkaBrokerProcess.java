package io.ferry.kafka.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka in KRaft combined mode (broker + controller, one node) in a child JVM, from the
 * {@code kafka_2.13} jars this module was built against. The child's class path is recorded at
 * build time, so nothing of the broker lands on the caller's class path.
 */
final class KafkaBrokerProcess implements KafkaBroker.Restartable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private volatile Process process;
    private final Path dataDir;
    private final String bootstrap;
    private final boolean deleteOnClose;
    private final BrokerSecurity security;

    private KafkaBrokerProcess(Process process, Path dataDir, String bootstrap, boolean deleteOnClose, BrokerSecurity security) {
        this.process = process;
        this.dataDir = dataDir;
        this.bootstrap = bootstrap;
        this.deleteOnClose = deleteOnClose;
        this.security = security;
    }

    static KafkaBrokerProcess start(Path dataDir, int port, boolean deleteOnClose) throws Exception {
        return start(dataDir, port, deleteOnClose, null);
    }

    /** @param security the SASL_SSL client listener's certificate and user; null for PLAINTEXT */
    static KafkaBrokerProcess start(Path dataDir, int port, boolean deleteOnClose, BrokerSecurity security) throws Exception {
        Files.createDirectories(dataDir);
        int[] free = ChildProcesses.freeLoopbackPorts(3);
        int brokerPort = port > 0 ? port : free[0];
        Path config = dataDir.resolve("server.properties");
        Path logDir = dataDir.resolve("kraft-logs");
        writeConfig(config, logDir, brokerPort, free[1], free[2], security);
        Path brokerLog = dataDir.resolve("broker.log");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(List.of("format", "--standalone", "--ignore-formatted",
                    "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
            if (security != null) {
                // SCRAM credentials live in the cluster metadata: written when the storage is formatted
                format.addAll(List.of("--add-scram", security.scramCredential()));
            }
            Process formatting = java("kafka.tools.StorageTool", format.toArray(String[]::new))
                    .redirectOutput(brokerLog.toFile()).redirectErrorStream(true).start();
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                formatting.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage failed; see " + brokerLog + ":\n" + tail(brokerLog));
            }
        }
        Process broker = java("kafka.Kafka", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                .redirectErrorStream(true).start();
        var started = new KafkaBrokerProcess(broker, dataDir, "127.0.0.1:" + brokerPort, deleteOnClose, security);
        try {
            started.awaitReady(brokerLog);
        } catch (Exception e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** @param internalPort the broker's listener for itself, used only with {@code security} */
    private static void writeConfig(Path config, Path logDir, int brokerPort, int controllerPort, int internalPort,
            BrokerSecurity security)
            throws IOException {
        var p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        if (security == null) {
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            // Clients get SASL_SSL only; the one broker talks to itself on a loopback listener of its own.
            p.setProperty("listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort
                    + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort);
            p.setProperty("inter.broker.listener.name", "INTERNAL");
            p.setProperty("listener.security.protocol.map", "SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.putAll(security.brokerProperties());
        }
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "written by Ferry's KafkaBrokerProcess");
        }
    }

    private static ProcessBuilder java(String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Kafka's own kafka-server-start.sh runs the broker on the default G1 with a 1 GiB heap.
        cmd.add("-Xms256m");
        cmd.add("-Xmx1g");
        // A broker for local mode and tests carries records only, never the bytes of a copy; C2
        // compiling its code cost more CPU than it saved over a run of minutes (bench/scale.sh).
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.logFile=System.err");
        cmd.add("-cp");
        cmd.add(brokerClasspath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaBrokerProcess.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("broker.classpath missing: build the kafka-broker module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private void awaitReady(Path brokerLog) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        var props = new Properties();
        props.putAll(clientProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + ":\n" + tail(brokerLog));
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT + ":\n" + tail(brokerLog));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public java.util.Map<String, String> clientProperties() {
        return security == null ? java.util.Map.of() : security.clientProperties();
    }

    /**
     * Stops the broker (SIGTERM, as an operator's restart does) and starts it again from the same
     * configuration: same ports, same data.
     */
    @Override
    public synchronized void restart() throws Exception {
        ChildProcesses.stop(process);
        Path brokerLog = dataDir.resolve("broker.log");
        process = java("kafka.Kafka", dataDir.resolve("server.properties").toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                .redirectErrorStream(true).start();
        awaitReady(brokerLog);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
        if (deleteOnClose) {
            ChildProcesses.deleteTree(dataDir);
        }
    }
}
