package io.ferry.storage.oci;

import static io.ferry.testing.TestData.bytes;
import io.ferry.oci.server.OciCredentials;
import io.ferry.oci.server.OciServer;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.SupportsSettling;
import io.ferry.storage.ThrottledException;
import io.ferry.storage.testkit.ObjectStoreContract;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract and OCI's own behaviour, with the real OCI SDK against the local OCI server, which
 * checks every request's signature.
 */
class OciObjectStoreTest extends ObjectStoreContract {
    static final String NAMESPACE = "ferrytest";
    static final String COMPARTMENT = "ocid1.compartment.oc1..ferrytest";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static OciServer server;
    @TempDir
    static Path dir;
    private static Path config;

    @BeforeAll
    static void startServer() throws Exception {
        server = OciServer.start(dir.resolve("data"), 0, NAMESPACE);
        OciCredentials trusted = OciCredentials.generate();
        server.trust(trusted);
        config = trusted.writeApiKeyConfig(dir.resolve("oci"), "DEFAULT", "us-phoenix-1");
        // A second profile whose key the server has never seen.
        OciCredentials.generate().writeApiKeyConfig(dir.resolve("oci-untrusted"), "UNTRUSTED", "us-phoenix-1");
        Files.writeString(config, Files.readString(config) + "\n" + Files.readString(dir.resolve("oci-untrusted/config")));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected ObjectStore newStore() throws StorageException {
        String bucket = "contract-" + BUCKETS.incrementAndGet();
        server.createBucket(bucket, COMPARTMENT);
        return open("oci://" + NAMESPACE + "/" + bucket + "/some/prefix/", Map.of());
    }

    static ObjectStore open(String uri, Map<String, Object> extra) throws StorageException {
        var parameters = new HashMap<String, Object>(Map.of("endpoint", server.endpoint(),
                "authentication", "user_principal", "config_file", config.toString()));
        parameters.putAll(extra);
        return new OciStoreProvider().open(StorageUri.parse(uri), parameters, Map.of());
    }

    private String bucketUri() {
        return "oci://" + NAMESPACE + "/contract-" + BUCKETS.get() + "/";
    }

    @Override
    protected void assertAttributesKept(ObjectAttributes read) {
        assertThat(read.contentType()).isEqualTo("application/x-test");
        assertThat(read.userMetadata()).containsEntry("origin", "contract");
    }

    @Test
    void shouldKeepObjectsUnderThePrefixOnly() throws Exception {
        put("k", bytes(3, 1));
        try (ObjectStore bucketRoot = open(bucketUri(), Map.of()); Stream<ObjectInfo> all = bucketRoot.list("")) {
            assertThat(all.map(ObjectInfo::key)).containsExactly("some/prefix/k");
        }
    }

    @Test
    void shouldListPageByPage() throws Exception {
        for (int i = 0; i < 1005; i++) {
            put(String.format("many/%04d", i), new byte[] {(byte) i});
        }
        try (Stream<ObjectInfo> all = store.list("many/")) {
            assertThat(all.map(ObjectInfo::key).distinct().count()).isEqualTo(1005);
        }
    }

    @Test
    void shouldBeRefusedWithAClearMessageAndNoSecretWhenTheKeyIsNotTrusted() throws Exception {
        String key = Files.readString(dir.resolve("oci-untrusted/oci_api_key.pem"));
        try (ObjectStore untrusted = open(bucketUri(), Map.of("profile", "UNTRUSTED"))) {
            assertThatThrownBy(() -> untrusted.list("").close())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("access denied")
                    .hasMessageContaining("NotAuthenticated")
                    .hasMessageContaining("parameters.authentication")
                    .hasMessageNotContaining(key.lines().skip(1).findFirst().orElseThrow())
                    .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
        }
    }

    @Test
    void shouldAuthenticateWithASessionToken() throws Exception {
        OciCredentials session = OciCredentials.generate();
        String token = server.mintSessionToken(session.keyPair().getPublic(), Duration.ofHours(1),
                Map.of("sub", OciCredentials.USER, "tenant", OciCredentials.TENANCY));
        Path sessionConfig = session.writeSessionTokenConfig(dir.resolve("session"), "SESSION", "us-phoenix-1", token);
        try (ObjectStore withToken = open(bucketUri(), Map.of("authentication", "security_token",
                "config_file", sessionConfig.toString(), "profile", "SESSION"))) {
            byte[] data = bytes(1000, 2);
            ObjectInfo info = withToken.put("via-token", new ByteArrayInputStream(data), data.length);
            try (ObjectStream in = withToken.open("via-token", info.version(), 0, data.length)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void shouldRefuseAnExpiredSessionToken() throws Exception {
        OciCredentials session = OciCredentials.generate();
        String token = server.mintSessionToken(session.keyPair().getPublic(), Duration.ofSeconds(-60), Map.of());
        Path sessionConfig = session.writeSessionTokenConfig(dir.resolve("expired"), "EXPIRED", "us-phoenix-1", token);
        try (ObjectStore withToken = open(bucketUri(), Map.of("authentication", "security_token",
                "config_file", sessionConfig.toString(), "profile", "EXPIRED"))) {
            assertThatThrownBy(() -> withToken.list("").close())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("access denied")
                    .hasMessageNotContaining(token);
        }
    }

    @Test
    void shouldNameTheMissingConfigFile() {
        assertThatThrownBy(() -> open(bucketUri(), Map.of("config_file", dir.resolve("nowhere/config").toString())))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("user_principal")
                .hasMessageContaining("nowhere/config")
                .hasMessageContaining("parameters.config_file");
    }

    @Test
    void shouldNeverQuoteAConfigOrKeyFileItCouldNotUse() throws Exception {
        String canary = "canary-" + java.util.UUID.randomUUID();
        // what config_file: /proc/self/environ reads: one long line of NAME=value pairs
        Path environ = dir.resolve("environ");
        Files.writeString(environ, "PATH=/usr/bin\0FERRY_SECRET_OCI_PASSPHRASE=" + canary + "\0HOME=/root\0");
        Path noKeyFile = dir.resolve("no-key-file-config");
        Files.writeString(noKeyFile, "[DEFAULT]\nuser=ocid1.user.oc1..a\nfingerprint=aa:bb\ntenancy=ocid1.tenancy.oc1..a\n"
                + "region=us-phoenix-1\npass_phrase=" + canary + "\n");
        Path notAKey = dir.resolve("not-a-key.pem");
        Files.writeString(notAKey, canary + "\n");
        Path badKeyFile = dir.resolve("bad-key-file-config");
        Files.writeString(badKeyFile, "[DEFAULT]\nuser=ocid1.user.oc1..a\nfingerprint=aa:bb\ntenancy=ocid1.tenancy.oc1..a\n"
                + "region=us-phoenix-1\nkey_file=" + notAKey + "\npass_phrase=" + canary + "\n");
        for (Path config : List.of(environ, noKeyFile, badKeyFile, Path.of("/proc/self/environ"))) {
            assertThatThrownBy(() -> open(bucketUri(), Map.of("config_file", config.toString())))
                    .as(config.toString()).isInstanceOf(StorageException.class)
                    .hasMessageContaining(config == badKeyFile ? "key_file" : "OCI config file " + config)
                    .satisfies(e -> {
                        var trace = new java.io.StringWriter();
                        e.printStackTrace(new java.io.PrintWriter(trace));
                        assertThat(trace.toString()).doesNotContain(canary).doesNotContain("PATH=");
                    });
        }
    }

    @Test
    void shouldSaySoWhenTheBucketDoesNotExist() throws Exception {
        try (ObjectStore missing = open("oci://" + NAMESPACE + "/no-such-bucket/", Map.of())) {
            assertThatThrownBy(() -> missing.list("").close())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist in namespace 'ferrytest'");
        }
    }

    @Test
    void shouldHonourTheCompartmentTheJobNames() throws Exception {
        try (ObjectStore right = open(bucketUri(), Map.of("compartment_id", COMPARTMENT))) {
            assertThat(right.stat("absent")).isEmpty();
        }
        assertThatThrownBy(() -> open(bucketUri(), Map.of("compartment_id", "ocid1.compartment.oc1..elsewhere")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is in compartment " + COMPARTMENT + ", not in ocid1.compartment.oc1..elsewhere");
    }

    @Test
    void shouldRideOutThrottlingOfCallsWithoutABodyHonouringRetryAfter() throws Exception {
        put("t", bytes(10, 3));
        server.failNextRequests(2, 429, 1);
        long started = System.nanoTime();
        assertThat(store.stat("t")).isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldReportThrottledUploadsWithTheServersRetryAfter() {
        server.failNextRequests(1, 503, 7);
        byte[] data = bytes(100, 4);
        assertThatThrownBy(() -> store.put("busy", new ByteArrayInputStream(data), data.length))
                .isInstanceOf(ThrottledException.class)
                .satisfies(e -> assertThat(((ThrottledException) e).retryAfter()).isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void shouldFailAReadWhoseConnectionDropsMidBody() throws Exception {
        byte[] data = bytes(1 << 20, 5);
        ObjectInfo info = put("cut", data);
        server.cutNextReads(1);
        try (ObjectStream in = store.open("cut", info.version(), 0, data.length)) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
        }
        assertThat(read("cut")).isEqualTo(data);
    }

    @Test
    void shouldConfirmAWholePutByTheServersMd5() throws Exception {
        byte[] data = bytes(100_000, 6);
        assertThat(store.put("confirmed", new ByteArrayInputStream(data), data.length, ObjectAttributes.NONE).storedAsSent())
                .isTrue();
    }

    @Test
    void shouldWriteTheStorageTierAndKeepTimestampsInRcloneFormat() throws Exception {
        try (ObjectStore archive = open(bucketUri() + "tiered/", Map.of("storage_tier", "infrequent_access"))) {
            var mp = (SupportsMultipartUpload) archive;
            var modified = Instant.parse("2024-01-15T10:00:00.123456789Z");
            String id = mp.startUpload("m", new ObjectAttributes("model/x", Map.of(), modified));
            mp.writePart("m", id, 0, 0, new ByteArrayInputStream(new byte[] {1, 2}), 2);
            ObjectInfo done = mp.completeUpload("m", id, 1, 2).object();
            assertThat(tierOf(archive, "m")).isEqualTo("InfrequentAccess");
            try (ObjectStream in = archive.open("m", done.version(), 0, 0)) {
                assertThat(in.attributes().modified()).isEqualTo(modified);
                assertThat(in.attributes().contentType()).isEqualTo("model/x");
            }
        }
    }

    @Test
    void shouldMoveObjectsToTheArchiveTierOnlyOnceSettled() throws Exception {
        try (ObjectStore archive = open(bucketUri() + "archive/", Map.of("storage_tier", "archive"))) {
            byte[] data = bytes(5000, 8);
            ObjectInfo info = archive.put("a", new ByteArrayInputStream(data), data.length);
            // still readable, so the copy can be read back and verified
            try (ObjectStream in = archive.open("a", info.version(), 0, data.length)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            assertThat(tierOf(archive, "a")).isEqualTo("Standard");
            ((SupportsSettling) archive).settle("a", info.version());
            assertThat(tierOf(archive, "a")).isEqualTo("Archive");
            assertThatThrownBy(() -> ((SupportsSettling) archive).settle("a", "another-version"))
                    .hasMessageContaining("changed before it could be archived");
        }
    }

    /** The tier the server keeps the object at. */
    private static String tierOf(ObjectStore store, String key) {
        OciOptions options = ((OciObjectStore) store).options();
        return server.storageTier(options.bucket(), options.objectName(key));
    }

    @Test
    void shouldRejectBadParametersNamingEach() {
        assertThatThrownBy(() -> open("oci://" + NAMESPACE + "/b/", Map.of("storage_tier", "glacier",
                "authentication", "password", "encryption", "rot13", "kms_key_id", "key-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameters.storage_tier")
                .hasMessageContaining("parameters.authentication")
                .hasMessageContaining("parameters.encryption")
                .hasMessageContaining("parameters.kms_key_id");
        assertThatThrownBy(() -> open("oci://" + NAMESPACE + "/", Map.of()))
                .hasMessageContaining("needs a bucket");
    }

    @Test
    void shouldExplainWhatEachPlatformModeNeedsWhenRunOffItsPlatform() {
        for (String mode : List.of("resource_principal", "workload_identity")) {
            var options = OciOptions.of(StorageUri.parse("oci://ns/bucket/"), Map.of("authentication", mode,
                    "region", "us-phoenix-1"));
            assertThatThrownBy(() -> OciAuth.provider(options, Map.of(), name -> null))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("authentication " + mode)
                    .hasMessageContaining(mode.equals("resource_principal") ? "OCI_RESOURCE_PRINCIPAL_VERSION"
                            : "KUBERNETES_SERVICE_HOST");
        }
    }
}
