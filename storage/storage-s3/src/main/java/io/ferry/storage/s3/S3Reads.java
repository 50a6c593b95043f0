package io.ferry.storage.s3;

import io.ferry.storage.ExactLengthStream;
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
        return new ObjectStream(new ExactLengthStream(in, length, key, in::abort),
                UserMetadata.attributes(response.contentType(), response.metadata(), response.lastModified()));
    }
}
