package io.ferry.storage.s3;

import io.ferry.checksum.Checksum;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectKeys;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.StorageException;
import io.ferry.storage.UserMetadata;
import io.ferry.storage.SupportsIntegrityStamp;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.TreeHashStamp;
import io.ferry.storage.Written;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A bucket prefix as an object store. Versions are ETags; reads are ranged GETs pinned with
 * {@code If-Match}; whole writes are single PUTs and large ones multipart uploads ({@link S3Multipart})
 * whose parts any process holding the upload id may send, then stamped with their tree hash unless
 * the server's own checksum already is it ({@link S3Stamps}). Listing is {@link S3Listing}.
 */
final class S3ObjectStore implements ObjectStore, SupportsMultipartUpload, SupportsIntegrityStamp {
    private final S3Options options;
    private final S3Clients clients;
    private final S3Listing listing;
    private final S3Reads reads;
    private final S3Multipart multipart;
    private final S3Stamps stamps;

    S3ObjectStore(S3Options options, S3Clients clients) {
        this.options = options;
        this.clients = clients;
        this.listing = new S3Listing(options, clients);
        this.reads = new S3Reads(options, clients);
        this.multipart = new S3Multipart(options, clients);
        this.stamps = new S3Stamps(options, clients);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) throws StorageException {
        return listing.list(prefix);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        ObjectKeys.requireSafe(key);
        try {
            HeadObjectResponse head = clients.control.headObject(b -> b.bucket(options.bucket()).key(options.objectKey(key)));
            return Optional.of(new ObjectInfo(key, head.contentLength(), S3Metadata.version(head.eTag()), head.lastModified()));
        } catch (SdkException e) {
            StorageException failure = S3Errors.translate(e, options, "stat", key, null);
            if (failure instanceof ObjectNotFoundException) {
                return Optional.empty();
            }
            throw failure;
        }
    }

    @Override
    public ObjectStream open(String key, String version, long offset, long length) throws StorageException {
        return reads.open(ObjectKeys.requireSafe(key), version, offset, length);
    }

    @Override
    public Written put(String key, InputStream data, long size, ObjectAttributes attributes) throws IOException {
        ObjectKeys.requireSafe(key);
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(options.bucket())
                .key(options.objectKey(key))
                .contentLength(size)
                .metadata(UserMetadata.of(attributes))
                .storageClass(options.storageClass())
                .serverSideEncryption(options.encryption())
                .ssekmsKeyId(options.kmsKeyId());
        if (attributes.contentType() != null) {
            request.contentType(attributes.contentType());
        }
        if (!options.checksumsWhenRequired()) {
            request.checksumAlgorithm(ChecksumAlgorithm.SHA256);
        }
        PutObjectResponse response;
        UploadBody body = UploadBody.forWholePut(data);
        try {
            response = (size == 0 ? clients.control : clients.data).putObject(request.build(), body.requestBody(size));
        } catch (SdkException e) {
            throw body.failure(e, options, "write", key);
        }
        var info = new ObjectInfo(key, size, S3Metadata.version(response.eTag()), Instant.now());
        // The SDK's checksum was over the bytes sent; a whole PUT's ETag is the MD5 the server took of
        // what it stored (not so under SSE-KMS).
        boolean storedAsSent = S3Metadata.sha256(response.checksumSHA256()) != null
                || (options.encryption() != ServerSideEncryption.AWS_KMS && body.eTagMatches(response.eTag()));
        return new Written(info, List.of(), storedAsSent);
    }

    @Override
    public void delete(String key) throws StorageException {
        ObjectKeys.requireSafe(key);
        try {
            clients.control.deleteObject(b -> b.bucket(options.bucket()).key(options.objectKey(key)));
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "delete", key, null);
        }
    }


    @Override
    public int maxParts() {
        return S3Multipart.MAX_PARTS;
    }

    @Override
    public long minPartSize() {
        return S3Multipart.MIN_PART_SIZE;
    }

    @Override
    public String startUpload(String key, ObjectAttributes attributes) throws StorageException {
        return multipart.start(ObjectKeys.requireSafe(key), attributes);
    }

    @Override
    public void writePart(String key, String uploadId, int partNumber, long offset, InputStream data, long length)
            throws IOException {
        multipart.writePart(ObjectKeys.requireSafe(key), uploadId, partNumber, data, length);
    }

    @Override
    public Written completeUpload(String key, String uploadId, int partCount, long size) throws StorageException {
        return completeUpload(key, uploadId, partCount, size, List.of());
    }

    @Override
    public Written completeUpload(String key, String uploadId, int partCount, long size, List<Checksum> sent)
            throws StorageException {
        return multipart.complete(ObjectKeys.requireSafe(key), uploadId, partCount, size, sent);
    }

    @Override
    public void abortUpload(String key, String uploadId) throws StorageException {
        multipart.abort(ObjectKeys.requireSafe(key), uploadId);
    }

    @Override
    public ObjectInfo stamp(String key, String version, TreeHashStamp stamp) throws StorageException {
        return stamps.stamp(ObjectKeys.requireSafe(key), version, stamp);
    }

    S3Options location() {
        return options;
    }

    S3Clients clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.close();
    }
}
