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
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** One packaged Ferry service running as a child JVM, logging to a file, bound to 127.0.0.1. */
final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final ProcessBuilder command;
    private final int port;
    private final Path log;
    private volatile Process process;

    private ServiceProcess(String name, ProcessBuilder command, int port, Path log) throws IOException {
        this.name = name;
        this.command = command;
        this.port = port;
        this.log = log;
        this.process = command.start();
    }

    /**
     * Starts {@code <home>/<module>/target/quarkus-app/quarkus-run.jar}.
     *
     * @param heap the JVM's maximum heap ({@code -Xmx}), e.g. {@code 512m}
     * @param jvmOptions more options for the JVM, before the jar (e.g. its JIT's)
     * @param properties system properties for the service (Quarkus reads them as configuration);
     *     upper-case names ({@code FERRY_SECRET_X_KEY}) are environment variables, and so are
     *     passwords and JAAS logins, which a command line would show every local user
     */
    static ServiceProcess start(Path home, String module, String name, int port, String heap, List<String> jvmOptions,
            Map<String, String> properties, Path logDir) throws IOException {
        Path jar = home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Files.deleteIfExists(log); // a restart appends to it
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        // a service out of heap is broken in ways no health check sees: better gone, and seen gone
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmOptions);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + port);
        Map<String, String> environment = new java.util.HashMap<>();
        properties.forEach((k, v) -> {
            if (k.matches("[A-Z][A-Z0-9_]*")) {
                environment.put(k, v);
            } else if (isCredential(k)) {
                // a command line is readable by every local user (ps); the environment is not
                environment.put(k.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), v);
            } else {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add("-jar");
        cmd.add(jar.toString());
        var builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        // The JVM takes its file-name encoding from the locale; under POSIX it cannot name a file
        // "ü" at all, so a service would refuse every non-ASCII key. Its file names are UTF-8.
        if (!"UTF-8".equals(System.getProperty("sun.jnu.encoding"))) {
            builder.environment().put("LC_ALL", "C.UTF-8");
        }
        return new ServiceProcess(name, builder, port, log);
    }

    /** A setting that holds a password or a JAAS login (with its password): passed in the environment. */
    static boolean isCredential(String key) {
        return key.contains("password") || key.contains("jaas");
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

    /** Stops the service and starts it again, on the same port with the same settings and state. */
    void restart(Duration ready) throws IOException, InterruptedException {
        ChildProcesses.stop(process);
        process = command.start();
        awaitReady(ready);
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook, no clean leave from the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * SIGTERM, as Kubernetes sends first, and no SIGKILL after it: the exit status once the process
     * has exited, or empty if it still runs after {@code wait}.
     */
    OptionalInt terminate(Duration wait) throws InterruptedException {
        process.destroy();
        return process.waitFor(wait.toNanos(), TimeUnit.NANOSECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    String name() {
        return name;
    }

    /** The running JVM's process id (a new one after {@link #restart}). */
    long pid() {
        return process.pid();
    }

    /** The file its output goes to. */
    Path log() {
        return log;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
