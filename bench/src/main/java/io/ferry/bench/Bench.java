package io.ferry.bench;

import io.ferry.cli.Ferry;
import io.ferry.cli.FerryClient;
import io.ferry.cli.JobFollower;
import io.ferry.cli.LocalCluster;
import io.ferry.cli.SampleData;
import io.ferry.kafka.broker.ChildProcesses;
import io.ferry.oci.server.OciCredentials;
import io.ferry.oci.server.OciServer;
import io.ferry.s3.server.S3Server;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.Sizes;
import io.ferry.storage.StorageUri;
import io.ferry.testing.TestSecrets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark ({@code bench/run.sh}): a large-file set and a small-file set, file→S3 and S3→file against one local
 * S3 server (S3Proxy), through local mode and, on the same data in the same run, through rclone,
 * the AWS CLI and s3cmd where installed; and the large set file→OCI and OCI→file against the local
 * OCI Object Storage server (which no peer tool here speaks). Ferry is timed from submit to
 * Completed+Verified (broker and service start-up excluded); the others as whole commands.
 */
public final class Bench {
    private static final String BUCKET = "bench";
    private static final String SECRET = "bench-s3";
    private static final String OCI_NAMESPACE = "bench";

    /** One line of a results table: a tool's whole run over a data set. */
    record Row(String tool, String direction, String set, long bytes, long files, double seconds) {
        String format() {
            return String.format(Locale.ROOT, "| %-34s | %-10s | %-18s | %9s | %7d | %7.1f | %7.1f | %8.0f |", tool, direction,
                    set, Sizes.format(bytes), files, seconds, bytes / seconds / (1 << 20), files / seconds);
        }

        static void printTable(List<Row> rows, PrintStream out) {
            out.println("| tool                               | direction  | data set           |     bytes |   files | seconds |    MB/s |  files/s |");
            out.println("|------------------------------------|------------|--------------------|-----------|---------|---------|---------|----------|");
            rows.forEach(r -> out.println(r.format()));
        }
    }

