package io.ferry.transfer;

import io.ferry.storage.DigestingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A source stream that hashes every byte handed to the writer (so the checksum is over exactly
 * the bytes read) and marks its failures as the source's.
 */
final class DigestingSource extends DigestingInputStream {
    DigestingSource(InputStream in, MessageDigest digest) {
        super(in, digest);
    }

    @Override
    protected IOException failed(IOException e) {
        return new SourceReadException(e);
    }
}
