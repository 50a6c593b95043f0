package io.ferry.bench;

import io.ferry.cli.LocalCluster;
import io.ferry.kafka.broker.ChildProcesses;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.storage.StorageUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long from a write into a watched source to the object Verified, for a continuous job told of
 * each write by a trigger (as a bucket notification would) and for one that finds it by polling,
 * with objects of 4 KiB, 1 MiB and 64 MiB written at a steady rate. Verified is when the verifier's
 * status record saying so is readable on {@code ferry.object-status.v1}. Prints p50 / p99 / max per
 * size and mode and saves the table under bench/results/ with the commit it measured.
 */
@Command(name = "bench/latency.sh", mixinStandardHelpOptions = true,
        description = "Write-to-Verified latency, event-triggered and polled, through local mode (file to file).")
public final class Latency implements Callable<Integer> {
    private static final long[] SIZES = {4 << 10, 1 << 20, 64 << 20};

    @Option(names = "--objects", defaultValue = "30", description = "objects per size and mode (64 MiB: a fifth of it)")
    int objects;

    @Option(names = "--interval", defaultValue = "PT1S", description = "between writes, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--scan-interval", defaultValue = "10s", description = "the polled job's scanInterval (default: ${DEFAULT-VALUE})")
    String scanInterval;

    @Option(names = "--data-dir", description = "where data and the cluster go (default: a temporary directory)")
    Path dataDir;

    private final Map<String, Long> verifiedAt = new ConcurrentHashMap<>();
    private volatile boolean watching = true;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Latency()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
        String commit = Results.commit(home);
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("ferry-latency");
        ChildProcesses.deleteTree(dir.resolve("ferry"));
        for (String d : List.of("events-src", "events-dst", "polled-src", "polled-dst", "staging")) {
            ChildProcesses.deleteTree(dir.resolve(d));
            Files.createDirectories(dir.resolve(d));
        }
        try (LocalCluster cluster = LocalCluster.start(home, dir.resolve("ferry"), 2, Map.of("ferry.topics.partitions", "4",
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir)))) {
            cluster.client().submit(job("events", dir, "1h"));
            cluster.client().submit(job("polled", dir, scanInterval));
            for (String name : List.of("events", "polled")) {
                cluster.client().awaitStatus("latency/" + name, s -> s.isTrue(ConditionType.InSync), Duration.ofMinutes(3));
            }
            Thread watcher = new Thread(() -> watch(cluster.bootstrapServers()), "verified-watcher");
            watcher.start();
            Map<String, Long> writtenAt = new ConcurrentHashMap<>();
            Random random = new Random(7);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers(),
                    "linger.ms", "0"), new StringSerializer(), new StringSerializer())) {
                for (long size : SIZES) {
                    int count = size >= 64 << 20 ? Math.max(1, objects / 5) : objects;
                    for (int i = 0; i < count; i++) {
                        String key = label(size) + "/o-" + i + ".bin";
                        for (String mode : List.of("events", "polled")) {
                            Path staged = dir.resolve("staging").resolve(mode + "-" + label(size) + "-" + i);
                            writeRandom(staged, size, random);
                            Path target = dir.resolve(mode + "-src").resolve(key);
                            Files.createDirectories(target.getParent());
                            // whole when it appears: a scan never lists it half-written
                            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                            writtenAt.put("latency/" + mode + "|" + key, System.nanoTime());
                            if (mode.equals("events")) {
                                producer.send(new ProducerRecord<>(Topics.TRIGGERS, "latency/events",
                                        "{\"job\":\"latency/events\",\"key\":\"" + key + "\"}"));
                                producer.flush();
                            }
                        }
                        Thread.sleep(interval.toMillis());
                    }
                }
            }
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            while (!verifiedAt.keySet().containsAll(writtenAt.keySet()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            watching = false;
            watcher.join();
            String table = table(writtenAt);
            Results.printAndSave(home, "latency", commit, System.out, out -> out.println(table));
            return 0;
        }
    }

    private String job(String name, Path dir, String interval) {
        return JobBuilder.job("latency", name).mode("continuous").scanInterval(interval)
                .source(StorageUri.directory(dir.resolve(name + "-src"))).destination(StorageUri.directory(dir.resolve(name + "-dst")))
                .json();
    }

    /** Notes when each object's Verified status becomes readable (read_committed, from the end of the topic). */
    private void watch(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var statuses = JsonSerde.of(ObjectStatus.class);
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.OBJECT_STATUS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (watching) {
                for (var r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (r.value() != null && r.key() != null) {
                        ObjectStatus s = statuses.deserialize(r.topic(), r.value());
                        if (s != null && s.state() == ObjectState.VERIFIED) {
                            verifiedAt.putIfAbsent(r.key(), now);
                        }
                    }
                }
            }
        }
    }

    private String table(Map<String, Long> writtenAt) {
        StringBuilder sb = new StringBuilder(String.format("%-8s %-7s %8s %9s %9s %9s %s%n", "mode", "size", "objects", "p50 s",
                "p99 s", "max s", "(write to Verified; polled every " + scanInterval + ")"));
        for (String mode : List.of("events", "polled")) {
            for (long size : SIZES) {
                List<Double> seconds = new ArrayList<>();
                int missing = 0;
                for (var e : writtenAt.entrySet()) {
                    if (e.getKey().startsWith("latency/" + mode + "|" + label(size) + "/")) {
                        Long done = verifiedAt.get(e.getKey());
                        if (done == null) {
                            missing++;
                        } else {
                            seconds.add((done - e.getValue()) / 1e9);
                        }
                    }
                }
                Collections.sort(seconds);
                sb.append(String.format("%-8s %-7s %8d %9.2f %9.2f %9.2f%s%n", mode, label(size), seconds.size(), pct(seconds, 50),
                        pct(seconds, 99), seconds.isEmpty() ? Double.NaN : seconds.get(seconds.size() - 1),
                        missing == 0 ? "" : "  (" + missing + " not verified in time)"));
            }
        }
        return sb.toString();
    }

    /** Nearest-rank percentile. */
    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String label(long size) {
        return size >= 1 << 20 ? (size >> 20) + "MiB" : (size >> 10) + "KiB";
    }

    private static void writeRandom(Path file, long size, Random random) throws Exception {
        byte[] buf = new byte[(int) Math.min(size, 1 << 20)];
        try (var out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }
}
