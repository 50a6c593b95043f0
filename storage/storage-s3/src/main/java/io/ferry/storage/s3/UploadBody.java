package io.ferry.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The caller's stream as an upload body. The SDK wraps whatever the stream throws into its own
 * exception; this remembers the stream's own failure so the caller gets it back unchanged (a source
 * that changed mid-copy must surface as such, not as a failed write).
 */
final class UploadBody extends FilterInputStream {
    private IOException failure;

    private UploadBody(InputStream in) {
        super(in);
    }

    static UploadBody of(InputStream data) {
        return new UploadBody(data);
    }

    /**
     * The body for {@code length} bytes. An empty one is sent as such: signed as a streaming upload,
     * zero bytes are rejected by RGW (XAmzContentSHA256Mismatch).
     */
    RequestBody requestBody(long length) {
        return length == 0 ? RequestBody.empty() : RequestBody.fromInputStream(this, length);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** The stream's own failure if it caused {@code e}, else {@code e} translated. */
    IOException failure(SdkException e, S3Options options, String action, String key) {
        if (failure != null) {
            return failure;
        }
        return S3Errors.translate(e, options, action, key, null);
    }
}
