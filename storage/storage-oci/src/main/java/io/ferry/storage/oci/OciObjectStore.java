package io.ferry.storage.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.model.Range;
import com.oracle.bmc.objectstorage.model.ListObjects;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.model.StorageTier;
import com.oracle.bmc.objectstorage.model.UpdateObjectStorageTierDetails;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetBucketRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.requests.UpdateObjectStorageTierRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import com.oracle.bmc.objectstorage.responses.HeadObjectResponse;
import com.oracle.bmc.objectstorage.responses.PutObjectResponse;
import io.ferry.storage.ExactLengthStream;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectKeys;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.SupportsSettling;
import io.ferry.storage.UploadStream;
import io.ferry.storage.UserMetadata;
import io.ferry.storage.Written;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A bucket prefix in OCI Object Storage as an object store. Versions are ETags; reads are ranged GETs
 * pinned with {@code if-match}; whole writes are single PUTs and large ones multipart uploads
 * ({@link OciMultipart}) whose parts any process holding the upload id may send.
 *
 * <p>Not a {@link io.ferry.storage.SupportsIntegrityStamp}: OCI cannot rewrite an object's metadata in
 * place (its CopyObject is an asynchronous, cross-region work request), so multipart objects keep
 * only the per-chunk read-back check every copy gets.
 *
 * <p>{@code storage_tier: archive} writes go in at Standard and move to Archive in {@link #settle},
 * once read back: an archived object cannot be read until restored, so it could not be verified.
 */
final class OciObjectStore implements ObjectStore, SupportsMultipartUpload, SupportsSettling {
    private static final int LIST_PAGE = 1000;
    private static final String LIST_FIELDS = "name,size,etag,timeModified";

    private final OciOptions options;
    private final OciClients clients;
    private final OciMultipart multipart;

    OciObjectStore(OciOptions options, OciClients clients) {
        this.options = options;
        this.clients = clients;
        this.multipart = new OciMultipart(options, clients);
    }

    /**
     * Checks that the bucket is in the compartment the job names: a job written for one compartment
     * must not quietly copy to or from a bucket of the same name elsewhere.
     */
    void checkCompartment() throws StorageException {
        String actual = clients.control(() -> clients.client.getBucket(GetBucketRequest.builder()
                .namespaceName(options.namespace()).bucketName(options.bucket()).build()).getBucket().getCompartmentId(),
                "read the bucket of", null, null);
        if (!options.compartmentId().equals(actual)) {
            throw new StorageException("bucket '" + options.bucket() + "' is in compartment " + actual + ", not in "
                    + options.compartmentId() + " as the job says (spec.compartmentID / parameters.compartment_id)", false);
        }
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) throws StorageException {
        var pages = new Pages(options.objectName(prefix));
        pages.fetch(); // the first page now, so a missing bucket or a refused key fails this call
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /** The listing page by page, following {@code nextStartWith}; {@link #fetch()} the first page before use. */
    private final class Pages implements Iterator<ObjectInfo> {
        private final String prefix;
        private Iterator<ObjectSummary> page = List.<ObjectSummary>of().iterator();
        private String next;

        Pages(String prefix) {
            this.prefix = prefix;
        }

        void fetch() throws StorageException {
            String start = next;
            ListObjects listed = clients.control(() -> clients.client.listObjects(ListObjectsRequest.builder()
                    .namespaceName(options.namespace()).bucketName(options.bucket())
                    .prefix(prefix.isEmpty() ? null : prefix).start(start).limit(LIST_PAGE).fields(LIST_FIELDS)
                    .build()).getListObjects(), "list", null, null);
            page = listed.getObjects().iterator();
            next = listed.getNextStartWith();
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext()) {
                if (next == null) {
                    return false;
                }
                try {
                    fetch();
                } catch (StorageException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return true;
        }

        @Override
        public ObjectInfo next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ObjectSummary s = page.next();
            String key = s.getName().substring(options.prefix().length());
            return new ObjectInfo(key, s.getSize() == null ? 0 : s.getSize(), s.getEtag(), instant(s.getTimeModified()));
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        ObjectKeys.requireSafe(key);
        try {
            HeadObjectResponse head = head(key, null, "stat");
            return Optional.of(new ObjectInfo(key, head.getContentLength(), head.getETag(), instant(head.getLastModified())));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The object's headers, at {@code version} if given (412 → SourceChangedException). */
    private HeadObjectResponse head(String key, String version, String action) throws StorageException {
        return clients.control(() -> clients.client.headObject(HeadObjectRequest.builder()
                .namespaceName(options.namespace()).bucketName(options.bucket()).objectName(options.objectName(key))
                .ifMatch(version).build()), action, key, version);
    }

    @Override
    public ObjectStream open(String key, String version, long offset, long length) throws StorageException {
        ObjectKeys.requireSafe(key);
        if (length == 0) {
            // A range cannot be empty: check the version with a HEAD and hand out no bytes.
            HeadObjectResponse head = head(key, version, "read");
            return new ObjectStream(new ByteArrayInputStream(new byte[0]),
                    UserMetadata.attributes(head.getContentType(), head.getOpcMeta(), instant(head.getLastModified())));
        }
        GetObjectResponse response;
        try {
            response = clients.client.getObject(GetObjectRequest.builder()
                    .namespaceName(options.namespace()).bucketName(options.bucket()).objectName(options.objectName(key))
                    .ifMatch(version).range(new Range(offset, offset + length - 1)).build());
        } catch (BmcException e) {
            throw clients.translate(e, "read", key, version);
        }
        InputStream body = response.getInputStream();
        if (response.getContentLength() != null && response.getContentLength() != length) {
            closeQuietly(body);
            throw new StorageException("asked " + options.location() + key + " for " + length + " bytes from " + offset
                    + ", the server sent " + response.getContentLength(), false);
        }
        return new ObjectStream(new ExactLengthStream(body, length, key, null),
                UserMetadata.attributes(response.getContentType(), response.getOpcMeta(), instant(response.getLastModified())));
    }

    @Override
    public Written put(String key, InputStream data, long size, ObjectAttributes attributes) throws IOException {
        ObjectKeys.requireSafe(key);
        UploadStream body = UploadStream.digested(data);
        PutObjectResponse response;
        try {
            response = clients.client.putObject(PutObjectRequest.builder()
                    .namespaceName(options.namespace()).bucketName(options.bucket()).objectName(options.objectName(key))
                    .contentLength(size).putObjectBody(body)
                    .contentType(attributes.contentType())
                    .opcMeta(UserMetadata.of(attributes))
                    .storageTier(options.writeTier())
                    .opcSseKmsKeyId(options.kmsKeyId())
                    .build());
        } catch (BmcException e) {
            throw body.failure() != null ? body.failure() : clients.translate(e, "write", key, null);
        }
        var info = new ObjectInfo(key, size, response.getETag(), instantOrNow(response.getLastModified()));
        // opc-content-md5 is the MD5 the server took of what it stored; ours is of what was sent.
        return new Written(info, List.of(), body.md5Matches(response.getOpcContentMd5()));
    }

    @Override
    public void delete(String key) throws StorageException {
        ObjectKeys.requireSafe(key);
        try {
            clients.control(() -> clients.client.deleteObject(DeleteObjectRequest.builder()
                    .namespaceName(options.namespace()).bucketName(options.bucket()).objectName(options.objectName(key))
                    .build()), "delete", key, null);
        } catch (ObjectNotFoundException alreadyGone) {
            // deleting an absent object is not an error
        }
    }

    @Override
    public void settle(String key, String version) throws StorageException {
        if (options.storageTier() != StorageTier.Archive) {
            return;
        }
        ObjectKeys.requireSafe(key);
        try {
            head(key, version, "archive");
        } catch (SourceChangedException e) {
            throw new StorageException(options.location() + key + " changed before it could be archived", false, e);
        }
        clients.control(() -> clients.client.updateObjectStorageTier(UpdateObjectStorageTierRequest.builder()
                .namespaceName(options.namespace()).bucketName(options.bucket())
                .updateObjectStorageTierDetails(UpdateObjectStorageTierDetails.builder()
                        .objectName(options.objectName(key)).storageTier(StorageTier.Archive).build())
                .build()), "archive", key, null);
    }

    @Override
    public int maxParts() {
        return OciMultipart.MAX_PARTS;
    }

    @Override
    public long minPartSize() {
        return OciMultipart.MIN_PART_SIZE;
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
        return multipart.complete(ObjectKeys.requireSafe(key), uploadId, partCount, size);
    }

    @Override
    public void abortUpload(String key, String uploadId) throws StorageException {
        multipart.abort(ObjectKeys.requireSafe(key), uploadId);
    }

    OciOptions options() {
        return options;
    }

    @Override
    public void close() {
        clients.close();
    }

    static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    static Instant instantOrNow(Date date) {
        return date == null ? Instant.now() : date.toInstant();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the read failed already; this only frees the connection
        }
    }
}
