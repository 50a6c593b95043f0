package io.ferry.storage.s3;

import static io.ferry.testing.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.s3.server.S3Server;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.Secrets;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.testkit.ObjectStoreContract;
import io.ferry.testing.TestSecrets;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
