package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.storage.StorageUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard proven on a real Prometheus: Debian's {@code prometheus} scrapes a local
 * cluster (with the metrics token, as a deployment's would) and loads the alert rules; a continuous
 * job syncs a tree with large and small files and a junk task is parked; then every query of every
 * panel, with the dashboard's variables set to the job, must return at least one series with a
 * number in it. The values are printed for the record.
 */
class DashboardIT {
    static final Path DASHBOARD = home().resolve("monitoring/grafana/ferry-dashboard.json");
    static final Path RULES = home().resolve("monitoring/prometheus/ferry-alerts.yml");
    static final String NAMESPACE = "dash";
    static final String NAME = "shards";
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static PrometheusProcess prometheus;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);

    static Path home() {
        return Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(PrometheusProcess.BINARY),
                "Debian's prometheus is not installed (.ci/run installs it when run as root)");
        cluster = LocalCluster.start(home(), dir.resolve("ferry"), 2, Map.of("ferry.topics.partitions", "4",
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir)));
        StringBuilder config = new StringBuilder("""
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ['%s']
                scrape_configs:
                """.formatted(RULES));
        Map<String, List<ServiceProcess>> jobs = new LinkedHashMap<>();
        jobs.put("ferry-scanner", List.of(cluster.scanner()));
        jobs.put("ferry-verifier", List.of(cluster.verifier()));
        jobs.put("ferry-transfer", cluster.transfers());
        jobs.forEach((job, services) -> config.append("""
                  - job_name: %s
                    metrics_path: /q/metrics
                    authorization: {type: Bearer, credentials_file: '%s'}
                    static_configs: [{targets: [%s]}]
                """.formatted(job, cluster.tokenFile(), services.stream()
                .map(s -> "'" + s.url().replaceFirst("^http://", "") + "'").collect(Collectors.joining(", ")))));
        prometheus = PrometheusProcess.start(dir.resolve("prometheus"), config.toString(), Duration.ofSeconds(60));
        // Counters registered at zero must be scraped at zero before anything happens, or their first
        // increase is no increase to Prometheus.
        int targets = jobs.values().stream().mapToInt(List::size).sum();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (prometheus.query("up == 1").size() < targets) {
            assertThat(Instant.now()).as("prometheus scraped all %d services", targets).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldShowEveryPanelOfTheDashboardWithDataFromARealJob() throws Exception {
        Path source = dir.resolve("source");
        SampleData.generate(source, 60, 2, (3L << 20) + 17, 11);
        cluster.client().submit(JobBuilder.job(NAMESPACE, NAME).mode("continuous").scanInterval("2s")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(dir.resolve("destination")))
                .destinationParameter("multipart_threshold", "1MiB").destinationParameter("multipart_chunksize", "1MiB")
                .json());
        // a producer's junk on the task topic: parked by a worker, counted on the dead-letter panel
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.CHUNK_TASKS, "junk", "{\"type\":\"CopyBatch\"}")).get();
        }
        cluster.client().awaitStatus(NAMESPACE + "/" + NAME, s -> s.isTrue(ConditionType.InSync), TIMEOUT);
        // Changes after the first sync: counters now exist, so rates and quantiles over them have two samples to show.
        Path shard = Path.of("weights/model-00001-of-00002.safetensors");
        Path small = Path.of("tokenizer/part-0/shard-0/file-0.json");
        Files.write(source.resolve(shard), new java.util.Random(5).ints(3 << 20).mapToObj(i -> (byte) i)
                .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> { }).toByteArray());
        Files.writeString(source.resolve(small), "changed", java.nio.file.StandardOpenOption.APPEND);
        Instant copied = Instant.now().plus(TIMEOUT);
        while (!(same(source, shard) && same(source, small))) {
            assertThat(Instant.now()).as("the changed files copied").isBefore(copied);
            Thread.sleep(200);
        }
        cluster.client().awaitStatus(NAMESPACE + "/" + NAME, s -> s.isTrue(ConditionType.InSync), TIMEOUT);

        List<Panel> panels = panels();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(20);
        Instant deadline = Instant.now().plus(TIMEOUT);
        List<String> missing;
        Map<String, String> shown = new LinkedHashMap<>();
        do {
            missing = new ArrayList<>();
            shown.clear();
            for (Panel p : panels) {
                JsonNode result = prometheus.query(p.query());
                String values = values(result);
                if (values.isEmpty()) {
                    missing.add(p.title() + ": " + p.query());
                } else {
                    shown.put(p.title() + " [" + p.expr() + "]", values);
                }
            }
            if (!missing.isEmpty()) {
                Thread.sleep(1000);
            }
        } while (!missing.isEmpty() && Instant.now().isBefore(deadline));
        shown.forEach((panel, values) -> System.out.println("dashboard panel " + panel + " = " + values));
        assertThat(missing).as("panels whose query returned no series with a number on a real Prometheus").isEmpty();
    }

    static boolean same(Path source, Path file) throws java.io.IOException {
        Path copy = dir.resolve("destination").resolve(file);
        return Files.exists(copy) && Files.mismatch(source.resolve(file), copy) == -1;
    }

    /** Each panel's queries with the dashboard's variables set as Grafana would for this job. */
    static List<Panel> panels() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<Panel> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as("a query of panel %s", panel.path("title").asText()).isNotBlank();
                panels.add(new Panel(panel.path("title").asText() + " " + target.path("refId").asText(), expr,
                        expr.replace("$namespace", NAMESPACE).replace("$job_name", NAME)
                                // the whole run fits in the window: what a panel shows right after a sync
                                .replace("$__rate_interval", "5m")));
            }
        }
        return panels;
    }

    /** The series of a result with their values, or empty when none has a number (NaN is no data). */
    static String values(JsonNode result) {
        List<String> shown = new ArrayList<>();
        for (JsonNode series : result) {
            String value = series.path("value").path(1).asText();
            if (!value.isEmpty() && !value.equals("NaN")) {
                shown.add(series.path("metric").toString() + " " + value);
            }
        }
        return String.join("; ", shown);
    }

    record Panel(String title, String expr, String query) {
    }
}
