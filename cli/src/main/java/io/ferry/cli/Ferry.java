package io.ferry.cli;

import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobDocuments;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ferry} command.
 *
 * <pre>
 * ferry local [--source DIR] [--destination DIR] [--data-dir DIR] [--transfers N] [--chunk-size SIZE]
 *             [--continuous] [--exit-when-done]
 * ferry submit FILE [--scanner URL]
 * ferry status NAMESPACE/NAME [--verifier URL]
 * ferry wait NAMESPACE/NAME [--verifier URL] [--timeout SECONDS]
 * ferry bench [--data-dir DIR] [--large-files N] [--large-size SIZE] [--small-files N] [--small-size SIZE]
 *             [--transfers N] [--concurrency N]
 * </pre>
 */
public final class Ferry {
    private static final PrintStream OUT = System.out;

    private Ferry() {
    }

    public static void main(String[] args) throws Exception {
        Deque<String> a = new ArrayDeque<>(List.of(args));
        String command = a.isEmpty() ? "help" : a.pop();
        int code = switch (command) {
            case "local" -> local(a);
            case "submit" -> submit(a);
            case "status" -> status(a);
            case "wait" -> await(a);
            case "bench" -> bench(a);
            default -> usage();
        };
        System.exit(code);
    }

    private static int usage() {
        OUT.println("""
                usage:
                  ferry local [--source DIR] [--destination DIR] [--data-dir DIR] [--transfers N]
                              [--chunk-size SIZE] [--continuous] [--exit-when-done]
                      start a Kafka broker and the three services on 127.0.0.1, sync SOURCE (default: a
                      generated sample) into DESTINATION, show progress until Completed and Verified
                  ferry submit FILE [--scanner URL]           submit a ReplicationJob (YAML or JSON)
                  ferry status NAMESPACE/NAME [--verifier URL] print the job's status
                  ferry wait NAMESPACE/NAME [--verifier URL] [--timeout SECONDS]
                      block until the job is Completed and Verified (exit 0) or Failed (exit 1)
                  ferry bench [--data-dir DIR] [--large-files 4] [--large-size 1GiB] [--small-files 20000]
                              [--small-size 4KiB] [--transfers 2] [--concurrency 8]
                      time a file-to-file sync through local mode beside rclone copy of the same data""");
        return 2;
    }

    private static String option(Deque<String> args, String name, String fallback) {
        List<String> list = List.copyOf(args);
        int i = list.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= list.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        args.removeFirstOccurrence(name);
        String value = list.get(i + 1);
        args.removeFirstOccurrence(value);
        return value;
    }

    private static boolean flag(Deque<String> args, String name) {
        return args.removeFirstOccurrence(name);
    }

