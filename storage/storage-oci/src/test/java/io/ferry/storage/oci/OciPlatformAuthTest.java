package io.ferry.storage.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.oci.server.OciCredentials;
import io.ferry.oci.server.OciServer;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.StorageUri;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modes that depend on where Ferry runs, exercised off-cloud as far as the SDK allows: instance
 * principals against the local server playing the instance metadata service and the federation
 * endpoint (the SDK takes both as overrides), and resource principals (version 2.2: a token and a
 * key handed over in the environment) whose token the local server issued. Every Object Storage
 * request is then signed with the session key the token binds, and checked.
 */
class OciPlatformAuthTest {
    static final String NAMESPACE = "ferryplatform";

    @TempDir
    static Path dir;
    static OciServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OciServer.start(dir.resolve("data"), 0, NAMESPACE);
        server.createBucket("models", "ocid1.compartment.oc1..platform");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAuthenticateAsTheInstanceThroughMetadataAndFederation() throws Exception {
        var identity = instanceCertificate();
        server.playInstance("us-phoenix-1", pem("CERTIFICATE", identity.certificate().getEncoded()),
                pem("PRIVATE KEY", identity.key().getEncoded()), identity.certificate().getPublicKey());
        long before = server.federatedTokens();
        try (ObjectStore store = open("instance_principal", Map.of(
                OciAuth.METADATA_BASE_URL_SETTING, server.endpoint() + "/opc/v2",
                OciAuth.FEDERATION_ENDPOINT_SETTING, server.endpoint()), name -> null)) {
            assertRoundTrip(store, "as-instance");
        }
        assertThat(server.federatedTokens()).isGreaterThan(before);
    }

    @Test
    void shouldAuthenticateAsAResourceWithTheTokenAndKeyItWasGiven() throws Exception {
        OciCredentials session = OciCredentials.generate();
        String token = server.mintSessionToken(session.keyPair().getPublic(), Duration.ofHours(1), Map.of(
                "res_type", "datasciencejob", "res_tenant", OciCredentials.TENANCY,
                "res_compartment", "ocid1.compartment.oc1..platform", "res_id", "ocid1.datasciencejob.oc1..ferry"));
        Path key = session.writePrivateKey(dir.resolve("rp/private.pem"));
        Map<String, String> environment = Map.of(
                OciAuth.RESOURCE_PRINCIPAL_VERSION, "2.2",
                OciAuth.RESOURCE_PRINCIPAL_RPST, token,
                OciAuth.RESOURCE_PRINCIPAL_PRIVATE_PEM, key.toString(),
                OciAuth.RESOURCE_PRINCIPAL_REGION, "us-ashburn-1");
        try (ObjectStore store = open("resource_principal", Map.of(), environment::get)) {
            assertRoundTrip(store, "as-resource");
        }
    }

    static ObjectStore open(String authentication, Map<String, String> settings, Function<String, String> environment)
            throws Exception {
        var options = OciOptions.of(StorageUri.parse("oci://" + NAMESPACE + "/models/" + authentication + "/"),
                Map.of("endpoint", server.endpoint(), "authentication", authentication));
        return OciStoreProvider.open(options, settings, environment);
    }

    static void assertRoundTrip(ObjectStore store, String key) throws Exception {
        byte[] data = key.getBytes(StandardCharsets.UTF_8);
        ObjectInfo info = store.put(key, new ByteArrayInputStream(data), data.length);
        try (ObjectStream in = store.open(key, info.version(), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    record Identity(X509Certificate certificate, PrivateKey key) {
    }

    /**
     * An instance's identity certificate as OCI issues one: the tenancy in an {@code opc-tenant} OU of
     * the subject, which is where the SDK reads it from. Made with the JDK's keytool.
     */
    static Identity instanceCertificate() throws Exception {
        Path keystore = dir.resolve("instance-" + System.nanoTime() + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "instance", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=ocid1.instance.oc1..ferrytest, OU=opc-certtype:instance,"
                        + " OU=opc-compartment:ocid1.compartment.oc1..platform, OU=opc-instance:ocid1.instance.oc1..ferrytest,"
                        + " OU=opc-tenant:" + OciCredentials.TENANCY,
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        return new Identity((X509Certificate) store.getCertificate("instance"),
                (PrivateKey) store.getKey("instance", "changeit".toCharArray()));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
