package io.ferry.cli;

import io.ferry.kafka.broker.ChildProcesses;
import io.ferry.kafka.broker.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Kafka broker and the three Ferry services as processes on 127.0.0.1: local mode and the
 * end-to-end tests. Closing it stops everything it started, services first.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(120);
    /** The scanner's settings of what each namespace's jobs may reach (io.ferry.jobs.JobPolicy). */
    public static final String POLICY = "ferry.policy.";
    /** The policy key for every namespace: {@code ferry.policy."*".<rule>}. */
    public static final String ANY_NAMESPACE_POLICY = POLICY + "\"*\".";
    /**
     * The maximum heap of one kind of service: {@code ferry.local.heap.scanner}, {@code .verifier},
     * {@code .transfer} (each transfer instance), in {@code -Xmx} form; 512m when not set.
     */
    public static final String HEAP = "ferry.local.heap.";
    private static final String DEFAULT_HEAP = "512m";
    /**
     * The scanner and the verifier run on the JIT's first tier only (C1). A local run lasts seconds
     * to hours; over a 20,000-object job C2 spent more CPU compiling (about 40% of the run, still
     * compiling in its second job) than its faster code saved. The transfer workers keep C2: it
     * alone has the SHA-256 intrinsic, ten times C1's hashing speed.
     */
    static final List<String> FIRST_TIER_ONLY = List.of("-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final KafkaBroker.Restartable broker;
    private final ServiceProcess scanner;
    private final List<ServiceProcess> transfers;
    private final ServiceProcess verifier;
    private final String token;

    private LocalCluster(Path dataDir, KafkaBroker.Restartable broker, ServiceProcess scanner, List<ServiceProcess> transfers,
            ServiceProcess verifier, String token) {
        this.dataDir = dataDir;
        this.token = token;
        this.broker = broker;
        this.scanner = scanner;
        this.transfers = transfers;
        this.verifier = verifier;
    }

    /**
     * Starts the broker (data kept under {@code dataDir/kafka}) and the services, on 127.0.0.1
     * only. The services trust tokens of a signing key kept in {@code dataDir/auth} (made on the
     * first start); an administrator's token for the CLI is written to {@link #tokenFile}.
     *
     * @param home the Ferry checkout holding the built services
     * @param transferInstances how many transfer workers (one consumer group)
     * @param extra more properties for every service (e.g. {@code ferry.topics.partitions});
     *     {@code ferry.transfer.*} go to the transfer instances only, {@code ferry.scanner.*} to the
     *     scanner and the verifier only; {@code ferry.policy.*} says what jobs may reach (nothing by
     *     default); upper-case names are environment variables of every service; {@link #HEAP}
     *     keys set the services' heaps
     */
    public static LocalCluster start(Path home, Path dataDir, int transferInstances, Map<String, String> extra) throws Exception {
        return start(home, dataDir, transferInstances, extra, false);
    }

    /**
     * As {@link #start(Path, Path, int, Map)}; with {@code securedKafka} the broker takes clients
     * only over SASL_SSL (SCRAM-SHA-512, its own TLS certificate) and every service gets the
     * client settings as {@code kafka.*}.
     */
    public static LocalCluster start(Path home, Path dataDir, int transferInstances, Map<String, String> extra,
            boolean securedKafka) throws Exception {
        Files.createDirectories(dataDir);
        String token = LocalAuth.prepare(dataDir.resolve(LocalAuth.DIR));
        KafkaBroker.Restartable broker = securedKafka ? KafkaBroker.startSecuredProcess(dataDir.resolve("kafka"))
                : KafkaBroker.startProcess(dataDir.resolve("kafka"), 0);
        List<ServiceProcess> started = new ArrayList<>();
        try {
            Path logs = dataDir.resolve("logs");
            var all = with(extra, "kafka.bootstrap.servers", broker.bootstrapServers());
            java.util.function.Function<String, String> heap = kind -> {
                String value = extra.getOrDefault(HEAP + kind, DEFAULT_HEAP);
                if (!value.matches("[1-9][0-9]*[kKmMgG]?")) {
                    throw new IllegalArgumentException(HEAP + kind + ": '" + value + "' is not a heap size like 256m or 1g");
                }
                return value;
            };
            all.keySet().removeIf(k -> k.startsWith(HEAP));
            broker.clientProperties().forEach((key, value) -> all.put("kafka." + key, value));
            all.put("mp.jwt.verify.publickey.location", dataDir.resolve(LocalAuth.DIR).resolve(LocalAuth.PUBLIC_KEY).toString());
            // One broker: the production defaults (replication 3, min ISR 2) cannot be met.
            all.putIfAbsent("ferry.topics.replication-factor", "1");
            all.putIfAbsent("ferry.topics.min-insync-replicas", "1");
            // The transfer service rejects configuration under ferry.* that it does not know.
            var forTransfers = new java.util.HashMap<>(all);
            forTransfers.keySet().removeIf(k -> k.startsWith("ferry.scanner."));
            var common = new java.util.HashMap<>(all);
            common.keySet().removeIf(k -> k.startsWith("ferry.transfer."));
            // Static membership: Kafka Streams does not leave its group on close, so a restarted verifier
            // with a new member id would wait out the old member's session before getting its partitions.
            var verifierProps = with(common, "ferry.state-dir", dataDir.resolve("state/verifier").toString());
            verifierProps.put("kafka-streams.group.instance.id", "ferry-verifier-local");
            int[] ports = ChildProcesses.freeLoopbackPorts(2 + transferInstances);
            ServiceProcess verifier = ServiceProcess.start(home, "verifier-service", "verifier", ports[0],
                    heap.apply("verifier"), FIRST_TIER_ONLY, verifierProps, logs);
            started.add(verifier);
            var scannerProps = with(common, "ferry.state-dir", dataDir.resolve("state/scanner").toString());
            scannerProps.put("ferry.scanner.instance-id", "ferry-scanner-local");
            ServiceProcess scanner = ServiceProcess.start(home, "scanner-service", "scanner", ports[1],
                    heap.apply("scanner"), FIRST_TIER_ONLY, scannerProps, logs);
            started.add(scanner);
            List<ServiceProcess> transfers = new ArrayList<>();
            for (int i = 1; i <= transferInstances; i++) {
                ServiceProcess t = ServiceProcess.start(home, "transfer-service", "transfer-" + i, ports[1 + i],
                        heap.apply("transfer"), List.of(), with(forTransfers, "ferry.transfer.worker-id", "transfer-" + i), logs);
                started.add(t);
                transfers.add(t);
            }
            for (ServiceProcess s : started) {
                s.awaitReady(READY);
            }
            return new LocalCluster(dataDir, broker, scanner, transfers, verifier, token);
        } catch (Exception e) {
            started.forEach(ServiceProcess::close);
            broker.close();
            throw e;
        }
    }

    private static java.util.HashMap<String, String> with(Map<String, String> base, String key, String value) {
        var m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    /** A client of this cluster's services with the administrator's token. */
    public FerryClient client() {
        return new FerryClient(scanner.url(), verifier.url(), token);
    }

    /** The administrator's bearer token (all namespaces, metrics). */
    public String token() {
        return token;
    }

    /** Where the administrator's token is kept, for {@code ferry status --token-file}. */
    public Path tokenFile() {
        return dataDir.resolve(LocalAuth.DIR).resolve(LocalAuth.TOKEN);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** What a client of this cluster's broker needs besides the bootstrap servers (TLS, SASL); empty for PLAINTEXT. */
    public Map<String, String> kafkaClientProperties() {
        return broker.clientProperties();
    }

    public String scannerUrl() {
        return scanner.url();
    }

    public String verifierUrl() {
        return verifier.url();
    }

    KafkaBroker.Restartable broker() {
        return broker;
    }

    ServiceProcess scanner() {
        return scanner;
    }

    ServiceProcess verifier() {
        return verifier;
    }

    /** Waits as long for a restarted service as for a started one. */
    static Duration readyTimeout() {
        return READY;
    }

    /** The transfer instances, in start order (worker ids transfer-1, transfer-2, ...). */
    List<ServiceProcess> transfers() {
        return transfers;
    }

    /** Each service's name (scanner, transfer-1, ..., verifier) and its process id, in start order. */
    public Map<String, Long> processIds() {
        Map<String, Long> ids = new java.util.LinkedHashMap<>();
        services().forEach(s -> ids.put(s.name(), s.pid()));
        return ids;
    }

    /** The Kafka broker's process id. */
    public long brokerPid() {
        return broker.pid();
    }

    /** The URL of each service by name, as {@link #processIds}. */
    public Map<String, String> serviceUrls() {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        services().forEach(s -> urls.put(s.name(), s.url()));
        return urls;
    }

    List<ServiceProcess> services() {
        List<ServiceProcess> all = new ArrayList<>(transfers);
        all.add(0, scanner);
        all.add(verifier);
        return all;
    }

    /**
     * The last {@code lines} lines of every service's log and the broker's, for a failure message:
     * what a test that timed out saw the services do, before its temporary directory goes.
     */
    public String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        List<Path> logs = new ArrayList<>(services().stream().map(ServiceProcess::log).toList());
        logs.add(dataDir.resolve("kafka/broker.log"));
        for (Path log : logs) {
            sb.append("==> ").append(log).append(" <==\n");
            try {
                List<String> all = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                sb.append("(cannot read: ").append(e.getMessage()).append(")\n");
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (ServiceProcess s : services()) {
            s.close();
        }
        broker.close();
    }
}
