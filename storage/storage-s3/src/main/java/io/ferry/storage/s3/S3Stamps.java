package io.ferry.storage.s3;

import io.ferry.storage.ChunkDigests;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsIntegrityStamp;
import io.ferry.storage.TreeHashStamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Leaves on a multipart object what it hashes to. A server that kept SHA-256 checksums of the parts
 * already says it: the object's composite checksum ({@code x-amz-checksum-sha256: <base64>-<parts>},
 * SHA-256 over the parts' binary digests in order) is the tree hash when the parts are the chunks,
 * and then nothing is written. Otherwise the stamp goes into user metadata after the fact. S3 metadata
 * is fixed when an object is written, and a multipart upload opens before its bytes are known, so the
 * stamp is added by a server-side copy of the object onto itself (pinned with
 * {@code x-amz-copy-source-if-match}); objects over 5 GiB, beyond CopyObject, are copied part by part
 * with UploadPartCopy. No byte leaves the server, but every byte is rewritten on it. A stamp carried
 * from the source is checked instead, and then nothing is copied.
 */
final class S3Stamps {
    static final long MAX_COPY_OBJECT = 5L << 30;

    private final S3Options options;
    private final S3Clients clients;
    private final long maxCopyObject;

    S3Stamps(S3Options options, S3Clients clients) {
        this(options, clients, MAX_COPY_OBJECT);
    }

    /** @param maxCopyObject largest object stamped with one CopyObject; lower only to test the part-wise path */
    S3Stamps(S3Options options, S3Clients clients, long maxCopyObject) {
        this.options = options;
        this.clients = clients;
        this.maxCopyObject = maxCopyObject;
    }

    ObjectInfo stamp(String key, String version, TreeHashStamp stamp) throws StorageException {
        String s3Key = options.objectKey(key);
        HeadObjectResponse head;
        try {
            head = clients.control.headObject(b -> b.bucket(options.bucket()).key(s3Key).ifMatch(S3Metadata.ifMatch(version))
                    .checksumMode(ChecksumMode.ENABLED));
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "stamp", key, version);
        }
        Optional<TreeHashStamp> carried = TreeHashStamp.parse(head.metadata().get(SupportsIntegrityStamp.METADATA_KEY));
        if (carried.isPresent() && carried.get().chunkSize() == stamp.chunkSize()) {
            if (carried.get().equals(stamp)) {
                return new ObjectInfo(key, head.contentLength(), version, head.lastModified());
            }
            throw new StorageException(options.location() + key + " carries " + carried.get() + " from its source but its"
                    + " bytes hash to " + stamp + ": the copy is not what its origin vouched for", false);
        }
        if (carried.isEmpty() && compositeChecksum(stamp, head.contentLength()).equals(head.checksumSHA256())) {
            return new ObjectInfo(key, head.contentLength(), version, head.lastModified());
        }
        Map<String, String> metadata = new HashMap<>(head.metadata());
        metadata.put(SupportsIntegrityStamp.METADATA_KEY, stamp.toString());
        try {
            return head.contentLength() <= maxCopyObject
                    ? copyObject(key, version, head, metadata)
                    : copyInParts(key, version, head, metadata, stamp.chunkSize());
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "stamp", key, version);
        }
    }

    /** The composite checksum of an object uploaded in parts of {@code stamp}'s chunk size. */
    static String compositeChecksum(TreeHashStamp stamp, long size) {
        return S3Metadata.composite(stamp.treeHash(), ChunkDigests.count(size, stamp.chunkSize()));
    }

    private ObjectInfo copyObject(String key, String version, HeadObjectResponse head, Map<String, String> metadata) {
        String s3Key = options.objectKey(key);
        var result = clients.control.copyObject(b -> b
                .sourceBucket(options.bucket()).sourceKey(s3Key).copySourceIfMatch(S3Metadata.ifMatch(version))
                .destinationBucket(options.bucket()).destinationKey(s3Key)
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata).contentType(head.contentType())
                .storageClass(options.storageClass()).serverSideEncryption(options.encryption()).ssekmsKeyId(options.kmsKeyId()))
                .copyObjectResult();
        return new ObjectInfo(key, head.contentLength(), S3Metadata.version(result.eTag()), result.lastModified());
    }

    private ObjectInfo copyInParts(String key, String version, HeadObjectResponse head, Map<String, String> metadata,
            long chunkSize) {
        String s3Key = options.objectKey(key);
        long size = head.contentLength();
        long partSize = Math.min(MAX_COPY_OBJECT, Math.max(chunkSize, (size + S3Multipart.MAX_PARTS - 1) / S3Multipart.MAX_PARTS));
        String uploadId = clients.control.createMultipartUpload(b -> b.bucket(options.bucket()).key(s3Key).metadata(metadata)
                .contentType(head.contentType()).storageClass(options.storageClass())
                .serverSideEncryption(options.encryption()).ssekmsKeyId(options.kmsKeyId())).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(size, offset + partSize) - 1);
                String eTag = clients.control.uploadPartCopy(b -> b.sourceBucket(options.bucket()).sourceKey(s3Key)
                        .copySourceIfMatch(S3Metadata.ifMatch(version)).copySourceRange(range)
                        .destinationBucket(options.bucket()).destinationKey(s3Key).uploadId(uploadId).partNumber(partNumber))
                        .copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
            }
            clients.control.completeMultipartUpload(b -> b.bucket(options.bucket()).key(s3Key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            clients.control.abortMultipartUpload(b -> b.bucket(options.bucket()).key(s3Key).uploadId(uploadId));
            throw e;
        }
        HeadObjectResponse after = clients.control.headObject(b -> b.bucket(options.bucket()).key(s3Key));
        return new ObjectInfo(key, after.contentLength(), S3Metadata.version(after.eTag()), after.lastModified());
    }
}