    /** What to run: sizes of the two sets, the number of transfer instances and where the data goes. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Time Ferry beside rclone, the AWS CLI, s3cmd, rsync and cp on the same data in the same run.")
    static final class Options implements Callable<Integer> {
        @Option(names = "--large-files", defaultValue = "4", description = "files in the large set (default: ${DEFAULT-VALUE})")
        int largeFiles;

        @Option(names = "--large-size", defaultValue = "1GiB", converter = Ferry.SizeConverter.class,
                description = "size of each large file (default: ${DEFAULT-VALUE})")
        long largeSize;

        @Option(names = "--small-files", defaultValue = "20000", description = "files in the small set (default: ${DEFAULT-VALUE})")
        int smallFiles;

        @Option(names = "--small-size", defaultValue = "4KiB", converter = Ferry.SizeConverter.class,
                description = "size of each small file (default: ${DEFAULT-VALUE})")
        long smallSize;

        @Option(names = "--transfers", defaultValue = "2", description = "transfer instances (default: ${DEFAULT-VALUE})")
        int transfers;

        @Option(names = "--concurrency", defaultValue = "8", description = "tasks per transfer instance (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "where data and servers live (default: .ferry/bench)")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
            Path dir = (dataDir == null ? home.resolve(".ferry/bench") : dataDir).toAbsolutePath();
            return new Bench(dir, this, System.out).run(home);
        }

        int smallSizeBytes() {
            return Math.toIntExact(smallSize);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }

    private final Path dir;
    private final Options options;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private S3Server s3;
    private OciServer oci;
    private Path ociConfig;

    private Bench(Path dir, Options options, PrintStream out) {
        this.dir = dir;
        this.options = options;
        this.out = out;
    }

    private int run(Path home) throws Exception {
        String commit = Results.commit(home);
        Path large = dir.resolve("data/large");
        Path small = dir.resolve("data/small");
        String largeName = options.largeFiles + " x " + Sizes.format(options.largeSize);
        String smallName = options.smallFiles + " x " + Sizes.format(options.smallSizeBytes());
        // a marker beside each set, naming its shape, so a set is regenerated when the options change
        Path largeDone = dir.resolve("data/large-" + options.largeFiles + "x" + options.largeSize + ".done");
        Path smallDone = dir.resolve("data/small-" + options.smallFiles + "x" + options.smallSizeBytes() + ".done");
        if (!Files.exists(largeDone)) {
            out.println("Generating " + largeName + " in " + large);
            ChildProcesses.deleteTree(large);
            SampleData.generate(large, 0, options.largeFiles, options.largeSize, 1);
            Files.createFile(largeDone);
        }
        if (!Files.exists(smallDone)) {
            out.println("Generating " + smallName + " in " + small);
            ChildProcesses.deleteTree(small);
            SampleData.generateFixed(small, options.smallFiles, options.smallSizeBytes(), 2);
            Files.createFile(smallDone);
        }
        Path secrets = dir.resolve("secrets");
        ChildProcesses.deleteTree(dir.resolve("s3"));
        ChildProcesses.deleteTree(dir.resolve("out"));
        ChildProcesses.deleteTree(dir.resolve("oci"));
        ChildProcesses.deleteTree(secrets.resolve("oci"));
        try (S3Server server = S3Server.start(dir.resolve("s3"), 0, "bench", "bench-secret-" + System.nanoTime(), true);
                OciServer ociServer = OciServer.start(dir.resolve("oci/data"), 0, OCI_NAMESPACE)) {
            s3 = server;
            oci = ociServer;
            OciCredentials credentials = OciCredentials.generate();
            ociServer.trust(credentials);
            ociServer.createBucket(BUCKET, "ocid1.compartment.oc1..bench");
            ociConfig = credentials.writeApiKeyConfig(secrets.resolve("oci"), "DEFAULT", "us-phoenix-1");
            server.createBucket(BUCKET);
            TestSecrets.writeS3(secrets, SECRET, server.accessKey(), server.secretKey());
            out.println("S3Proxy at " + server.endpoint() + "; starting local mode with " + options.transfers
                    + " transfer workers x " + options.concurrency + " ...");
            try (LocalCluster cluster = LocalCluster.start(home, dir.resolve("ferry"), options.transfers, Map.of(
                    "ferry.storage.secrets-dir", secrets.toString(),
                    "ferry.transfer.concurrency", Integer.toString(options.concurrency),
                    LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir) + ",s3://,oci://",
                    LocalCluster.ANY_NAMESPACE_POLICY + "endpoint-hosts", "127.0.0.1",
                    LocalCluster.ANY_NAMESPACE_POLICY + "secrets", SECRET))) {
                var client = cluster.client();
                // First jobs pay for class loading, JIT and group joins in every service: not what a
                // long-running deployment sees. One untimed round trip first.
                Path warm = dir.resolve("data/warm-up");
                if (!Files.exists(warm)) {
                    SampleData.generate(warm, 50, 1, 80L << 20, 3);
                }
                ferry(client, "file->s3", "warm-up", "file://" + warm + "/", "s3://" + BUCKET + "/warm-up/", false, false);
                ferry(client, "s3->file", "warm-up", "s3://" + BUCKET + "/warm-up/", "file://" + dir.resolve("out/warm-up") + "/", false, false);
                for (var set : List.of(Map.entry(large, largeName), Map.entry(small, smallName))) {
                    String tag = set.getKey().getFileName().toString();
                    ferry(client, "file->s3", set.getValue(), "file://" + set.getKey() + "/",
                            "s3://" + BUCKET + "/ferry-" + tag + "/", false, true);
                    ferry(client, "file->s3", set.getValue(), "file://" + set.getKey() + "/",
                            "s3://" + BUCKET + "/ferry-trusting-" + tag + "/", true, true);
                    ferry(client, "s3->file", set.getValue(), "s3://" + BUCKET + "/ferry-" + tag + "/",
                            "file://" + dir.resolve("out/ferry-" + tag) + "/", false, true);
                    String filesJob = ferry(client, "file->file", set.getValue(), "file://" + set.getKey() + "/",
                            "file://" + dir.resolve("out/ferry-files-" + tag) + "/", false, true);
                    if (set.getKey() == small) {
                        // the same job run again: nothing changed, then 1% of the files changed
                        resync(client, filesJob, "ferry re-sync, nothing changed", smallName, totals(small));
                        changeOnePercent(small, 1);
                        resync(client, filesJob, "ferry re-sync, 1% changed", smallName, totals(small));
                    }
                }
                String ociLarge = "oci://" + OCI_NAMESPACE + "/" + BUCKET + "/ferry-large/";
                ferry(client, "file->oci", largeName, "file://" + large + "/", ociLarge, false, true);
                ferry(client, "oci->file", largeName, ociLarge, "file://" + dir.resolve("out/ferry-oci-large") + "/", false, true);
            }
            long[] largeTotals = totals(large);
            long[] smallTotals = totals(small);
            for (var set : List.of(Map.entry(large, largeName), Map.entry(small, smallName))) {
                String tag = set.getKey().getFileName().toString();
                long[] t = set.getKey() == large ? largeTotals : smallTotals;
                // every peer reads back the objects Ferry wrote, so all download the same data
                String from = "s3://" + BUCKET + "/ferry-" + tag + "/";
                peer("rclone copy (16 transfers)", "file->s3", set.getValue(), t, rclone(set.getKey().toString(),
                        "bench:" + BUCKET + "/rclone-" + tag));
                peer("rclone copy (16 transfers)", "s3->file", set.getValue(), t, rclone("bench:" + from.substring(5),
                        dir.resolve("out/rclone-" + tag).toString()));
                peer("aws s3 cp --recursive", "file->s3", set.getValue(), t, aws(set.getKey().toString(),
                        "s3://" + BUCKET + "/aws-" + tag + "/"));
                peer("aws s3 cp --recursive", "s3->file", set.getValue(), t, aws(from, dir.resolve("out/aws-" + tag).toString()));
                peer("s3cmd sync", "file->s3", set.getValue(), t, s3cmd(set.getKey() + "/", "s3://" + BUCKET + "/s3cmd-" + tag + "/"));
                peer("s3cmd sync", "s3->file", set.getValue(), t, s3cmd(from, dir.resolve("out/s3cmd-" + tag) + "/"));
                // file to file: each into a directory of its own that does not exist yet
                peer("rclone copy (16 transfers)", "file->file", set.getValue(), t, new ProcessBuilder("rclone", "copy",
                        "--transfers", "16", set.getKey().toString(), dir.resolve("out/rclone-files-" + tag).toString()));
                peer("rsync -a", "file->file", set.getValue(), t, new ProcessBuilder("rsync", "-a", set.getKey() + "/",
                        dir.resolve("out/rsync-files-" + tag) + "/"));
                peer("cp -r", "file->file", set.getValue(), t, new ProcessBuilder("cp", "-r", set.getKey().toString(),
                        dir.resolve("out/cp-files-" + tag).toString()));
            }
            // each sync tool again into what it copied: with nothing changed (every tool), then with
            // 1% of the files rewritten once for all of them
            var syncs = List.<Map.Entry<String, java.util.function.Supplier<ProcessBuilder>>>of(
                    Map.entry("rclone sync", () -> new ProcessBuilder("rclone", "sync", "--transfers", "16", small.toString(),
                            dir.resolve("out/rclone-files-small").toString())),
                    Map.entry("rsync -a", () -> new ProcessBuilder("rsync", "-a", small + "/",
                            dir.resolve("out/rsync-files-small") + "/")));
            for (var tool : syncs) {
                peer(tool.getKey() + ", nothing changed", "file->file", smallName, smallTotals, tool.getValue().get());
            }
            changeOnePercent(small, 2);
            for (var tool : syncs) {
                peer(tool.getKey() + ", 1% changed", "file->file", smallName, smallTotals, tool.getValue().get());
            }
        }
        out.println();
        Results.printAndSave(home, "run", commit, out, report -> {
            Row.printTable(rows, report);
            report.println();
            report.println("cores: " + Runtime.getRuntime().availableProcessors() + "; one S3Proxy (filesystem backend) and the"
                    + " local OCI server (in this JVM, every request's signature checked) on 127.0.0.1. "
                    + "Ferry: " + options.transfers + " instances x " + options.concurrency + " tasks, timed from submit to "
                    + "Completed+Verified (SHA-256 of every object compared: re-read, or confirmed by the server's MD5 ETag for whole\n"
                    + "puts under verify_after_copy: false); others: whole command.");
        });
        return 0;
    }

    /**
     * @param serverConfirmed whether a whole put's MD5 ETag may stand in for reading it back
     * @param timed false for the warm-up, which adds no row
     */
    private String ferry(FerryClient client, String direction, String set, String source, String destination,
            boolean serverConfirmed, boolean timed) throws Exception {
        String name = "bench-" + System.currentTimeMillis();
        var job = JobBuilder.job("bench", name).source(source, parameters(source)).destination(destination, parameters(destination));
        if (serverConfirmed) {
            job.destinationParameter("verify_after_copy", "false");
        }
        String document = job.json();
        long t0 = System.nanoTime();
        client.submit(document);
        JobStatus s = JobFollower.follow(client, "bench/" + name, false, Duration.ofHours(2), out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (s.phase() != JobPhase.Completed || !s.isTrue(ConditionType.Verified)) {
            throw new IllegalStateException("Ferry did not complete " + direction + " " + set + ": " + s.message());
        }
        if (timed) {
            String tool = serverConfirmed ? "ferry (server-confirmed checksums)" : "ferry (every object re-read)";
            rows.add(new Row(tool, direction, set, s.progress().bytesVerified(), s.progress().objectsVerified(), seconds));
        }
        return "bench/" + name;
    }

    /**
     * Runs a once job that completed again ({@code POST …/sync}) and times it to its next
     * Completed+Verified: a re-sync that lists the source and compares it with what was verified.
     */
    private void resync(FerryClient client, String jobKey, String tool, String set, long[] totals) throws Exception {
        rows.add(new Row(tool, "file->file", set, totals[0], totals[1], resyncSeconds(client, jobKey, totals[1])));
    }

    /** Seconds from asking a completed once job to run again to its next Completed with every object Verified. */
    static double resyncSeconds(FerryClient client, String jobKey, long objects) throws Exception {
        long before = client.status(jobKey).orElseThrow().progress().scanGeneration();
        long t0 = System.nanoTime();
        client.sync(jobKey);
        JobStatus s = client.awaitStatus(jobKey, st -> st.progress() != null && st.progress().scanGeneration() > before
                && st.phase() == JobPhase.Completed, Duration.ofHours(1));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!s.isTrue(ConditionType.Verified) || s.progress().objectsVerified() != objects) {
            throw new IllegalStateException("Ferry's re-sync of " + jobKey + " did not verify every object: " + s.message());
        }
        return seconds;
    }

