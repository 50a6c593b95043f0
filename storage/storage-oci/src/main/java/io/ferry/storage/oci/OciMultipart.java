package io.ferry.storage.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.model.CommitMultipartUploadDetails;
import com.oracle.bmc.objectstorage.model.CommitMultipartUploadPartDetails;
import com.oracle.bmc.objectstorage.model.CreateMultipartUploadDetails;
import com.oracle.bmc.objectstorage.model.MultipartUploadPartSummary;
import com.oracle.bmc.objectstorage.requests.AbortMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.CommitMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.CreateMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.ListMultipartUploadPartsRequest;
import com.oracle.bmc.objectstorage.requests.UploadPartRequest;
import com.oracle.bmc.objectstorage.responses.CommitMultipartUploadResponse;
import com.oracle.bmc.objectstorage.responses.ListMultipartUploadPartsResponse;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.StorageException;
import io.ferry.storage.UploadStream;
import io.ferry.storage.UserMetadata;
import io.ferry.storage.Written;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * OCI multipart uploads shared by many processes, as for S3: one opens the upload with the object's
 * attributes, tier and key, any process holding the id uploads parts (Ferry's 0-based part n is OCI
 * part n + 1), and the one committing asks the server for the part list rather than trusting what it
 * was told, so a part uploaded twice counts once with its latest ETag and a missing one is caught
 * before the object becomes visible.
 */
final class OciMultipart {
    static final int MAX_PARTS = 10_000;
    /** The smallest part but the last that the OCI SDK's own upload manager sends (MINIMUM_ALLOWED_LENGTH_PER_PART_MB). */
    static final long MIN_PART_SIZE = 1L << 20;

    private final OciOptions options;
    private final OciClients clients;

    OciMultipart(OciOptions options, OciClients clients) {
        this.options = options;
        this.clients = clients;
    }

    String start(String key, ObjectAttributes attributes) throws StorageException {
        var details = CreateMultipartUploadDetails.builder()
                .object(options.objectName(key))
                .contentType(attributes.contentType())
                .metadata(UserMetadata.of(attributes))
                .storageTier(options.writeTier())
                .build();
        return clients.control(() -> clients.client.createMultipartUpload(CreateMultipartUploadRequest.builder()
                .namespaceName(options.namespace()).bucketName(options.bucket())
                .createMultipartUploadDetails(details)
                .opcSseKmsKeyId(options.kmsKeyId())
                .build()).getMultipartUpload().getUploadId(), "start an upload of", key, null);
    }

    void writePart(String key, String uploadId, int partNumber, InputStream data, long length) throws IOException {
        UploadStream body = UploadStream.plain(data);
        try {
            clients.client.uploadPart(UploadPartRequest.builder()
                    .namespaceName(options.namespace()).bucketName(options.bucket()).objectName(options.objectName(key))
                    .uploadId(uploadId).uploadPartNum(partNumber + 1)
                    .contentLength(length).uploadPartBody(body)
                    .opcSseKmsKeyId(options.kmsKeyId())
                    .build());
        } catch (BmcException e) {
            throw body.failure() != null ? body.failure()
                    : clients.translate(e, "upload part " + partNumber + " of", key, null);
        }
    }

    Written complete(String key, String uploadId, int partCount, long size) throws StorageException {
        TreeMap<Integer, MultipartUploadPartSummary> parts = new TreeMap<>();
        String page = null;
        do {
            String from = page;
            ListMultipartUploadPartsResponse listed = clients.control(() -> clients.client.listMultipartUploadParts(
                    ListMultipartUploadPartsRequest.builder()
                            .namespaceName(options.namespace()).bucketName(options.bucket())
                            .objectName(options.objectName(key)).uploadId(uploadId).limit(1000).page(from).build()),
                    "list the parts of", key, null);
            listed.getItems().forEach(p -> parts.put(p.getPartNumber(), p));
            page = listed.getOpcNextPage();
        } while (page != null);
        long total = parts.values().stream().mapToLong(MultipartUploadPartSummary::getSize).sum();
        if (parts.size() != partCount || parts.isEmpty() || parts.firstKey() != 1 || parts.lastKey() != partCount
                || total != size) {
            throw new StorageException("upload of " + options.location() + key + " has " + parts.size() + " parts ("
                    + total + " bytes), expected " + partCount + " (" + size + " bytes)", false);
        }
        List<CommitMultipartUploadPartDetails> commit = new ArrayList<>(partCount);
        for (MultipartUploadPartSummary p : parts.values()) {
            commit.add(CommitMultipartUploadPartDetails.builder().partNum(p.getPartNumber()).etag(p.getEtag()).build());
        }
        CommitMultipartUploadResponse response = clients.control(() -> clients.client.commitMultipartUpload(
                CommitMultipartUploadRequest.builder()
                        .namespaceName(options.namespace()).bucketName(options.bucket())
                        .objectName(options.objectName(key)).uploadId(uploadId)
                        .commitMultipartUploadDetails(CommitMultipartUploadDetails.builder().partsToCommit(commit).build())
                        .build()), "commit the upload of", key, null);
        var info = new ObjectInfo(key, size, response.getETag(), OciObjectStore.instantOrNow(response.getLastModified()));
        return Written.unconfirmed(info);
    }

    void abort(String key, String uploadId) throws StorageException {
        try {
            clients.control(() -> clients.client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .namespaceName(options.namespace()).bucketName(options.bucket())
                    .objectName(options.objectName(key)).uploadId(uploadId).build()), "abort the upload of", key, null);
        } catch (ObjectNotFoundException alreadyGone) {
            // aborting an unknown upload is not an error
        }
    }
}
