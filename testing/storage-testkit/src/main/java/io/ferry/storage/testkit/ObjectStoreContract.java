package io.ferry.storage.testkit;

import static io.ferry.testing.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.checksum.Checksum;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsIntegrityStamp;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.TreeHashStamp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ObjectStore} backend must have. A backend's test extends this class
 * and supplies a fresh, empty store per test.
 */
public abstract class ObjectStoreContract {
    protected ObjectStore store;

    /** A new empty store; called before each test. */
    protected abstract ObjectStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }


    protected ObjectInfo put(String key, byte[] data) throws IOException {
        return store.put(key, new ByteArrayInputStream(data), data.length);
    }

    protected byte[] read(String key) throws IOException {
        ObjectInfo info = store.stat(key).orElseThrow();
        try (InputStream in = store.open(key, info.version(), 0, info.size())) {
            return in.readAllBytes();
        }
    }

    @Test
    void shouldReadBackWhatWasPut() throws IOException {
        byte[] data = bytes(300_000, 1);
        ObjectInfo info = put("a/b/c.bin", data);
        assertThat(info.key()).isEqualTo("a/b/c.bin");
        assertThat(info.size()).isEqualTo(data.length);
        // S3 sends no Last-Modified with a PUT: the writer's clock may differ from the server's.
        ObjectInfo stat = store.stat("a/b/c.bin").orElseThrow();
        assertThat(stat.key()).isEqualTo(info.key());
        assertThat(stat.size()).isEqualTo(info.size());
        assertThat(stat.version()).isEqualTo(info.version());
        assertThat(read("a/b/c.bin")).isEqualTo(data);
    }

    @Test
    void shouldStoreEmptyObjects() throws IOException {
        put("empty", new byte[0]);
        assertThat(store.stat("empty").orElseThrow().size()).isZero();
        assertThat(read("empty")).isEmpty();
    }

    @Test
    void shouldReturnEmptyStatForMissingObject() throws IOException {
        assertThat(store.stat("nope/missing")).isEmpty();
    }

    @Test
    void shouldFailToOpenMissingObjectWithNotFound() {
        assertThatThrownBy(() -> store.open("missing", "v", 0, 1)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void shouldReadAByteRange() throws IOException {
        byte[] data = bytes(10_000, 2);
        ObjectInfo info = put("r", data);
        try (InputStream in = store.open("r", info.version(), 1234, 5000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1234, 6234));
        }
    }

    @Test
    void shouldRefuseToOpenAnOtherVersion() throws IOException {
        ObjectInfo v1 = put("x", bytes(100, 3));
        put("x", bytes(101, 4));
        assertThat(store.stat("x").orElseThrow().version()).isNotEqualTo(v1.version());
        assertThatThrownBy(() -> store.open("x", v1.version(), 0, 10)).isInstanceOf(SourceChangedException.class);
    }

    @Test
    void shouldNeverServeAMixOfVersionsWhenTheSourceChangesMidRead() throws IOException {
        byte[] first = bytes(50_000, 5);
        ObjectInfo v1 = put("moving", first);
        byte[] head;
        byte[] rest;
        try (InputStream in = store.open("moving", v1.version(), 0, v1.size())) {
            head = in.readNBytes(1000);
            put("moving", bytes(50_000, 6));
            try {
                rest = in.readAllBytes();
            } catch (IOException e) {
                assertThat(causes(e)).anyMatch(SourceChangedException.class::isInstance);
                return;
            }
        }
        // A store may keep serving the version the read was pinned to, but then all of it.
        var whole = new java.io.ByteArrayOutputStream();
        whole.writeBytes(head);
        whole.writeBytes(rest);
        assertThat(whole.toByteArray()).isEqualTo(first);
    }

    @Test
    void shouldKeepTheModificationTimeItWasGivenAndReadItBack() throws IOException {
        var modified = java.time.Instant.parse("2024-03-01T12:34:56.789Z");
        ObjectInfo info = store.put("dated", new ByteArrayInputStream(bytes(10, 12)), 10,
                new ObjectAttributes("application/x-test", java.util.Map.of("origin", "contract"), modified)).object();
        try (ObjectStream in = store.open("dated", info.version(), 0, 10)) {
            assertThat(in.attributes().modified()).isEqualTo(modified);
            assertAttributesKept(in.attributes());
        }
    }

    /** Stores that keep content type and user metadata override this to check them. */
    protected void assertAttributesKept(ObjectAttributes read) {
    }

    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, t -> t != null, Throwable::getCause);
    }

    @Test
    void shouldReplaceAnExistingObjectOnPut() throws IOException {
        put("k", bytes(10, 7));
        byte[] second = bytes(20, 8);
        put("k", second);
        assertThat(read("k")).isEqualTo(second);
    }

    @Test
    void shouldWriteNothingWhenTheInputFails() throws IOException {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) {
                    throw new IOException("source broke");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> store.put("broken", failing, 1000)).isInstanceOf(IOException.class);
        assertThat(store.stat("broken")).isEmpty();
        try (Stream<ObjectInfo> all = store.list("")) {
            assertThat(all).isEmpty();
        }
    }

    @Test
    void shouldListEverythingUnderAPrefixAndNothingElse() throws IOException {
        put("models/a/1", bytes(1, 9));
        put("models/a/2", bytes(2, 9));
        put("models/b/3", bytes(3, 9));
        put("other/4", bytes(4, 9));
        try (Stream<ObjectInfo> all = store.list("")) {
            assertThat(all.map(ObjectInfo::key).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("models/a/1", "models/a/2", "models/b/3", "other/4");
        }
        try (Stream<ObjectInfo> some = store.list("models/a/")) {
            assertThat(some.map(ObjectInfo::key).collect(Collectors.toSet())).containsExactlyInAnyOrder("models/a/1", "models/a/2");
        }
    }

    @Test
    void shouldListLazily() throws IOException {
        for (int i = 0; i < 50; i++) {
            put("many/" + i, bytes(1, i));
        }
        try (Stream<ObjectInfo> all = store.list("")) {
            assertThat(all.limit(3).count()).isEqualTo(3);
        }
    }

    @Test
    void shouldDeleteAndTolerateDeletingTheAbsent() throws IOException {
        put("d", bytes(5, 10));
        store.delete("d");
        assertThat(store.stat("d")).isEmpty();
        store.delete("d");
    }

    @Test
    void shouldRejectKeysThatEscapeTheRoot() {
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a/./b", "a//b", "nul\0byte", ""}) {
            assertThatThrownBy(() -> put(bad, bytes(1, 1))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldKeepAMultipartUploadInvisibleUntilComplete() throws IOException {
        SupportsMultipartUpload mp = multipart();
        int partSize = (int) Math.max(70_000, mp.minPartSize());
        byte[] data = bytes(3 * partSize + 123, 11);
        String id = mp.startUpload("big/object.bin");
        // parts arrive out of order and one twice, as from several workers with a redelivery
        for (int part : new int[] {2, 0, 3, 1, 2}) {
            long off = (long) part * partSize;
            int len = (int) Math.min(partSize, data.length - off);
            mp.writePart("big/object.bin", id, part, off, new ByteArrayInputStream(data, (int) off, len), len);
        }
        assertThat(store.stat("big/object.bin")).isEmpty();
        try (Stream<ObjectInfo> all = store.list("")) {
            assertThat(all).isEmpty();
        }
        ObjectInfo done = mp.completeUpload("big/object.bin", id, 4, data.length).object();
        assertThat(read("big/object.bin")).isEqualTo(data);
        // the version the completion reports is the one to read back at
        try (InputStream in = store.open("big/object.bin", done.version(), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void shouldLeaveNothingAfterAbortAndRefuseLateParts() throws IOException {
        SupportsMultipartUpload mp = multipart();
        String id = mp.startUpload("aborted");
        mp.writePart("aborted", id, 0, 0, new ByteArrayInputStream(bytes(10, 1)), 10);
        mp.abortUpload("aborted", id);
        mp.abortUpload("aborted", id);
        assertThat(store.stat("aborted")).isEmpty();
        try (Stream<ObjectInfo> all = store.list("")) {
            assertThat(all).isEmpty();
        }
        if (refusesPartsOfAbortedUploads()) {
            assertThatThrownBy(() -> mp.writePart("aborted", id, 1, 10, new ByteArrayInputStream(bytes(10, 1)), 10))
                    .isInstanceOf(ObjectNotFoundException.class);
        } else {
            try {
                mp.writePart("aborted", id, 1, 10, new ByteArrayInputStream(bytes(10, 1)), 10);
            } catch (ObjectNotFoundException refused) {
                // refusing is better still
            }
        }
        assertThat(store.stat("aborted")).isEmpty();
        try (Stream<ObjectInfo> all = store.list("")) {
            assertThat(all).isEmpty();
        }
    }

    /**
     * Whether the server behind the store refuses a part for an aborted upload. Every production
     * store does; a test server that does not must still never make such a part visible.
     */
    protected boolean refusesPartsOfAbortedUploads() {
        return true;
    }

    @Test
    void shouldRefuseToCompleteAnUploadOfTheWrongSize() throws IOException {
        SupportsMultipartUpload mp = multipart();
        String id = mp.startUpload("short");
        mp.writePart("short", id, 0, 0, new ByteArrayInputStream(bytes(10, 1)), 10);
        assertThatThrownBy(() -> mp.completeUpload("short", id, 1, 20)).isInstanceOf(IOException.class);
        assertThat(store.stat("short")).isEmpty();
    }

    @Test
    void shouldStampATreeHashAndRefuseACarriedStampThatDisagrees() throws IOException {
        assumeTrue(store instanceof SupportsIntegrityStamp, "this store keeps no integrity stamp");
        var stamping = (SupportsIntegrityStamp) store;
        byte[] data = bytes(1000, 13);
        ObjectInfo info = store.put("stamped", new ByteArrayInputStream(data), data.length,
                new ObjectAttributes("application/x-test", java.util.Map.of("origin", "contract"), null)).object();
        var stamp = new TreeHashStamp(1000, Checksum.treeHash(java.util.List.of(Checksum.sha256(Checksum.newSha256().digest(data)))));
        ObjectInfo after = stamping.stamp("stamped", info.version(), stamp);
        try (ObjectStream in = store.open("stamped", after.version(), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.attributes().userMetadata()).containsEntry(SupportsIntegrityStamp.METADATA_KEY, stamp.toString());
            assertAttributesKept(in.attributes());
        }
        // stamping again with the same value changes nothing; a different one at the same chunk size is refused
        assertThat(stamping.stamp("stamped", after.version(), stamp).version()).isEqualTo(after.version());
        var other = new TreeHashStamp(1000, Checksum.treeHash(java.util.List.of(Checksum.sha256(Checksum.newSha256().digest(new byte[1])))));
        assertThatThrownBy(() -> stamping.stamp("stamped", after.version(), other)).isInstanceOf(StorageException.class)
                .hasMessageContaining("not what its origin vouched for");
    }

    private SupportsMultipartUpload multipart() {
        assertThat(store).isInstanceOf(SupportsMultipartUpload.class);
        assertThat(((SupportsMultipartUpload) store).maxParts()).isPositive();
        return (SupportsMultipartUpload) store;
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
