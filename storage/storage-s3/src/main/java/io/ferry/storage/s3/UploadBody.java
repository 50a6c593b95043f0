package io.ferry.storage.s3;

import io.ferry.storage.UploadStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.InputStream;

/** An {@link UploadStream} as the S3 SDK takes it, with S3's way of telling its own failures. */
final class UploadBody extends UploadStream {
    private UploadBody(InputStream in, boolean digest) {
        super(in, digest);
    }

    /** A body whose MD5 is taken, for a whole put that its ETag may confirm. */
    static UploadBody forWholePut(InputStream data) {
        return new UploadBody(data, true);
    }

    /** A body passed through as it is (a part's ETag confirms nothing Ferry uses). */
    static UploadBody forPart(InputStream data) {
        return new UploadBody(data, false);
    }

    /**
     * The body for {@code length} bytes. An empty one is sent as such: signed as a streaming upload,
     * zero bytes are rejected by RGW (XAmzContentSHA256Mismatch).
     */
    RequestBody requestBody(long length) {
        return length == 0 ? RequestBody.empty() : RequestBody.fromInputStream(this, length);
    }

    /**
     * Whether the server's ETag is the MD5 of the bytes sent: then it stored exactly these bytes.
     * Meaningful only for whole puts without SSE-KMS, whose ETag is the MD5 of the content.
     */
    boolean eTagMatches(String eTag) {
        return md5Matches(S3Metadata.version(eTag));
    }

    /** The stream's own failure if it caused {@code e}, else {@code e} translated. */
    IOException failure(SdkException e, S3Options options, String action, String key) {
        return failure() != null ? failure() : S3Errors.translate(e, options, action, key, null);
    }
}
