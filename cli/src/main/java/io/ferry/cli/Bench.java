package io.ferry.cli;

import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ferry bench}: syncs a large-file set and a small-file set file→file through local mode
 * and times each from submit to Completed+Verified (broker and service start-up excluded), then
 * times {@code rclone copy} of the same data in the same run.
 */
final class Bench {
    private record Row(String tool, String set, long bytes, long files, double seconds) {
        String format() {
            return String.format(Locale.ROOT, "| %-28s | %-22s | %9s | %7d | %8.1f | %8.1f | %9.0f |", tool, set,
                    Sizes.format(bytes), files, seconds, bytes / seconds / (1 << 20), files / seconds);
        }
    }

    private Bench() {
    }

    static int run(Path home, Path dir, int largeFiles, long largeSize, int smallFiles, int transfers, PrintStream out)
            throws Exception {
        Path large = dir.resolve("data/large");
        Path small = dir.resolve("data/small");
        if (!Files.exists(large)) {
            out.println("Generating " + largeFiles + " x " + Sizes.format(largeSize) + " in " + large);
            SampleData.generate(large, 0, largeFiles, largeSize, 1);
        }
        if (!Files.exists(small)) {
            out.println("Generating " + smallFiles + " small files (1-64 KiB) in " + small);
            SampleData.generate(small, smallFiles, 0, 0, 2);
        }
        List<Row> rows = new ArrayList<>();
        String largeName = largeFiles + " x " + Sizes.format(largeSize);
        String smallName = smallFiles + " x 1-64KiB";
        out.println("Starting local mode with " + transfers + " transfer workers ...");
        try (LocalCluster cluster = LocalCluster.start(home, dir.resolve("ferry"), transfers, Map.of())) {
            var client = new FerryClient(cluster.scannerUrl(), cluster.verifierUrl());
            int n = 0;
            for (Path set : List.of(large, small)) {
                Path destination = dir.resolve("out/ferry-" + set.getFileName());
                delete(destination);
                String name = "bench-" + System.currentTimeMillis() + "-" + n++;
                long t0 = System.nanoTime();
                client.submit("""
                        apiVersion: ome.io/v1beta1
                        kind: ReplicationJob
                        metadata: {name: %s, namespace: bench}
                        spec:
                          source: {storageUri: "file://%s/"}
                          destination: {storageUri: "file://%s/"}
                        """.formatted(name, set, destination));
                JobStatus s = Ferry.follow(client, "bench/" + name, false, Duration.ofHours(2));
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (s.phase() != JobPhase.Completed || !s.isTrue(ConditionType.Verified)) {
                    out.println("Ferry did not complete " + set + ": " + s.message());
                    return 1;
                }
                rows.add(new Row("ferry (" + transfers + " workers, verified)", set == large ? largeName : smallName,
                        s.progress().bytesVerified(), s.progress().objectsVerified(), seconds));
            }
        }
        for (Path set : List.of(large, small)) {
            Path destination = dir.resolve("out/rclone-" + set.getFileName());
            delete(destination);
            long t0 = System.nanoTime();
            Process p;
            try {
                p = new ProcessBuilder("rclone", "copy", "--transfers", "8", "--multi-thread-streams", "4", set.toString(),
                        destination.toString()).inheritIO().start();
            } catch (IOException e) {
                out.println("rclone is not installed (apt-get install rclone); skipping it");
                break;
            }
            if (p.waitFor() != 0) {
                out.println("rclone failed with " + p.exitValue());
                return 1;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] totals = totals(set);
            rows.add(new Row("rclone copy --transfers 8", set == large ? largeName : smallName, totals[0], totals[1], seconds));
        }
        out.println();
        out.println("| tool                         | data set               |     bytes |   files |  seconds |     MB/s |   files/s |");
        out.println("|------------------------------|------------------------|-----------|---------|----------|----------|-----------|");
        rows.forEach(r -> out.println(r.format()));
        out.println();
        out.println("cores: " + Runtime.getRuntime().availableProcessors() + "; Ferry's time runs from submit to "
                + "Completed+Verified (scan, copy, read-back, Kafka round trips); start-up excluded.");
        return 0;
    }

    private static long[] totals(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            long[] t = new long[2];
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                t[0] += Files.size(p);
                t[1]++;
            }
            return t;
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