    /**
     * Rewrites every hundredth file of the set (in the walk's order, which is the same for an
     * unchanged tree) with other bytes of the same size and a new time. Streams the walk: the
     * scale set has a million files.
     */
    static void changeOnePercent(Path root, long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        long[] seen = {0};
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(file -> {
                if (seen[0]++ % 100 == 0) {
                    try {
                        byte[] bytes = new byte[(int) Files.size(file)];
                        random.nextBytes(bytes);
                        Files.write(file, bytes);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        }
    }

    /** The parameters of an endpoint on the bench's S3 or OCI server; none for files. */
    private Map<String, Object> parameters(String uri) {
        if (uri.startsWith("s3:")) {
            return Map.of("endpoint", s3.endpoint(), "region", "us-east-1", "access_key_id_secret", SECRET,
                    "secret_access_key_secret", SECRET);
        }
        if (uri.startsWith("oci:")) {
            return Map.of("endpoint", oci.endpoint(), "region", "us-phoenix-1", "authentication", "user_principal",
                    "config_file", ociConfig.toString());
        }
        return Map.of();
    }

    private void peer(String tool, String direction, String set, long[] totals, ProcessBuilder command) throws Exception {
        Path log = dir.resolve("logs/" + command.command().get(0) + "-" + direction.replace("->", "-to-") + "-"
                + set.replace(' ', '_') + ".log");
        timed(tool + " " + direction, command, log, out)
                .ifPresent(seconds -> rows.add(new Row(tool, direction, set, totals[0], totals[1], seconds)));
    }

    /**
     * Runs a peer's whole command, its output to {@code log}, and times it; empty (said on {@code out})
     * when the tool is not installed or fails.
     */
    static java.util.OptionalDouble timed(String what, ProcessBuilder command, Path log, PrintStream out) throws Exception {
        Files.createDirectories(log.getParent());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            out.println(command.command().get(0) + " is not installed; skipping it (bench/run.sh installs it as root)");
            return java.util.OptionalDouble.empty();
        }
        if (p.waitFor() != 0) {
            out.println(what + " failed with exit " + p.exitValue() + "; see " + log);
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of((System.nanoTime() - t0) / 1e9);
    }

    private ProcessBuilder rclone(String from, String to) {
        var pb = new ProcessBuilder("rclone", "copy", "--transfers", "16", "--multi-thread-streams", "8",
                "--s3-upload-concurrency", "8", from, to);
        Map<String, String> env = pb.environment();
        // rclone refuses an http endpoint's transport when a CA bundle is set for the AWS SDK
        env.remove("AWS_CA_BUNDLE");
        env.put("RCLONE_CONFIG_BENCH_TYPE", "s3");
        env.put("RCLONE_CONFIG_BENCH_PROVIDER", "Other");
        env.put("RCLONE_CONFIG_BENCH_ENDPOINT", s3.endpoint());
        env.put("RCLONE_CONFIG_BENCH_REGION", "us-east-1");
        env.put("RCLONE_CONFIG_BENCH_ACCESS_KEY_ID", s3.accessKey());
        env.put("RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY", s3.secretKey());
        return pb;
    }

    private ProcessBuilder aws(String from, String to) {
        var pb = new ProcessBuilder("aws", "--endpoint-url", s3.endpoint(), "s3", "cp", "--recursive", "--only-show-errors",
                from, to);
        pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
                "AWS_DEFAULT_REGION", "us-east-1"));
        return pb;
    }

    private ProcessBuilder s3cmd(String from, String to) {
        String host = s3.endpoint().substring("http://".length());
        return new ProcessBuilder("s3cmd", "--config=/dev/null", "--no-ssl", "--host=" + host, "--host-bucket=" + host,
                "--region=us-east-1", "--access_key=" + s3.accessKey(), "--secret_key=" + s3.secretKey(), "--quiet",
                "sync", from, to);
    }

    /** Bytes and files under {@code root}, streamed. */
    static long[] totals(Path root) throws IOException {
        long[] t = new long[2];
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                try {
                    t[0] += Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                t[1]++;
            });
        }
        return t;
    }
}
