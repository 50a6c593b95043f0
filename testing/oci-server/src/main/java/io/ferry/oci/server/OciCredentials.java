package io.ferry.oci.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A freshly generated API signing key with the identifiers OCI gives one (tenancy and user OCIDs, key
 * fingerprint), and the config files the OCI SDK and CLI read, for tests, benchmarks and local mode.
 */
public final class OciCredentials {
    public static final String TENANCY = "ocid1.tenancy.oc1..ferrytest";
    public static final String USER = "ocid1.user.oc1..ferrytest";

    private final KeyPair keyPair;
    private final String fingerprint;

    private OciCredentials(KeyPair keyPair) {
        this.keyPair = keyPair;
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(keyPair.getPublic().getEncoded());
            this.fingerprint = HexFormat.ofDelimiter(":").formatHex(md5);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** A new 2048-bit RSA key. */
    public static OciCredentials generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new OciCredentials(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has RSA", e);
        }
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The key id requests signed with this key carry: {@code tenancy/user/fingerprint}. */
    public String keyId() {
        return TENANCY + "/" + USER + "/" + fingerprint;
    }

    /** Writes the private key as an unencrypted PKCS#8 PEM file readable by its owner only. */
    public Path writePrivateKey(Path file) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keyPair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, pem);
        restrict(file);
        return file;
    }

    /**
     * Writes an OCI config file with an API-key profile ({@code user_principal}), the private key
     * beside it.
     */
    public Path writeApiKeyConfig(Path dir, String profile, String region) throws IOException {
        Path key = writePrivateKey(dir.resolve("oci_api_key.pem"));
        return appendProfile(dir.resolve("config"), profile, "user=" + USER + "\nfingerprint=" + fingerprint
                + "\ntenancy=" + TENANCY + "\nregion=" + region + "\nkey_file=" + key + "\n");
    }

    /**
     * Writes an OCI config file with a session-token profile ({@code security_token}), as
     * {@code oci session authenticate} leaves one: the token and the private key in files beside it.
     */
    public Path writeSessionTokenConfig(Path dir, String profile, String region, String token) throws IOException {
        Path key = writePrivateKey(dir.resolve(profile + "-session.pem"));
        Path tokenFile = dir.resolve(profile + "-token");
        Files.writeString(tokenFile, token);
        restrict(tokenFile);
        return appendProfile(dir.resolve("config"), profile, "fingerprint=" + fingerprint + "\ntenancy=" + TENANCY
                + "\nregion=" + region + "\nkey_file=" + key + "\nsecurity_token_file=" + tokenFile + "\n");
    }

    private static Path appendProfile(Path config, String profile, String body) throws IOException {
        String existing = Files.exists(config) ? Files.readString(config) + "\n" : "";
        Files.writeString(config, existing + "[" + profile + "]\n" + body);
        restrict(config);
        return config;
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the file is still written; only its mode is left as it is
        }
    }
}
