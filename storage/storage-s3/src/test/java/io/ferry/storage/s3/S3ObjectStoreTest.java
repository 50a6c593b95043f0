package io.ferry.storage.s3;

import static io.ferry.testing.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.checksum.Checksum;
import io.ferry.s3.server.S3Server;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.Secrets;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.SupportsIntegrityStamp;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.TreeHashStamp;
import io.ferry.storage.Written;
import io.ferry.storage.testkit.ObjectStoreContract;
import io.ferry.testing.TestSecrets;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/** The contract and S3's own behaviour, against a real S3 server (S3Proxy, SigV4 enforced) on 127.0.0.1. */
class S3ObjectStoreTest extends ObjectStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Server server;
    private static Path secretsDir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.startForTests();
        secretsDir = Files.createTempDirectory("ferry-secrets");
        TestSecrets.writeS3(secretsDir, "s3-test", server.accessKey(), server.secretKey());
        TestSecrets.writeS3(secretsDir, "wrong", server.accessKey(), "not-the-secret-at-all");
    }


    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected ObjectStore newStore() throws Exception {
        String bucket = "contract-" + BUCKETS.incrementAndGet();
        server.createBucket(bucket);
        return open("s3://" + bucket + "/some/prefix/", Map.of());
    }

    private static ObjectStore open(String uri, Map<String, Object> extra) {
        var parameters = new HashMap<String, Object>(Map.of("endpoint", server.endpoint(), "region", S3Server.REGION,
                "access_key_id_secret", "s3-test", "secret_access_key_secret", "s3-test"));
        parameters.putAll(extra);
        var provider = new S3StoreProvider();
        return provider.open(provider.options(StorageUri.parse(uri), parameters), Map.of(Secrets.DIR_SETTING, secretsDir.toString()));
    }

    @Override
    protected void assertAttributesKept(ObjectAttributes read) {
        assertThat(read.contentType()).isEqualTo("application/x-test");
        assertThat(read.userMetadata()).containsEntry("origin", "contract");
    }

    /** S3Proxy's directory backend does not track uploads, so it takes any part; AWS answers NoSuchUpload. */
    @Override
    protected boolean refusesPartsOfAbortedUploads() {
        return false;
    }

    @Test
    void shouldKeepObjectsUnderThePrefixOnly() throws Exception {
        put("k", bytes(3, 1));
        try (ObjectStore bucketRoot = open("s3://" + bucketOf(store) + "/", Map.of());
                Stream<ObjectInfo> all = bucketRoot.list("")) {
            assertThat(all.map(ObjectInfo::key)).containsExactly("some/prefix/k");
        }
    }

    private static String bucketOf(ObjectStore s) {
        return ((S3ObjectStore) s).location().bucket();
    }

    @Test
    void shouldFailWithAccessDeniedAndNoSecretOnWrongCredentials() throws Exception {
        try (ObjectStore wrong = open("s3://" + bucketOf(store) + "/", Map.of("access_key_id_secret", "wrong",
                "secret_access_key_secret", "wrong"))) {
            assertThatThrownBy(() -> wrong.list("").close())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("access denied")
                    .hasMessageNotContaining("not-the-secret-at-all")
                    .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
        }
    }

    @Test
    void shouldSaySoWhenTheBucketDoesNotExist() throws Exception {
        try (ObjectStore missing = open("s3://no-such-bucket-here/", Map.of())) {
            assertThatThrownBy(() -> missing.list("").close())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("bucket 'no-such-bucket-here' does not exist");
        }
    }

    @Test
    void shouldWorkWithChecksumsOnlyWhenRequired() throws Exception {
        try (ObjectStore plain = open("s3://" + bucketOf(store) + "/plain/", Map.of("checksum_mode", "when_required"))) {
            byte[] data = bytes(1 << 20, 3);
            ObjectInfo info = plain.put("p", new ByteArrayInputStream(data), data.length);
            try (ObjectStream in = plain.open("p", info.version(), 0, data.length)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            var mp = (SupportsMultipartUpload) plain;
            String id = mp.startUpload("m");
            byte[] big = bytes((int) (mp.minPartSize() + 10), 4);
            mp.writePart("m", id, 0, 0, new ByteArrayInputStream(big, 0, (int) mp.minPartSize()), mp.minPartSize());
            mp.writePart("m", id, 1, mp.minPartSize(), new ByteArrayInputStream(big, (int) mp.minPartSize(), 10), 10);
            ObjectInfo done = mp.completeUpload("m", id, 2, big.length).object();
            try (ObjectStream in = plain.open("m", done.version(), 0, big.length)) {
                assertThat(in.readAllBytes()).isEqualTo(big);
            }
        }
    }

    @Test
    void shouldStampObjectsTooLargeForCopyObjectPartByPartOnTheServer() throws Exception {
        var s3 = (S3ObjectStore) store;
        byte[] data = bytes((12 << 20) + 5, 14);
        ObjectInfo info = s3.put("huge", new ByteArrayInputStream(data), data.length,
                new ObjectAttributes("application/x-test", Map.of("origin", "contract"), null)).object();
        var stamp = new io.ferry.storage.TreeHashStamp(5L << 20, io.ferry.checksum.Checksum.treeHash(java.util.List.of(
                io.ferry.checksum.Checksum.sha256(io.ferry.checksum.Checksum.newSha256().digest(data)))));
        ObjectInfo after = new S3Stamps(s3.location(), s3.clients(), 0).stamp("huge", info.version(), stamp);
        try (ObjectStream in = s3.open("huge", after.version(), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.attributes().userMetadata()).containsEntry("ferry-sha256-tree", stamp.toString())
                    .containsEntry("origin", "contract");
            assertThat(in.attributes().contentType()).isEqualTo("application/x-test");
        }
    }

    @Test
    void shouldConfirmThePartsSentByTheCompositeChecksumTheServerTookOfWhatItStored() throws Exception {
        var s3 = (S3ObjectStore) store;
        byte[] data = bytes((int) s3.minPartSize() + 10, 16);
        var sent = digestsOfTwoParts(data);

        // S3Proxy lists no part checksums; it confirms the ones it is told when they are what it took
        Written confirmed = s3.completeUpload("parts", uploadInTwoParts("parts", data), 2, data.length, sent);
        assertThat(confirmed.partChecksums()).isEqualTo(sent);
        assertThat(headChecksum("parts")).isEqualTo(S3Metadata.composite(Checksum.treeHash(sent), 2));

        var wrong = List.of(sent.get(0), sha256(new byte[10], 0, 10));
        assertThat(s3.completeUpload("wrong", uploadInTwoParts("wrong", data), 2, data.length, wrong).partChecksums())
                .as("told other checksums than it took").isEmpty();
        assertThat(s3.completeUpload("untold", uploadInTwoParts("untold", data), 2, data.length).partChecksums())
                .as("told none").isEmpty();
    }

    @Test
    void shouldLeaveAMultipartObjectWhoseCompositeChecksumIsItsTreeHashAsItIs() throws Exception {
        var s3 = (S3ObjectStore) store;
        long partSize = s3.minPartSize();
        byte[] data = bytes((int) partSize + 10, 17);
        var chunks = digestsOfTwoParts(data);
        ObjectInfo done = s3.completeUpload("parts", uploadInTwoParts("parts", data), 2, data.length, chunks).object();
        var stamp = new TreeHashStamp(partSize, Checksum.treeHash(chunks));

        assertThat(headChecksum("parts")).isEqualTo(S3Stamps.compositeChecksum(stamp, data.length));
        ObjectInfo after = s3.stamp("parts", done.version(), stamp);
        assertThat(after.version()).as("not rewritten").isEqualTo(done.version());
        try (ObjectStream in = s3.open("parts", after.version(), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.attributes().userMetadata()).doesNotContainKey(SupportsIntegrityStamp.METADATA_KEY)
                    .containsEntry("origin", "contract");
        }

        // taken over other chunks than the parts, the tree hash is not the server's checksum: stamped as before
        var whole = new TreeHashStamp(data.length, Checksum.treeHash(List.of(sha256(data, 0, data.length))));
        ObjectInfo stamped = s3.stamp("parts", after.version(), whole);
        assertThat(stamped.version()).isNotEqualTo(after.version());
        try (ObjectStream in = s3.open("parts", stamped.version(), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.attributes().userMetadata()).containsEntry(SupportsIntegrityStamp.METADATA_KEY, whole.toString());
        }
    }

    /** The SHA-256 of each part {@link #uploadInTwoParts} makes of {@code data}. */
    private List<Checksum> digestsOfTwoParts(byte[] data) {
        int partSize = (int) ((S3ObjectStore) store).minPartSize();
        return List.of(sha256(data, 0, partSize), sha256(data, partSize, data.length - partSize));
    }

    /** An open upload of {@code data} in a part of the smallest size and a second of the rest; its id. */
    private String uploadInTwoParts(String key, byte[] data) throws Exception {
        var s3 = (S3ObjectStore) store;
        int partSize = (int) s3.minPartSize();
        String id = s3.startUpload(key, new ObjectAttributes("application/x-test", Map.of("origin", "contract"), null));
        s3.writePart(key, id, 0, 0, new ByteArrayInputStream(data, 0, partSize), partSize);
        s3.writePart(key, id, 1, partSize, new ByteArrayInputStream(data, partSize, data.length - partSize), data.length - partSize);
        return id;
    }

    private String headChecksum(String key) {
        var s3 = (S3ObjectStore) store;
        return s3.clients().control.headObject(b -> b.bucket(s3.location().bucket()).key(s3.location().objectKey(key))
                .checksumMode(ChecksumMode.ENABLED)).checksumSHA256();
    }

    private static Checksum sha256(byte[] data, int offset, int length) {
        MessageDigest md = Checksum.newSha256();
        md.update(data, offset, length);
        return Checksum.sha256(md.digest());
    }

    @Test
    void shouldConfirmAWholePutByItsMd5ETag() throws Exception {
        byte[] data = bytes(100_000, 15);
        var written = store.put("confirmed", new ByteArrayInputStream(data), data.length, ObjectAttributes.NONE);
        assertThat(written.storedAsSent()).isTrue();
        // and the ETag it compared with is the MD5 of exactly those bytes
        assertThat(written.object().version()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("MD5").digest(data)));
    }

    @Test
    void shouldRejectBadParametersNamingEach() {
        assertThatThrownBy(() -> open("s3://bucket/", Map.of("storage_tier", "deep_archive", "encryption", "rot13",
                "checksum_mode", "sometimes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameters.storage_tier")
                .hasMessageContaining("parameters.encryption")
                .hasMessageContaining("parameters.checksum_mode");
    }
}