    private static int local(Deque<String> args) throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
        Path dataDir = Path.of(option(args, "--data-dir", home.resolve(".ferry").toString())).toAbsolutePath();
        String sourceArg = option(args, "--source", null);
        Path destination = Path.of(option(args, "--destination", dataDir.resolve("destination").toString())).toAbsolutePath();
        int transfers = Integer.parseInt(option(args, "--transfers", "2"));
        String chunkSize = option(args, "--chunk-size", "8MiB");
        boolean continuous = flag(args, "--continuous");
        boolean exitWhenDone = flag(args, "--exit-when-done");
        if (!args.isEmpty()) {
            OUT.println("unknown arguments: " + args);
            return usage();
        }
        Path source;
        if (sourceArg == null) {
            source = dataDir.resolve("sample");
            if (!Files.exists(source)) {
                OUT.println("Generating a sample model tree in " + source + " ...");
                SampleData.generate(source, 500, 3, 40L << 20, 42);
            }
        } else {
            source = Path.of(sourceArg).toAbsolutePath().normalize();
            if (!Files.isDirectory(source)) {
                OUT.println("--source " + source + " is not a directory");
                return 2;
            }
        }
        OUT.println("Starting a Kafka broker and scanner, verifier and " + transfers + " transfer services (logs in "
                + dataDir.resolve("logs") + ") ...");
        LocalCluster cluster = LocalCluster.start(home, dataDir, transfers, Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OUT.println("\nStopping Ferry ...");
            cluster.close();
            stopped.countDown();
        }));
        String name = "local-sync-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String job = """
                apiVersion: ome.io/v1beta1
                kind: ReplicationJob
                metadata:
                  name: %s
                  namespace: default
                  annotations:
                    ome.io/checksum-verification: enabled
                spec:
                  mode: %s
                  scanInterval: 10s
                  source:
                    storageUri: file://%s/
                  destination:
                    storageUri: file://%s/
                    parameters:
                      multipart_threshold: %s
                      multipart_chunksize: %s
                """.formatted(name, continuous ? "continuous" : "once", source, destination, chunkSize, chunkSize);
        var client = new FerryClient(cluster.scannerUrl(), cluster.verifierUrl());
        client.submit(job);
        String key = "default/" + name;
        OUT.println("Submitted job " + key + ": " + source + " -> " + destination);
        JobStatus last = follow(client, key, continuous, Duration.ofDays(365));
        OUT.println(last.message());
        OUT.println("Verified: " + (last.isTrue(ConditionType.Verified) ? "True" : "False") + " - "
                + (last.condition(ConditionType.Verified) == null ? "" : last.condition(ConditionType.Verified).message()));
        OUT.println("Status API: " + cluster.verifierUrl() + "/jobs/" + key + "/status");
        OUT.println("Objects:    " + cluster.verifierUrl() + "/jobs/" + key + "/objects?state=VERIFIED");
        OUT.println("Jobs API:   " + cluster.scannerUrl() + "/jobs");
        boolean ok = last.phase() != JobPhase.Failed;
        if (exitWhenDone && !continuous) {
            return ok ? 0 : 1;
        }
        OUT.println(continuous ? "Watching " + source + " for changes; Ctrl-C stops Ferry." : "Ferry keeps running; Ctrl-C stops it.");
        if (continuous) {
            var bar = new ProgressBar(OUT, System.console() != null);
            while (!stopped.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
                try {
                    client.status(key).ifPresent(bar::show);
                } catch (java.io.IOException stopping) {
                    // Ctrl-C: the services are going away under us
                }
            }
        }
        stopped.await();
        return ok ? 0 : 1;
    }

    /** Shows progress until the job is done: Completed and Verified (or Failed) for a once job, in sync for a continuous one. */
    static JobStatus follow(FerryClient client, String key, boolean continuous, Duration timeout) throws Exception {
        var bar = new ProgressBar(OUT, System.console() != null);
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus status = null;
        while (System.nanoTime() < deadline) {
            status = client.status(key).orElse(null);
            if (status != null) {
                bar.show(status);
                if (finished(status, continuous)) {
                    bar.done();
                    return status;
                }
            }
            Thread.sleep(500);
        }
        bar.done();
        throw new IllegalStateException("job " + key + " not finished after " + timeout + (status == null ? "" : ": " + status.message()));
    }

    static boolean finished(JobStatus s, boolean continuous) {
        if (s.phase() == JobPhase.Failed) {
            return true;
        }
        if (continuous) {
            return s.isTrue(ConditionType.InSync);
        }
        return s.phase() == JobPhase.Completed && s.isTrue(ConditionType.Verified);
    }

    private static int bench(Deque<String> args) throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
        Path dir = Path.of(option(args, "--data-dir", home.resolve(".ferry/bench").toString())).toAbsolutePath();
        var options = new Bench.Options(
                Integer.parseInt(option(args, "--large-files", "4")),
                io.ferry.schemas.job.Sizes.parse(option(args, "--large-size", "1GiB")),
                Integer.parseInt(option(args, "--small-files", "20000")),
                (int) io.ferry.schemas.job.Sizes.parse(option(args, "--small-size", "4KiB")),
                Integer.parseInt(option(args, "--transfers", "2")),
                Integer.parseInt(option(args, "--concurrency", "8")));
        if (!args.isEmpty()) {
            return usage();
        }
        return Bench.run(home, dir, options, OUT);
    }

    private static int submit(Deque<String> args) throws Exception {
        String scanner = option(args, "--scanner", System.getenv().getOrDefault("FERRY_SCANNER_URL", "http://127.0.0.1:8081"));
        if (args.size() != 1) {
            return usage();
        }
        var client = new FerryClient(scanner, null);
        // A file may hold several jobs separated by ---, as kubectl takes them.
        for (String document : JobDocuments.split(Files.readString(Path.of(args.pop())))) {
            OUT.println(client.submit(document));
        }
        return 0;
    }

    private static int status(Deque<String> args) throws Exception {
        String verifier = option(args, "--verifier", System.getenv().getOrDefault("FERRY_VERIFIER_URL", "http://127.0.0.1:8083"));
        if (args.size() != 1) {
            return usage();
        }
        var client = new FerryClient(null, verifier);
        OUT.println(client.get(verifier + "/jobs/" + args.pop() + "/status"));
        return 0;
    }

    private static int await(Deque<String> args) throws Exception {
        String verifier = option(args, "--verifier", System.getenv().getOrDefault("FERRY_VERIFIER_URL", "http://127.0.0.1:8083"));
        long timeout = Long.parseLong(option(args, "--timeout", "86400"));
        if (args.size() != 1) {
            return usage();
        }
        JobStatus s = follow(new FerryClient(null, verifier), args.pop(), false, Duration.ofSeconds(timeout));
        OUT.println(s.message());
        return s.phase() == JobPhase.Completed ? 0 : 1;
    }
}
