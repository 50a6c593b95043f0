package io.ferry.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.storage.ObjectStores;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as {@code docker-compose config} resolves it (Debian's docker-compose; no
 * container engine is needed to validate), checked against the code like k8s/: images, ports,
 * health URLs, the settings each service reads, Prometheus's scrape jobs and rules, Grafana's
 * dashboard, and a sample job the services' policy accepts.
 */
class ComposeFileTest {
    static final Path COMPOSE = ServiceConfig.HOME.resolve("docker-compose.yml");
    static final String PASSWORD = "canary-" + java.util.UUID.randomUUID();
    static final Map<String, ServiceConfig> FERRY = Map.of("scanner", ServiceConfig.SCANNER, "transfer", ServiceConfig.TRANSFER,
            "verifier", ServiceConfig.VERIFIER);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static JsonNode services;

    @BeforeAll
    static void resolve() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it when run as root)");
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config").directory(ServiceConfig.HOME.toFile());
        pb.environment().put("FERRY_MINIO_PASSWORD", PASSWORD);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("docker-compose config: %s", err).isTrue();
        services = YAML.readTree(out).path("services");
    }

    @Test
    void shouldRunKafkaInKraftModeMinioAndEveryFerryServiceWithTwoWorkers() {
        assertThat(names(services)).contains("kafka", "minio", "scanner", "transfer", "verifier", "prometheus", "grafana", "sample-job");
        JsonNode kafka = services.path("kafka").path("environment");
        assertThat(kafka.path("KAFKA_PROCESS_ROLES").asText()).contains("controller").contains("broker");
        assertThat(kafka.has("KAFKA_ZOOKEEPER_CONNECT")).isFalse();
        assertThat(services.path("transfer").path("deploy").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void shouldRunEachServiceWithItsImagePortHealthAndOnlySettingsItReads() throws IOException {
        String advertised = services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
        for (var entry : FERRY.entrySet()) {
            JsonNode s = services.path(entry.getKey());
            ServiceConfig service = entry.getValue();
            String where = "compose " + entry.getKey();
            assertThat(s.path("image").asText()).as(where).isEqualTo(service.image());
            assertThat(s.path("build").path("context").asText()).as(where).endsWith("/" + service.module());
            assertThat(s.path("build").path("dockerfile").asText()).as(where).isEqualTo("src/main/docker/Dockerfile.jvm");
            assertThat(s.path("healthcheck").path("test").toString()).as(where)
                    .contains("http://localhost:" + service.httpPort() + "/q/health/ready");
            for (JsonNode port : s.path("ports")) {
                // docker-compose 1 writes "host_ip:published:target/protocol", Compose v2 an object
                String[] parts = port.isTextual() ? port.asText().replaceAll("/.*", "").split(":") : new String[] {
                    port.path("host_ip").asText(), port.path("published").asText(), port.path("target").asText()};
                assertThat(parts).as(where).hasSize(3);
                assertThat(Integer.parseInt(parts[2])).as(where).isEqualTo(service.httpPort());
                assertThat(parts[0]).as("%s publishes on loopback only", where).isEqualTo("127.0.0.1");
            }
            JsonNode env = s.path("environment");
            for (String variable : names(env)) {
                assertThat(service.readsVariable(variable)).as("%s: does %s read %s?", where, service.module(), variable).isTrue();
            }
            for (String option : env.path("JAVA_OPTS_APPEND").asText().split("\\s+")) {
                if (option.startsWith("-D") && !option.startsWith("-Djava.")) {
                    String property = option.substring(2, option.indexOf('='));
                    assertThat(service.reads(property)).as("%s: does %s read -D%s?", where, service.module(), property).isTrue();
                }
            }
            assertThat(advertised).as(where).contains("://" + env.path("KAFKA_BOOTSTRAP_SERVERS").asText());
            assertThat(env.path("FERRY_TOPICS_REPLICATION_FACTOR").asText()).as("%s: one broker", where).isEqualTo("1");
            Map<String, String> mounts = mounts(s);
            Properties config = properties(Path.of(mounts.get("/deployments/config/application.properties")));
            for (String key : config.stringPropertyNames()) {
                if (key.startsWith("ferry.policy.") && service == ServiceConfig.VERIFIER) {
                    continue; // the verifier never acts on a job and does not map ferry.policy
                }
                assertThat(service.reads(key)).as("%s: does %s read %s?", where, service.module(), key).isTrue();
            }
            assertThat(mounts).as(where).containsKey(service.defaults().getProperty("mp.jwt.verify.publickey.location",
                    "/var/run/secrets/ferry-auth/public-key.pem"));
            if (service != ServiceConfig.TRANSFER) {
                assertThat(mounts).as("%s keeps its state in a volume", where).containsKey(service.referencedDefault("ferry.data-dir"));
            }
        }
    }

    @Test
    void shouldScrapeEveryServiceWithTheMetricsTokenAndLoadTheRulesAndTheDashboard() throws IOException {
        Map<String, String> mounts = mounts(services.path("prometheus"));
        JsonNode config = YAML.readTree(Path.of(mounts.get("/etc/prometheus/prometheus.yml")).toFile());
        assertThat(config.path("rule_files")).extracting(JsonNode::asText).singleElement().satisfies(rules ->
                assertThat(mounts.get(rules)).isEqualTo(ServiceConfig.HOME.resolve("monitoring/prometheus/ferry-alerts.yml").toString()));
        Map<String, JsonNode> jobs = new HashMap<>();
        config.path("scrape_configs").forEach(j -> jobs.put(j.path("job_name").asText(), j));
        assertThat(jobs.keySet()).containsExactlyInAnyOrder("ferry-scanner", "ferry-transfer", "ferry-verifier");
        for (var entry : FERRY.entrySet()) {
            JsonNode job = jobs.get("ferry-" + entry.getKey());
            assertThat(job.path("metrics_path").asText()).isEqualTo("/q/metrics");
            String token = job.path("authorization").path("credentials_file").asText();
            assertThat(mounts.get(token)).isEqualTo(ServiceConfig.HOME.resolve("compose/auth/metrics-token").toString());
            List<String> targets = new ArrayList<>();
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
            job.path("dns_sd_configs").forEach(c -> c.path("names").forEach(n -> targets.add(n.asText() + ":" + c.path("port").asText())));
            assertThat(targets).as(job.toString()).containsExactly(entry.getKey() + ":" + entry.getValue().httpPort());
        }
        Map<String, String> grafana = mounts(services.path("grafana"));
        JsonNode provider = YAML.readTree(ServiceConfig.HOME.resolve("compose/grafana/provisioning/dashboards/ferry.yml").toFile())
                .path("providers").get(0);
        assertThat(grafana.get(provider.path("options").path("path").asText()))
                .isEqualTo(ServiceConfig.HOME.resolve("monitoring/grafana").toString());
        assertThat(grafana.get("/etc/grafana/provisioning")).isEqualTo(ServiceConfig.HOME.resolve("compose/grafana/provisioning").toString());
        JsonNode datasource = YAML.readTree(ServiceConfig.HOME.resolve("compose/grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    }

    @Test
    void shouldSubmitASampleJobThePoliciesOfTheServicesAccept() throws IOException {
        String job = Files.readString(ServiceConfig.HOME.resolve("compose/sample-job.yaml"));
        for (String name : List.of("scanner", "transfer")) {
            Map<String, String> mounts = mounts(services.path(name));
            Properties config = properties(Path.of(mounts.get("/deployments/config/application.properties")));
            Map<String, String> policy = new HashMap<>();
            for (String key : config.stringPropertyNames()) {
                if (key.startsWith("ferry.policy.")) {
                    policy.put(key.substring("ferry.policy.".length()).replace("\"", ""), config.getProperty(key));
                }
            }
            var accepted = new JobKernel(ObjectStores.installed(Map.of()), JobPolicy.of(policy, Map.of())).read(job);
            // what the job reads and names is there: the mounted source, MinIO, the named secret
            String source = accepted.endpoints().source().storageUri();
            assertThat(mounts).containsEntry(source.replace("file://", "").replaceAll("/$", ""),
                    ServiceConfig.HOME.resolve("compose/source").toString());
            assertThat(names(services.path(name).path("environment"))).contains("FERRY_SECRET_MINIO_ACCESS_KEY_ID",
                    "FERRY_SECRET_MINIO_SECRET_ACCESS_KEY");
        }
        assertThat(job).contains("http://minio:9000");
        assertThat(Files.readString(COMPOSE)).as("no password in the file").doesNotContain(PASSWORD);
    }

    /** Each volume's container path and its host source (bind mounts) or volume name. */
    static Map<String, String> mounts(JsonNode service) {
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode v : service.path("volumes")) {
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                mounts.put(parts[1], parts[0]);
            } else {
                mounts.put(v.path("target").asText(), v.path("source").asText());
            }
        }
        return mounts;
    }

    static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
