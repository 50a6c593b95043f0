package io.ferry.verifier;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deletes the RocksDB directories of stores an earlier verifier kept and this one does not. Kafka
 * Streams removes a whole task directory it no longer runs, but not a store left inside a task
 * directory it still runs: after a topology change renumbers its sub-topologies, a task's
 * directory can hold a retired store of another sub-topology forever.
 */
final class RetiredStores {
    /** {@code object-status}: the table of ferry.object-status.v1 read back for the object pages, until they read the tracker's progress. */
    static final Set<String> NAMES = Set.of("object-status");

    private RetiredStores() {
    }

    /**
     * Deletes {@code <stateDir>/<applicationId>/<task>/rocksdb/<retired store>}; returns what it deleted.
     * Symbolic links are never followed: nothing outside the state directory is touched.
     */
    static List<Path> delete(Path stateDir, String applicationId) throws IOException {
        Path app = stateDir.resolve(applicationId);
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(app, LinkOption.NOFOLLOW_LINKS)) {
            return deleted;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(app, t -> Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS))) {
            for (Path task : tasks) {
                for (String name : NAMES) {
                    Path store = task.resolve("rocksdb").resolve(name);
                    if (Files.isDirectory(store, LinkOption.NOFOLLOW_LINKS)) {
                        deleteTree(store);
                        deleted.add(store);
                    }
                }
            }
        }
        return deleted;
    }

    private static void deleteTree(Path root) throws IOException {
        // walk does not follow links by default: a link inside is deleted, not its target
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
