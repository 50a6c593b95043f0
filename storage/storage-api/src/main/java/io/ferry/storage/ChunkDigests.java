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
        int chunkCount = (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
        List<Checksum> chunks = new ArrayList<>(chunkCount);
        byte[] buf = new byte[(int) Math.max(1, Math.min(bufferSize, Math.min(chunkSize, Math.max(size, 1))))];
        for (int i = 0; i < chunkCount; i++) {
            long offset = i * chunkSize;
            long length = Math.min(chunkSize, size - offset);
            MessageDigest md = Checksum.newSha256();
            try (InputStream in = pace.apply(store.open(object.key(), object.version(), offset, length))) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            chunks.add(Checksum.sha256(md.digest()));
        }
        return chunks;
    }
}
