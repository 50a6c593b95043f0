package io.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.kafka.broker.ChildProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's {@code prometheus} as a process on 127.0.0.1 with a given configuration; stopped on
 * close. Queries go through its HTTP API, as Grafana's would.
 */
final class PrometheusProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts it with {@code config} (prometheus.yml) and its data in {@code dir}; returns once it is ready. */
    static PrometheusProcess start(Path dir, String config, Duration ready) throws Exception {
        Files.createDirectories(dir);
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = ChildProcesses.freeLoopbackPort();
        Process p = new ProcessBuilder(BINARY.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        var prometheus = new PrometheusProcess(p, "http://127.0.0.1:" + port);
        try {
            prometheus.awaitReady(ready, dir.resolve("prometheus.log"));
            return prometheus;
        } catch (Exception e) {
            prometheus.close();
            throw e;
        }
    }

    private void awaitReady(Duration wait, Path log) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(log));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("prometheus not ready in " + wait + ": " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    /** The {@code data.result} array of an instant query at the current time; throws on a query Prometheus refuses. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("prometheus refused " + promql + ": " + response.body());
        }
        return body.path("data").path("result");
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
