package io.ferry.bench;

import io.ferry.cli.Ferry;
import io.ferry.cli.FerryClient;
import io.ferry.cli.LocalCluster;
import io.ferry.cli.SampleData;
import io.ferry.kafka.broker.ChildProcesses;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.Sizes;
import io.ferry.storage.StorageUri;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scale run ({@code bench/scale.sh}): one file→file job over many small files, through local
 * mode with each service's heap capped, beside {@code rclone sync} of the same tree. Reports the
 * time to the first byte copied, objects/s, every service's heap (used, and live after GC) and RSS
 * peaks, the state on disk, the time of a second job over the same set on the same (now warm)
 * services, and of a re-sync with nothing changed and with 1% changed; the CPU each of those runs
 * spent, Ferry's by process.
 */
public final class Scale {
    /**
     * Each scrape of /q/metrics costs a Kafka Streams service 30–100 ms of CPU (~800 series); every
     * 2 s that was a tenth of the verifier's CPU in a copy, more than Prometheus scraping every
     * 15–30 s costs a deployment. Live data after GC is a gauge that holds between collections.
     */
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = "One job over a million small files in capped heaps, beside rclone sync of the same tree.")
    static final class Options implements Callable<Integer> {
        @Option(names = "--objects", defaultValue = "1000000", description = "files in the set (default: ${DEFAULT-VALUE})")
        int objects;

        @Option(names = "--size", defaultValue = "1KiB", converter = Ferry.SizeConverter.class,
                description = "size of each file (default: ${DEFAULT-VALUE})")
        long size;

        @Option(names = "--transfers", defaultValue = "2", description = "transfer instances (default: ${DEFAULT-VALUE})")
        int transfers;

        @Option(names = "--concurrency", defaultValue = "8", description = "tasks per transfer instance (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--transfer-heap", defaultValue = "256m", description = "-Xmx of each transfer instance (default: ${DEFAULT-VALUE})")
        String transferHeap;

        @Option(names = "--scanner-heap", defaultValue = "512m", description = "-Xmx of the scanner (default: ${DEFAULT-VALUE})")
        String scannerHeap;

        @Option(names = "--verifier-heap", defaultValue = "512m", description = "-Xmx of the verifier (default: ${DEFAULT-VALUE})")
        String verifierHeap;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "where data and servers live (default: .ferry/scale)")
        Path dataDir;

        @Option(names = "--warm-run", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "after the first copy, time a second job copying the same set to another directory on the "
                        + "same running services, as an always-on deployment takes its next job (default: on)")
        boolean warmRun;

        @Override
        public Integer call() throws Exception {
            Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
            Path dir = (dataDir == null ? home.resolve(".ferry/scale") : dataDir).toAbsolutePath();
            return new Scale(dir, this, System.out).run(home);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }

    /** What the sampler saw of one service: peaks of heap in use and of live data after a GC. */
    private static final class Peaks {
        volatile double heapUsed;
        volatile double liveAfterGc;
    }

    private final Path dir;
    private final Options options;
    private final PrintStream out;
    private final List<Bench.Row> rows = new ArrayList<>();
    private final Map<String, Peaks> peaks = new ConcurrentHashMap<>();
    /** CPU time of each run of the table, by its row's tool; Ferry's by process. */
    private final Map<String, Map<String, Duration>> cpu = new LinkedHashMap<>();

    private Scale(Path dir, Options options, PrintStream out) {
        this.dir = dir;
        this.options = options;
        this.out = out;
    }

    private int run(Path home) throws Exception {
        String commit = Results.commit(home);
        int size = Math.toIntExact(options.size);
        String set = options.objects + " x " + Sizes.format(size);
        Path source = dir.resolve("data/source");
        Path done = dir.resolve("data/source-" + options.objects + "x" + size + ".done");
        if (!Files.exists(done)) {
            out.println("Generating " + set + " in " + source);
            ChildProcesses.deleteTree(source);
            SampleData.generateFixed(source, options.objects, size, 5);
            Files.createFile(done);
        }
        Path ferryOut = dir.resolve("out/ferry");
        Path rcloneOut = dir.resolve("out/rclone");
        ChildProcesses.deleteTree(dir.resolve("out"));
        ChildProcesses.deleteTree(dir.resolve("ferry"));
        Files.createDirectories(ferryOut);
        Map<String, String> heaps = Map.of("scanner", options.scannerHeap, "verifier", options.verifierHeap,
                "transfer", options.transferHeap);
        out.println("Starting local mode: " + options.transfers + " transfer workers x " + options.concurrency + "; heaps " + heaps);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        long[] firstByte = {-1};
        try (LocalCluster cluster = LocalCluster.start(home, dir.resolve("ferry"), options.transfers, Map.of(
                "ferry.transfer.concurrency", Integer.toString(options.concurrency),
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir).toString(),
                LocalCluster.HEAP + "scanner", options.scannerHeap,
                LocalCluster.HEAP + "verifier", options.verifierHeap,
                LocalCluster.HEAP + "transfer", options.transferHeap))) {
            FerryClient client = cluster.client();
            HttpClient http = HttpClient.newHttpClient();
            Map<String, String> urls = cluster.serviceUrls();
            sampler.scheduleWithFixedDelay(() -> urls.forEach((name, url) -> sample(http, cluster.token(), name, url)),
                    0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);

            String jobKey = "scale/files";
            Map<String, Long> ferryPids = new LinkedHashMap<>(cluster.processIds());
            ferryPids.put("kafka broker", cluster.brokerPid());
            String first = "ferry (every object re-read)";
            Copy copy = measured(first, ferryPids, () -> copy(client, cluster.processIds(), "files", source, ferryOut, firstByte));
            long bytes = copy.status().progress().bytesVerified();
            rows.add(new Bench.Row(first, "file->file", set, bytes, options.objects, copy.seconds()));
            Map<String, Long> stateAfterCopy = diskUse(dir.resolve("ferry"));

            rclone("rclone sync (16 transfers)", source, rcloneOut, set, bytes, "first");
            if (options.warmRun) {
                // the services that ran the first copy have compiled their code by now, as in a
                // deployment that has been running: against the first copy, what warming up cost it
                String warm = "ferry, next job (services warm)";
                Path warmOut = dir.resolve("out/ferry-warm");
                Files.createDirectories(warmOut);
                Copy again = measured(warm, ferryPids,
                        () -> copy(client, cluster.processIds(), "files-warm", source, warmOut, new long[] {-1}));
                rows.add(new Bench.Row(warm, "file->file", set, bytes, options.objects, again.seconds()));
            }
            String noop = "ferry re-sync, nothing changed";
            rows.add(new Bench.Row(noop, "file->file", set, bytes, options.objects,
                    measured(noop, ferryPids, () -> Bench.resyncSeconds(client, jobKey, options.objects))));
            rclone("rclone sync, nothing changed", source, rcloneOut, set, bytes, "nothing-changed");
            out.println("Rewriting 1% of the set ...");
            Bench.changeOnePercent(source, System.nanoTime()); // other bytes than an earlier run's rewrite
            String onePercent = "ferry re-sync, 1% changed";
            rows.add(new Bench.Row(onePercent, "file->file", set, bytes, options.objects,
                    measured(onePercent, ferryPids, () -> Bench.resyncSeconds(client, jobKey, options.objects))));
            rclone("rclone sync, 1% changed", source, rcloneOut, set, bytes, "one-percent");

            sampler.shutdown();
            sampler.awaitTermination(1, TimeUnit.MINUTES);
            Map<String, Long> rssPeaks = new LinkedHashMap<>();
            cluster.processIds().forEach((name, pid) -> rssPeaks.put(name, rssPeak(pid)));
            Map<String, Long> stateAtEnd = diskUse(dir.resolve("ferry"));
            Results.printAndSave(home, "scale", commit, out,
                    to -> report(to, set, firstByte[0], heaps, rssPeaks, stateAfterCopy, stateAtEnd));
        } finally {
            sampler.shutdownNow();
        }
        return 0;
    }

    /** A job's end and how long it took from submit. */
    private record Copy(JobStatus status, double seconds) {
    }

    /**
     * Submits job {@code scale/name} copying {@code source} to {@code destination} and follows it
     * to its end, which must be Completed with every object Verified.
     */
    private Copy copy(FerryClient client, Map<String, Long> services, String name, Path source, Path destination,
            long[] firstByte) throws Exception {
        long t0 = System.nanoTime();
        client.submit(JobBuilder.job("scale", name).source(StorageUri.directory(source).toString(), Map.of())
                .destination(StorageUri.directory(destination).toString(), Map.of()).json());
        JobStatus status = awaitCompleted(client, services, "scale/" + name, destination, t0, firstByte);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (status.phase() != JobPhase.Completed || !status.isTrue(ConditionType.Verified)
                || status.progress().objectsVerified() != options.objects) {
            throw new IllegalStateException("Ferry did not complete scale/" + name + ": " + status.phase() + " " + status.message());
        }
        return new Copy(status, seconds);
    }

    /** Runs {@code step}, noting in the CPU table under {@code tool} what Ferry's processes spent meanwhile. */
    private <T> T measured(String tool, Map<String, Long> ferryPids, Callable<T> step) throws Exception {
        Map<String, Duration> before = CpuTime.of(ferryPids);
        T result = step.call();
        cpu.put(tool, spent(before, CpuTime.of(ferryPids)));
        return result;
    }

    /**
     * Follows the job to its end, noting when the first copied file appears at the destination;
     * fails when a service has exited (one out of heap exits, see ServiceProcess).
     */
    private JobStatus awaitCompleted(FerryClient client, Map<String, Long> services, String jobKey, Path destination, long t0,
            long[] firstByte) throws Exception {
        long lastReport = 0;
        while (true) {
            for (var service : services.entrySet()) {
                if (!ProcessHandle.of(service.getValue()).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException(service.getKey() + " exited while the job ran; see its log under "
                            + dir.resolve("ferry/logs"));
                }
            }
            if (firstByte[0] < 0 && anyFile(destination)) {
                firstByte[0] = System.nanoTime() - t0;
            }
            var status = client.status(jobKey);
            if (status.isPresent() && status.get().progress() != null && status.get().observedGeneration() >= 1) {
                JobStatus s = status.get();
                if (s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed) {
                    return s;
                }
                if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
                    lastReport = System.nanoTime();
                    out.printf(Locale.ROOT, "%6.0f s: %d of %d objects verified%n", (lastReport - t0) / 1e9,
                            s.progress().objectsVerified(), options.objects);
                }
            }
            Thread.sleep(firstByte[0] < 0 ? 50 : 1000);
        }
    }

    /**
     * Whether a finished file (not an upload in progress) is anywhere under {@code root}. An upload
     * renamed or removed while the walk passes it is skipped, not an error: the walk runs while
     * the workers write.
     */
    private static boolean anyFile(Path root) throws IOException {
        boolean[] found = {false};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                found[0] = attributes.isRegularFile() && !file.getFileName().toString().startsWith(".ferry-upload-");
                return found[0] ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return found[0];
    }

    private void rclone(String tool, Path from, Path to, String set, long bytes, String step) throws Exception {
        var command = new ProcessBuilder("rclone", "sync", "--transfers", "16", from.toString(), to.toString());
        var before = CpuTime.ofReapedChildren();
        var seconds = Bench.timed(tool, command, dir.resolve("logs/rclone-" + step + ".log"), out);
        var after = CpuTime.ofReapedChildren();
        if (seconds.isPresent()) {
            rows.add(new Bench.Row(tool, "file->file", set, bytes, options.objects, seconds.getAsDouble()));
            if (before.isPresent() && after.isPresent()) {
                cpu.put(tool, Map.of("rclone", after.get().minus(before.get())));
            }
        }
    }

    /** What each process spent between two readings; a process missing from either is left out. */
    private static Map<String, Duration> spent(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Duration> spent = new LinkedHashMap<>();
        after.forEach((name, d) -> {
            if (before.containsKey(name)) {
                spent.put(name, d.minus(before.get(name)));
            }
        });
        return spent;
    }

    /**
     * One scrape of a service's metrics: heap in use (summed over the heap's pools) and the live
     * data the last major GC left ({@code jvm_gc_live_data_size_bytes}), the figure that grows if
     * state is kept in heap.
     */
    private void sample(HttpClient http, String token, String name, String url) {
        try {
            HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                r.body().close();
                return;
            }
            double[] heap = {0, 0};
            try (Stream<String> lines = r.body()) {
                lines.forEach(line -> {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        heap[0] += value(line);
                    } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                        heap[1] = value(line);
                    }
                });
            }
            Peaks p = peaks.computeIfAbsent(name, n -> new Peaks());
            p.heapUsed = Math.max(p.heapUsed, heap[0]);
            p.liveAfterGc = Math.max(p.liveAfterGc, heap[1]);
        } catch (IOException | RuntimeException e) {
            // a missed sample is a gap, not a failure (the service may be busy in a GC)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double value(String metricLine) {
        return Double.parseDouble(metricLine.substring(metricLine.lastIndexOf(' ') + 1));
    }

    /** The kernel's record of the process's peak resident set (VmHWM), in bytes; -1 when unreadable. */
    private static long rssPeak(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process has gone
        }
        return -1;
    }

    /**
     * Blocks in use under each of the broker's log and the services' state directories, as du counts
     * them: the broker preallocates index files sparsely, so their length says nothing.
     */
    private static Map<String, Long> diskUse(Path ferryDir) throws IOException, InterruptedException {
        Map<String, Long> use = new LinkedHashMap<>();
        for (String part : List.of("kafka", "state/verifier", "state/scanner")) {
            Path p = ferryDir.resolve(part);
            long bytes = 0;
            if (Files.isDirectory(p)) {
                Process du = new ProcessBuilder("du", "-sk", p.toString()).redirectErrorStream(true).start();
                String answer = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                bytes = du.waitFor() == 0 ? Long.parseLong(answer.split("\\s+")[0]) * 1024 : -1;
            }
            use.put(part, bytes);
        }
        return use;
    }

    /**
     * CPU time (user + system) of each run, Ferry's by process: on a shared machine whose wall
     * times move by tens of percent between runs, the per-object CPU cost moves least.
     */
    private void printCpu(PrintStream to) {
        List<String> names = cpu.values().stream().flatMap(m -> m.keySet().stream()).distinct()
                .filter(n -> !n.equals("rclone")).toList();
        StringBuilder header = new StringBuilder("| CPU seconds (user + system)        |   total | ms/object |");
        StringBuilder rule = new StringBuilder("|------------------------------------|---------|-----------|");
        names.forEach(n -> {
            header.append(String.format(Locale.ROOT, " %12s |", n));
            rule.append("-".repeat(14)).append('|');
        });
        to.println(header);
        to.println(rule);
        cpu.forEach((run, byProcess) -> {
            Duration total = byProcess.values().stream().reduce(Duration.ZERO, Duration::plus);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %-34s | %7s | %9.3f |", run,
                    CpuTime.seconds(total), total.toNanos() / 1e6 / options.objects));
            names.forEach(n -> line.append(String.format(Locale.ROOT, " %12s |",
                    byProcess.containsKey(n) ? CpuTime.seconds(byProcess.get(n)) : "")));
            to.println(line);
        });
    }

    private void report(PrintStream to, String set, long firstByteNanos, Map<String, String> heaps, Map<String, Long> rssPeaks,
            Map<String, Long> afterCopy, Map<String, Long> atEnd) {
        to.println();
        Bench.Row.printTable(rows, to);
        to.println();
        to.printf(Locale.ROOT, "time to first byte copied (submit to the first file at the destination): %.2f s%n",
                firstByteNanos / 1e9);
        to.println();
        printCpu(to);
        to.println();
        to.println("| service    |  -Xmx | heap used, peak | live after GC, peak | RSS peak (VmHWM) |");
        to.println("|------------|-------|-----------------|---------------------|------------------|");
        rssPeaks.forEach((name, rss) -> {
            Peaks p = peaks.getOrDefault(name, new Peaks());
            String kind = name.startsWith("transfer") ? "transfer" : name;
            to.printf(Locale.ROOT, "| %-10s | %5s | %15s | %19s | %16s |%n", name, heaps.get(kind), Sizes.format((long) p.heapUsed),
                    Sizes.format((long) p.liveAfterGc), rss < 0 ? "?" : Sizes.format(rss));
        });
        to.println();
        to.println("| on disk        | after the first copy | at the end |");
        to.println("|----------------|----------------------|------------|");
        afterCopy.forEach((part, bytes) -> to.printf(Locale.ROOT, "| %-14s | %20s | %10s |%n", part, Sizes.format(bytes),
                Sizes.format(atEnd.get(part))));
        to.println();
        to.println("cores: " + Runtime.getRuntime().availableProcessors() + "; " + set + " in directories of 1,000; Ferry: "
                + options.transfers + " instances x " + options.concurrency + " tasks, timed from submit to Completed with every "
                + "object Verified (SHA-256 read back); heaps sampled every " + SAMPLE_EVERY.toSeconds() + " s from /q/metrics; "
                + "rclone sync lists both trees and compares size and time; CPU: Ferry's services and broker from submit to the "
                + "end of the run, rclone's as the kernel accounts a child that has exited.");
    }
}
