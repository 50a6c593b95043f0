package io.ferry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A stream that feeds every byte read through a digest (or none) and lets a subclass say what a
 * failure of the wrapped stream becomes: the one place where bytes passing through are hashed.
 */
public abstract class DigestingInputStream extends BulkFilterInputStream {
    private final MessageDigest digest;

    /** @param digest what every byte read goes through, or null for none */
    protected DigestingInputStream(InputStream in, MessageDigest digest) {
        super(in);
        this.digest = digest;
    }

    /** What a failure of the wrapped stream is thrown as. */
    protected abstract IOException failed(IOException e);

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
        if (n > 0 && digest != null) {
            digest.update(b, off, n);
        }
        return n;
    }
}
