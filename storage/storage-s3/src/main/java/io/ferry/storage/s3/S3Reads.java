package io.ferry.storage.s3;

import io.ferry.storage.BulkFilterInputStream;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.StorageException;
import io.ferry.storage.UserMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Ranged reads pinned to a version with {@code If-Match}: the server serves the whole range from that
 * version or answers 412, which becomes {@link io.ferry.storage.SourceChangedException}. A GET in flight
 * keeps its version even if the object is replaced meanwhile, so a read that ends cleanly is whole.
 */
final class S3Reads {
    private final S3Options options;
    private final S3Clients clients;

    S3Reads(S3Options options, S3Clients clients) {
        this.options = options;
        this.clients = clients;
    }

    ObjectStream open(String key, String version, long offset, long length) throws StorageException {
        if (length == 0) {
            // A range cannot be empty: check the version with a HEAD and hand out no bytes.
            try {
                HeadObjectResponse head = clients.control.headObject(b -> b.bucket(options.bucket())
                        .key(options.objectKey(key)).ifMatch(S3Metadata.ifMatch(version)));
                return new ObjectStream(new ByteArrayInputStream(new byte[0]),
                        UserMetadata.attributes(head.contentType(), head.metadata(), head.lastModified()));
            } catch (SdkException e) {
                throw S3Errors.translate(e, options, "read", key, version);
            }
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = clients.data.getObject(b -> b.bucket(options.bucket()).key(options.objectKey(key))
                    .ifMatch(S3Metadata.ifMatch(version))
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "read", key, version);
        }
        GetObjectResponse response = in.response();
        if (response.contentLength() != null && response.contentLength() != length) {
            in.abort();
            throw new StorageException("asked " + options.location() + key + " for " + length + " bytes from " + offset
                    + ", the server sent " + response.contentLength(), false);
        }
        return new ObjectStream(new ExactLength(in, length, key),
                UserMetadata.attributes(response.contentType(), response.metadata(), response.lastModified()));
    }

    /**
     * Fails a body that ends before its length instead of passing a short read off as the end, and
     * aborts the connection when closed early rather than draining what is left of a large range.
     */
    private static final class ExactLength extends BulkFilterInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private final String key;
        private long remaining;

        ExactLength(ResponseInputStream<GetObjectResponse> in, long length, String key) {
            super(in);
            this.response = in;
            this.remaining = length;
            this.key = key;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new StorageException("connection ended " + remaining + " bytes short reading " + key, true);
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (remaining > 0) {
                response.abort();
            }
            super.close();
        }
    }
}
