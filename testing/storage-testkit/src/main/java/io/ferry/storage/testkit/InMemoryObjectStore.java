package io.ferry.storage.testkit;

import io.ferry.checksum.Checksum;
import io.ferry.storage.BulkFilterInputStream;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectKeys;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.Written;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An object store held in this instance's memory, for unit tests of logic that needs a store.
 * Nothing is shared between instances. Versions are a per-store counter. Attributes are kept whole,
 * so tests can check what a copy carried.
 */
public final class InMemoryObjectStore implements ObjectStore, SupportsMultipartUpload {
    private record Stored(byte[] data, String version, Instant modified, ObjectAttributes attributes) {
    }

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListMap<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    private final Map<String, ObjectAttributes> uploadAttributes = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        return objects.tailMap(prefix).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> info(e.getKey(), e.getValue()));
    }

    private static ObjectInfo info(String key, Stored s) {
        return new ObjectInfo(key, s.data.length, s.version, s.modified);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Stored s = objects.get(ObjectKeys.requireSafe(key));
        return s == null ? Optional.empty() : Optional.of(info(key, s));
    }

    /** The attributes the object was written with. */
    public Optional<ObjectAttributes> attributes(String key) {
        return Optional.ofNullable(objects.get(key)).map(Stored::attributes);
    }

    @Override
    public ObjectStream open(String key, String version, long offset, long length) throws StorageException {
        Stored s = objects.get(ObjectKeys.requireSafe(key));
        if (s == null) {
            throw new ObjectNotFoundException(key);
        }
        if (!s.version.equals(version)) {
            throw new SourceChangedException(key, version, s.version);
        }
        if (offset + length > s.data.length) {
            throw new StorageException("range past the end of " + key, false);
        }
        byte[] range = Arrays.copyOfRange(s.data, (int) offset, (int) (offset + length));
        return new ObjectStream(new PinnedStream(new ByteArrayInputStream(range), () -> {
            Stored now = objects.get(key);
            String v = now == null ? "(deleted)" : now.version;
            if (!v.equals(version)) {
                throw new SourceChangedException(key, version, v);
            }
        }), s.attributes.withModified(s.modified));
    }

    /** Checks the version once the last byte has been handed out, like a real pinned read. */
    private static final class PinnedStream extends BulkFilterInputStream {
        interface Check {
            void run() throws SourceChangedException;
        }

        private final Check check;
        private boolean checked;

        PinnedStream(ByteArrayInputStream in, Check check) {
            super(in);
            this.check = check;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if ((n < 0 || in.available() == 0) && !checked) {
                checked = true;
                check.run();
            }
            return n;
        }
    }

    @Override
    public Written put(String key, InputStream data, long size, ObjectAttributes attributes) throws IOException {
        ObjectKeys.requireSafe(key);
        byte[] bytes = data.readAllBytes();
        if (bytes.length != size) {
            throw new StorageException("expected " + size + " bytes for " + key + ", got " + bytes.length, false);
        }
        Stored s = stored(bytes, attributes);
        objects.put(key, s);
        return Written.unconfirmed(info(key, s));
    }

    private Stored stored(byte[] bytes, ObjectAttributes attributes) {
        Instant modified = attributes.modified() != null ? attributes.modified() : Instant.now();
        return new Stored(bytes, "v" + versions.incrementAndGet(), modified, attributes);
    }

    @Override
    public void delete(String key) {
        objects.remove(ObjectKeys.requireSafe(key));
    }


    @Override
    public int maxParts() {
        return 10_000;
    }

    @Override
    public String startUpload(String key, ObjectAttributes attributes) {
        ObjectKeys.requireSafe(key);
        String id = UUID.randomUUID().toString();
        uploads.put(key + "\0" + id, new ConcurrentSkipListMap<>());
        uploadAttributes.put(key + "\0" + id, attributes);
        return id;
    }

    @Override
    public void writePart(String key, String uploadId, int partNumber, long offset, InputStream data, long length)
            throws IOException {
        var parts = uploads.get(key + "\0" + uploadId);
        if (parts == null) {
            throw new ObjectNotFoundException(key + " (upload " + uploadId + ")");
        }
        byte[] bytes = data.readAllBytes();
        if (bytes.length != length) {
            throw new StorageException("part " + partNumber + ": expected " + length + " bytes, got " + bytes.length, false);
        }
        parts.put(partNumber, bytes);
    }

    @Override
    public Written completeUpload(String key, String uploadId, int partCount, long size) throws StorageException {
        return completeUpload(key, uploadId, partCount, size, List.of());
    }

    /** Like S3Proxy: keeps the SHA-256 of each part, lists none, and confirms those it is told if they are its own. */
    @Override
    public Written completeUpload(String key, String uploadId, int partCount, long size, List<Checksum> sent)
            throws StorageException {
        var parts = uploads.get(key + "\0" + uploadId);
        if (parts == null) {
            throw new ObjectNotFoundException(key + " (upload " + uploadId + ")");
        }
        if (parts.size() != partCount || !parts.keySet().equals(new java.util.TreeSet<>(java.util.stream.IntStream
                .range(0, partCount).boxed().toList()))) {
            throw new StorageException("upload of " + key + " has parts " + parts.keySet() + ", expected " + partCount, false);
        }
        var out = new java.io.ByteArrayOutputStream();
        parts.values().forEach(out::writeBytes);
        if (out.size() != size) {
            throw new StorageException("upload of " + key + " has " + out.size() + " bytes, expected " + size, false);
        }
        List<Checksum> kept = parts.values().stream().map(b -> Checksum.sha256(Checksum.newSha256().digest(b))).toList();
        uploads.remove(key + "\0" + uploadId);
        Stored s = stored(out.toByteArray(), uploadAttributes.remove(key + "\0" + uploadId));
        objects.put(key, s);
        return new Written(info(key, s), kept.equals(sent) ? sent : List.of(), false);
    }

    @Override
    public void abortUpload(String key, String uploadId) {
        uploads.remove(key + "\0" + uploadId);
        uploadAttributes.remove(key + "\0" + uploadId);
    }
}
