package io.ferry.storage.s3;

import io.ferry.checksum.Checksum;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.StorageException;
import io.ferry.storage.UserMetadata;
import io.ferry.storage.Written;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Multipart uploads shared by many processes: one opens the upload, any process holding the id
 * uploads parts (Ferry's 0-based part n is S3 part n + 1), and the one completing it asks the server
 * for the part list rather than trusting what it was told, so a part uploaded twice counts once with
 * its latest ETag and a missing part is caught before the object becomes visible.
 */
final class S3Multipart {
    static final int MAX_PARTS = 10_000;
    static final long MIN_PART_SIZE = 5L << 20;

    private final S3Options options;
    private final S3Clients clients;

    S3Multipart(S3Options options, S3Clients clients) {
        this.options = options;
        this.clients = clients;
    }

    String start(String key, ObjectAttributes attributes) throws StorageException {
        var request = CreateMultipartUploadRequest.builder()
                .bucket(options.bucket())
                .key(options.objectKey(key))
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
        try {
            return clients.control.createMultipartUpload(request.build()).uploadId();
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "start an upload of", key, null);
        }
    }

    void writePart(String key, String uploadId, int partNumber, InputStream data, long length) throws IOException {
        var request = UploadPartRequest.builder()
                .bucket(options.bucket())
                .key(options.objectKey(key))
                .uploadId(uploadId)
                .partNumber(partNumber + 1)
                .contentLength(length);
        if (!options.checksumsWhenRequired()) {
            request.checksumAlgorithm(ChecksumAlgorithm.SHA256);
        }
        UploadBody body = UploadBody.forPart(data);
        try {
            clients.data.uploadPart(request.build(), body.requestBody(length));
        } catch (SdkException e) {
            throw body.failure(e, options, "upload part " + partNumber + " of", key);
        }
    }

    /**
     * Completes the upload from the server's own part list. Where the list carries no checksums
     * (S3Proxy), the SHA-256 of each part as it was {@code sent} goes into the completion instead,
     * and the composite checksum the server answers with, computed over the SHA-256 it took of each
     * part on receipt, confirms them only if it is theirs.
     */
    Written complete(String key, String uploadId, int partCount, long size, List<Checksum> sent) throws StorageException {
        TreeMap<Integer, Part> parts = new TreeMap<>();
        try {
            clients.control.listPartsPaginator(b -> b.bucket(options.bucket()).key(options.objectKey(key)).uploadId(uploadId))
                    .parts().forEach(p -> parts.put(p.partNumber(), p));
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "list the parts of", key, null);
        }
        long total = parts.values().stream().mapToLong(Part::size).sum();
        if (parts.size() != partCount || parts.firstKey() != 1 || parts.lastKey() != partCount || total != size) {
            throw new StorageException("upload of " + options.location() + key + " has " + parts.size() + " parts ("
                    + total + " bytes), expected " + partCount + " (" + size + " bytes)", false);
        }
        boolean tellSent = !options.checksumsWhenRequired() && sent.size() == partCount;
        List<CompletedPart> completed = new ArrayList<>(partCount);
        List<Checksum> listed = new ArrayList<>(partCount);
        for (Part p : parts.values()) {
            String checksum = p.checksumSHA256();
            Checksum c = S3Metadata.sha256(checksum);
            if (c != null) {
                listed.add(c);
            } else if (tellSent) {
                checksum = S3Metadata.base64(sent.get(p.partNumber() - 1));
            }
            completed.add(CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).checksumSHA256(checksum).build());
        }
        CompleteMultipartUploadResponse response;
        try {
            response = clients.control.completeMultipartUpload(b -> b.bucket(options.bucket()).key(options.objectKey(key))
                    .uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "complete the upload of", key, null);
        }
        String version = S3Metadata.version(response.eTag());
        if (version.isEmpty()) {
            // RGW answers the completion with an empty ETag: ask for the object's.
            try {
                version = S3Metadata.version(clients.control.headObject(b -> b.bucket(options.bucket())
                        .key(options.objectKey(key))).eTag());
            } catch (SdkException e) {
                throw S3Errors.translate(e, options, "stat", key, null);
            }
        }
        List<Checksum> confirmed = listed.size() == partCount ? listed
                : tellSent && S3Metadata.composite(Checksum.treeHash(sent), partCount).equals(response.checksumSHA256()) ? sent
                : List.of();
        // S3 reports no Last-Modified with a completion; the part list above proved the size.
        var info = new ObjectInfo(key, size, version, Instant.now());
        return new Written(info, confirmed, false);
    }

    void abort(String key, String uploadId) throws StorageException {
        try {
            clients.control.abortMultipartUpload(b -> b.bucket(options.bucket()).key(options.objectKey(key)).uploadId(uploadId));
        } catch (SdkException e) {
            StorageException translated = S3Errors.translate(e, options, "abort the upload of", key, null);
            if (!(translated instanceof ObjectNotFoundException)) {
                throw translated;
            }
        }
    }
}
