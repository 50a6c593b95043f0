package io.ferry.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import io.ferry.storage.BulkFilterInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The caller's stream as an upload body. The SDK wraps whatever the stream throws into its own
 * exception; this remembers the stream's own failure so the caller gets it back unchanged (a source
 * that changed mid-copy must surface as such, not as a failed write). For a whole put it also takes
 * the MD5 of every byte the SDK sent, so the server's MD5 ETag can show what was stored. (The caller
 * has the SHA-256 of the same bytes already.)
 */
final class UploadBody extends BulkFilterInputStream {
    private final MessageDigest md5;
    private IOException failure;

    private UploadBody(InputStream in, boolean digest) {
        super(in);
        this.md5 = digest ? md5() : null;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** A body whose MD5 is taken, for a whole put that its ETag may confirm. */
    static UploadBody digested(InputStream data) {
        return new UploadBody(data, true);
    }

    /**
     * A body passed through as it is: a part's ETag confirms only that part, and hashing it once more
     * on top of the caller's SHA-256 and the SDK's own costs CPU that large copies are short of.
     */
    static UploadBody plain(InputStream data) {
        return new UploadBody(data, false);
    }

    /**
     * The body for {@code length} bytes. An empty one is sent as such: signed as a streaming upload,
     * zero bytes are rejected by RGW (XAmzContentSHA256Mismatch).
     */
    RequestBody requestBody(long length) {
        return length == 0 ? RequestBody.empty() : RequestBody.fromInputStream(this, length);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        if (n > 0 && md5 != null) {
            md5.update(b, off, n);
        }
        return n;
    }

    /**
     * Whether the server's ETag is the MD5 of the bytes sent: then it stored exactly these bytes.
     * Meaningful only for whole puts without SSE-KMS, whose ETag is the MD5 of the content.
     */
    boolean md5Matches(String eTag) {
        return md5 != null && HexFormat.of().formatHex(md5.digest()).equalsIgnoreCase(S3Metadata.version(eTag));
    }

    /** The stream's own failure if it caused {@code e}, else {@code e} translated. */
    IOException failure(SdkException e, S3Options options, String action, String key) {
        if (failure != null) {
            return failure;
        }
        return S3Errors.translate(e, options, action, key, null);
    }
}
