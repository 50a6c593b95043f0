package io.ferry.transfer;

import io.ferry.storage.BulkFilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A source stream that hashes every byte handed to the writer (so the checksum is over exactly
 * the bytes read) and marks its failures as the source's.
 */
final class DigestingSource extends BulkFilterInputStream {
    private final MessageDigest digest;

    DigestingSource(InputStream in, MessageDigest digest) {
        super(in);
        this.digest = digest;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            throw new SourceReadException(e);
        }
        if (n > 0) {
            digest.update(b, off, n);
        }
        return n;
    }
}
