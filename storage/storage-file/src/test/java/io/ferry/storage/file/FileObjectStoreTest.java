package io.ferry.storage.file;

import static io.ferry.testing.TestData.bytes;
import static io.ferry.testing.TestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.Written;
import io.ferry.storage.testkit.ObjectStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new FileObjectStore(dir.resolve("root"));
    }

    @Test
    void shouldHideInProgressUploadsAsDotFilesBesideTheTarget() throws IOException {
        var fs = (FileObjectStore) store;
        String id = fs.startUpload("m/shard.bin");
        fs.writePart("m/shard.bin", id, 0, 0, new ByteArrayInputStream(bytes(10, 1)), 10);
        try (Stream<Path> files = Files.list(dir.resolve("root/m"))) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith(".ferry-upload-"));
        }
    }

    @Test
    void shouldReadBackWhatItWroteThroughTheFileItRenamedUnderTheKey() throws IOException {
        byte[] data = bytes(700_000, 3);
        Written written = store.put("d/model.bin", new ByteArrayInputStream(data), data.length, ObjectAttributes.NONE);
        assertThat(written.readBack()).isEqualTo(sha256(Files.readAllBytes(dir.resolve("root/d/model.bin"))))
                .isEqualTo(sha256(data));
        assertThat(written.object().version()).isEqualTo(store.stat("d/model.bin").orElseThrow().version());
        assertThat(store.put("d/empty", new ByteArrayInputStream(new byte[0]), 0, ObjectAttributes.NONE).readBack())
                .isEqualTo(sha256(new byte[0]));
    }

    @Test
    void shouldSyncTheDirectoriesNamingWhatItWroteAndSayWhichOneItCouldNot() throws IOException {
        var fs = (FileObjectStore) store;
        put("a/b/one.bin", bytes(10, 1));
        put("a/two.bin", bytes(10, 2));
        put("top.bin", bytes(10, 3));
        fs.syncNames(List.of("a/b/one.bin", "a/two.bin", "top.bin"));
        Files.delete(dir.resolve("root/a/b/one.bin"));
        Files.delete(dir.resolve("root/a/b"));
        assertThatThrownBy(() -> fs.syncNames(List.of("a/two.bin", "a/b/one.bin"))).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot sync directory a/b of the store")
                .matches(e -> ((StorageException) e).retryable(), "retryable");
        assertThatThrownBy(() -> fs.syncNames(List.of("../outside.bin"))).isInstanceOf(IllegalArgumentException.class);
        // what the JDK says for fsync's errno: a file system that syncs no directory is no failure, an I/O error is
        assertThat(FileObjectStore.cannotSyncDirectories(new IOException("Invalid argument"))).isTrue();
        assertThat(FileObjectStore.cannotSyncDirectories(new IOException("Bad file descriptor"))).isTrue();
        assertThat(FileObjectStore.cannotSyncDirectories(new IOException("Input/output error"))).isFalse();
        assertThat(FileObjectStore.cannotSyncDirectories(new IOException((String) null))).isFalse();
    }

    @Test
    void shouldNeverWriteOutsideTheRootThroughASymlinkInside() throws IOException {
        Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("root/link"), dir.resolve("outside"));
        var fs = (FileObjectStore) store;
        assertThatThrownBy(() -> put("link/escaped.txt", bytes(1, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the store root");
        assertThatThrownBy(() -> fs.startUpload("link/deeper/big.bin")).isInstanceOf(IllegalArgumentException.class);
        // a link to a directory not made yet: creating the key's directories must not make it outside
        Files.createSymbolicLink(dir.resolve("root/dangling"), dir.resolve("outside/later"));
        assertThatThrownBy(() -> put("dangling/escaped.txt", bytes(1, 1))).isInstanceOf(IOException.class);
        try (Stream<Path> outside = Files.list(dir.resolve("outside"))) {
            assertThat(outside).as("nothing created outside, not even a directory").isEmpty();
        }
        // listing does not follow the link either
        try (Stream<?> all = store.list("")) {
            assertThat(all).isEmpty();
        }
    }

    @Test
    void shouldNotReadThroughASymlinkThatLeadsOutOfTheRoot() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("a"));
        Files.write(root.resolve("a/in.bin"), bytes(4, 1));
        Files.createDirectories(dir.resolve("secrets"));
        Files.write(dir.resolve("secrets/key.pem"), bytes(8, 2));
        Files.createSymbolicLink(root.resolve("link"), dir.resolve("secrets"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("a"));

        // a trigger may name any key: one through a link out of the root is not there to read
        assertThat(store.stat("link/key.pem")).isEmpty();
        assertThatThrownBy(() -> store.open("link/key.pem", "any", 0, 8)).isInstanceOf(ObjectNotFoundException.class);
        // a link that stays inside the root leads to the store's own files
        assertThat(store.stat("alias/in.bin")).isPresent();
        assertThat(store.stat("a/in.bin")).isPresent();
    }

    @Test
    void shouldWriteAndListBelowARootThatIsItselfASymlink() throws IOException {
        Files.createDirectories(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("linked-root"), dir.resolve("real"));
        var linked = new FileObjectStore(dir.resolve("linked-root"));
        linked.put("a/b.txt", new ByteArrayInputStream(bytes(3, 1)), 3);
        assertThat(Files.size(dir.resolve("real/a/b.txt"))).isEqualTo(3);
        // and lists what is below it (a listing that did not follow the root itself saw nothing)
        try (Stream<ObjectInfo> all = linked.list("")) {
            assertThat(all.map(ObjectInfo::key)).containsExactly("a/b.txt");
        }
    }

    @Test
    void shouldListEachRegularFileOnceInTheOrderOfAWalkWithoutFollowingLinks() throws IOException {
        Path root = dir.resolve("root");
        writeFiles(root, "top.bin", "a/1.bin", "a/b/2.bin", "a/b/c/3.bin", ".hidden", "z/4.bin", "z/.ferry-upload-x.1");
        Files.createDirectories(root.resolve("empty/deeper"));
        Files.createSymbolicLink(root.resolve("link-to-dir"), root.resolve("a"));
        Files.createSymbolicLink(root.resolve("link-to-file"), root.resolve("top.bin"));
        List<String> walked;
        try (Stream<Path> walk = Files.walk(root)) {
            walked = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().startsWith(".ferry-upload-"))
                    .map(p -> root.relativize(p).toString()).toList();
        }

        try (Stream<ObjectInfo> all = store.list("")) {
            assertThat(all.map(ObjectInfo::key)).containsExactlyElementsOf(walked)
                    .containsExactlyInAnyOrder("top.bin", "a/1.bin", "a/b/2.bin", "a/b/c/3.bin", ".hidden", "z/4.bin");
        }
        try (Stream<ObjectInfo> a = store.list("a/b/")) {
            assertThat(a.map(ObjectInfo::key)).containsExactlyInAnyOrder("a/b/2.bin", "a/b/c/3.bin");
        }
    }

    @Test
    void shouldListAPrefixFromItsDirectoryWithTheKeysTheWholeWalkWouldGive() throws IOException {
        Path root = dir.resolve("root");
        writeFiles(root, "top.bin", "a/1.bin", "a/b/2.bin", "a/b/c/3.bin", "a/bc/4.bin", "a/c/5.bin", "ab/6.bin");
        Files.createDirectories(dir.resolve("outside/b"));
        Files.write(dir.resolve("outside/b/secret.bin"), bytes(4, 2));
        Files.createSymbolicLink(root.resolve("link"), dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("a/alias"), root.resolve("a/b"));

        for (String prefix : List.of("", "a", "a/", "a/b", "a/b/", "a/b/c/3", "ab", "a/c/", "top", "missing/", "a/missing/x",
                "top.bin/", "link/", "link/b/", "a/alias/", "a//b", "./a/", "a/../a/b/", "/a/", "a/b\u0000/")) {
            List<String> whole;
            try (Stream<ObjectInfo> all = store.list("")) {
                whole = all.map(ObjectInfo::key).filter(k -> k.startsWith(prefix)).sorted().toList();
            }
            try (Stream<ObjectInfo> listed = store.list(prefix)) {
                assertThat(listed.map(ObjectInfo::key).sorted()).as("prefix '%s'", prefix).containsExactlyElementsOf(whole);
            }
        }
        try (Stream<ObjectInfo> listed = store.list("a/b")) {
            assertThat(listed.map(ObjectInfo::key)).containsExactlyInAnyOrder("a/b/2.bin", "a/b/c/3.bin", "a/bc/4.bin");
        }
    }

    @Test
    void shouldSkipADirectoryRemovedWhileTheListingIsUnderWay() throws IOException {
        Path root = dir.resolve("root");
        writeFiles(root, "one/1.bin", "two/2.bin");
        try (Stream<ObjectInfo> all = store.list("")) {
            var it = all.iterator();
            String first = it.next().key();
            String otherFile = first.equals("one/1.bin") ? "two/2.bin" : "one/1.bin";
            Files.delete(root.resolve(otherFile));
            Files.delete(root.resolve(otherFile).getParent());
            assertThat(it.hasNext()).as("the removed directory is not there to list").isFalse();
        }
    }

    /** Four bytes at each key under {@code root}, directories made. */
    static void writeFiles(Path root, String... keys) throws IOException {
        for (String key : keys) {
            Files.createDirectories(root.resolve(key).getParent());
            Files.write(root.resolve(key), bytes(4, 1));
        }
    }

    @Test
    void shouldResolvePvcAndNfsToMountPaths() {
        assertThat(root(StorageUri.parse("pvc://claim/sub/dir/"),
                Map.of("mount_path", "/mnt/training"), Map.of())).isEqualTo(Path.of("/mnt/training/sub/dir"));
        assertThat(root(StorageUri.parse("nfs://filer/export/models/"),
                Map.of(), Map.of("nfs-mount-root", "/mnt/nfs"))).isEqualTo(Path.of("/mnt/nfs/filer/export/models"));
        assertThat(root(StorageUri.parse("file:///data/x/"), Map.of(), Map.of()))
                .isEqualTo(Path.of("/data/x"));
        assertThatThrownBy(() -> root(StorageUri.parse("pvc://claim/x/"), Map.of(), Map.of()))
                .hasMessageContaining("mount_path");
    }

    private static Path root(StorageUri uri, Map<String, Object> parameters, Map<String, String> settings) {
        var options = (FileStoreProvider.FileOptions) new FileStoreProvider().options(uri, parameters);
        return FileStoreProvider.root(options, settings);
    }

    @Test
    void shouldFailFastOnAnUnknownScheme() {
        ObjectStores stores = ObjectStores.installed(Map.of());
        assertThat(stores.supports("file")).isTrue();
        assertThatThrownBy(() -> stores.uri("gopher://x/y/")).hasMessageContaining("no storage backend for scheme 'gopher'");
    }
}
