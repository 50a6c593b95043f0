package io.ferry.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A source stream that hashes every byte handed to the writer (so the checksum is over exactly
 * the bytes read) and marks its failures as the source's.
 */
final class DigestingSource extends FilterInputStream {
    private final MessageDigest digest;
    private long count;

    DigestingSource(InputStream in, MessageDigest digest) {
        super(in);
        this.digest = digest;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
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
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("a digesting stream is read, not skipped");
    }

    long count() {
        return count;
    }
}
