package io.ferry.cli;

import io.ferry.kafka.broker.ChildProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One packaged Ferry service running as a child JVM, logging to a file, bound to 127.0.0.1. */
final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code <home>/<module>/target/quarkus-app/quarkus-run.jar}.
     *
     * @param properties system properties for the service (Quarkus reads them as configuration)
     */
    static ServiceProcess start(Path home, String module, String name, int port, Map<String, String> properties, Path logDir)
            throws IOException {
        Path jar = home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + port);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        var builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // The JVM takes its file-name encoding from the locale; under POSIX it cannot name a file
        // "ü" at all, so a service would refuse every non-ASCII key. Its file names are UTF-8.
        if (!"UTF-8".equals(System.getProperty("sun.jnu.encoding"))) {
            builder.environment().put("LC_ALL", "C.UTF-8");
        }
        Process p = builder.start();
        return new ServiceProcess(name, p, port, log);
    }

    /** Waits for the service's readiness check. */
    void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook, no clean leave from the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
