package io.ferry.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that must be exactly {@code length} bytes: one that ends early fails instead of
 * passing a short read off as the end, a failure of the connection is a retryable
 * {@link StorageException}, and closing it early can abort the connection rather than drain what
 * is left of a large range.
 */
public final class ExactLengthStream extends BulkFilterInputStream {
    private final String key;
    private final Runnable abortEarly;
    private long remaining;

    /**
     * @param key the object read, for messages
     * @param abortEarly what to do when closed before the end (drop the connection), or null
     */
    public ExactLengthStream(InputStream in, long length, String key, Runnable abortEarly) {
        super(in);
        this.remaining = length;
        this.key = key;
        this.abortEarly = abortEarly;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n;
        try {
            n = super.read(b, off, (int) Math.min(len, remaining));
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException("connection failed " + remaining + " bytes short reading " + key + ": "
                    + e.getMessage(), true, e);
        }
        if (n < 0) {
            throw new StorageException("connection ended " + remaining + " bytes short reading " + key, true);
        }
        remaining -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (remaining > 0 && abortEarly != null) {
            abortEarly.run();
        }
        super.close();
    }
}
