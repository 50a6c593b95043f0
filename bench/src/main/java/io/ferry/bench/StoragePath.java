package io.ferry.bench;

import io.ferry.checksum.Checksum;
import io.ferry.storage.ChunkDigests;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.Written;
import io.ferry.storage.file.FileObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The storage half of a transfer worker's copy of small files, file store to file store, timed in
 * one process ({@code bench/storage-path.sh}): per file what {@code TaskExecutor} does for an
 * object of a batch (open the source pinned to its version, hash it while the destination writes
 * it, read the copy back and compare), on a pool as wide as a worker's. No Kafka, no services: a
 * change to this path shows here in CPU per file, where the scale run's noise hides it. Prints
 * wall time and this process's user and system CPU for the timed files.
 */
@Command(name = "storage-path", mixinStandardHelpOptions = true,
        description = "Times a worker's storage path over small files, file store to file store.")
public final class StoragePath implements Callable<Integer> {
    @Option(names = "--source", required = true, description = "a directory of files (e.g. a scale run's data/source)")
    Path source;

    @Option(names = "--destination", required = true, description = "a directory that does not exist yet; removed at the end")
    Path destination;

    @Option(names = "--warm", defaultValue = "10000", description = "files copied first, untimed, for the JIT (default: ${DEFAULT-VALUE})")
    int warm;

    @Option(names = "--files", defaultValue = "30000", description = "files timed (default: ${DEFAULT-VALUE})")
    int files;

    @Option(names = "--threads", defaultValue = "8", description = "copies at once, a worker's tasks (default: ${DEFAULT-VALUE})")
    int threads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StoragePath()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (Files.exists(destination)) {
            throw new IllegalArgumentException("--destination exists: " + destination);
        }
        var from = new FileObjectStore(source.toAbsolutePath());
        var to = new FileObjectStore(destination.toAbsolutePath());
        List<ObjectInfo> objects;
        try (var listing = from.list("")) {
            objects = listing.sorted(Comparator.comparing(ObjectInfo::key)).limit((long) warm + files).toList();
        }
        if (objects.size() < warm + files) {
            throw new IllegalArgumentException(source + " has " + objects.size() + " files, not --warm + --files");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            copyAll(pool, from, to, objects.subList(0, warm));
            CpuTime.OfThisProcess before = CpuTime.ofThisProcess();
            long started = System.nanoTime();
            int reopened = copyAll(pool, from, to, objects.subList(warm, warm + files));
            long wall = System.nanoTime() - started;
            CpuTime.OfThisProcess after = CpuTime.ofThisProcess();
            double user = (after.user().toNanos() - before.user().toNanos()) / 1e9;
            double system = (after.system().toNanos() - before.system().toNanos()) / 1e9;
            System.out.printf(Locale.ROOT, "%d files, %d threads: %.2f s wall, CPU user %.2f s + system %.2f s = %.1f us per file;"
                    + " %d read back by reopening the key%n", files, threads, wall / 1e9, user, system,
                    (user + system) * 1e6 / files, reopened);
        } finally {
            pool.shutdownNow();
            try (var created = Files.walk(destination)) {
                created.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** Copies each object; the number read back by reopening the key rather than by the store itself. */
    private static int copyAll(ExecutorService pool, FileObjectStore from, FileObjectStore to, List<ObjectInfo> objects)
            throws Exception {
        List<Future<Boolean>> copies = new ArrayList<>(objects.size());
        for (ObjectInfo o : objects) {
            copies.add(pool.submit(() -> copy(from, to, o)));
        }
        int reopened = 0;
        for (Future<Boolean> copy : copies) {
            reopened += copy.get() ? 1 : 0;
        }
        return reopened;
    }

    private static boolean copy(FileObjectStore from, FileObjectStore to, ObjectInfo o) throws IOException {
        MessageDigest md = Checksum.newSha256();
        Written written;
        try (ObjectStream in = from.open(o.key(), o.version(), 0, o.size());
                var digesting = new DigestInputStream(in, md)) {
            written = to.put(o.key(), digesting, o.size(), in.attributes());
        }
        Checksum sent = Checksum.sha256(md.digest());
        Checksum stored = written.readBack() != null ? written.readBack()
                : ChunkDigests.of(to, written.object(), Math.max(o.size(), 1), 256 * 1024, in -> in).get(0);
        if (!stored.equals(sent)) {
            throw new IOException("read back other bytes than were sent: " + o.key());
        }
        return written.readBack() == null;
    }
}
