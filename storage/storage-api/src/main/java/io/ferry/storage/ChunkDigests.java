package io.ferry.storage;

import io.ferry.checksum.Checksum;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The SHA-256 of each planned chunk of a stored object, read at one version: what a copy is
 * verified against (its tree hash is SHA-256 over these, in order). Used to read a copy back and
 * by the destination audit to re-hash one.
 */
public final class ChunkDigests {
    private ChunkDigests() {
    }

    /**
     * Reads {@code object} (at its version) range by range, {@code chunkSize} bytes each, the last
     * one shorter; streaming, one buffer of at most {@code bufferSize} bytes.
     *
     * @param pace wraps each range's stream, e.g. {@link TokenBucket#pace}; {@code in -> in} for none
     */
    public static List<Checksum> of(ObjectStore store, ObjectInfo object, long chunkSize, int bufferSize,
            UnaryOperator<InputStream> pace) throws IOException {
        long size = object.size();
        chunkSize = Math.max(chunkSize, 1);
        int chunkCount = count(size, chunkSize);
        List<Checksum> chunks = new ArrayList<>(chunkCount);
        byte[] buf = new byte[(int) Math.max(1, Math.min(bufferSize, Math.min(chunkSize, Math.max(size, 1))))];
        for (int i = 0; i < chunkCount; i++) {
            long offset = i * chunkSize;
            chunks.add(of(store, object, offset, Math.min(chunkSize, size - offset), buf, pace));
        }
        return chunks;
    }

    /** How many chunks of {@code chunkSize} bytes an object of {@code size} bytes has: at least one. */
    public static int count(long size, long chunkSize) {
        return (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
    }

    /** The SHA-256 of bytes {@code offset..offset+length} of {@code object} at its version, read through {@code buf}. */
    public static Checksum of(ObjectStore store, ObjectInfo object, long offset, long length, byte[] buf,
            UnaryOperator<InputStream> pace) throws IOException {
        MessageDigest md = Checksum.newSha256();
        try (InputStream in = pace.apply(store.open(object.key(), object.version(), offset, length))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return Checksum.sha256(md.digest());
    }
}
