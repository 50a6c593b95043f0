package io.ferry.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter whose subclasses override only {@link #read(byte[], int, int)}: the one-byte read and
 * {@link #skip} go through it, so whatever the bulk read does with the bytes (hash, count, pace)
 * sees every one of them. {@link FilterInputStream} alone would hand both straight to the wrapped
 * stream.
 */
public abstract class BulkFilterInputStream extends FilterInputStream {
    protected BulkFilterInputStream(InputStream in) {
        super(in);
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    /** Marks would let the wrapped stream replay bytes the bulk read already took account of. */
    @Override
    public final boolean markSupported() {
        return false;
    }
}
