package io.ferry.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An RSA key that signs Ferry's own bearer tokens (RS256 JWTs) where no identity provider issues
 * them: local mode, the tests, and operators who run {@code ferry token}. The services verify with
 * the public half ({@code mp.jwt.verify.publickey.location}) and the issuer
 * ({@code mp.jwt.verify.issuer}); any OIDC issuer's tokens work the same way.
 */
public final class SigningKey {
    /** The issuer Ferry's own tokens carry, and the services expect unless configured otherwise. */
    public static final String ISSUER = "ferry";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey privateKey;

    private SigningKey(PrivateKey privateKey) {
        this.privateKey = privateKey;
    }

    /** A new 2048-bit key. */
    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate RSA keys", e);
        }
    }

    /** Reads a PKCS#8 PEM private key, as {@link #writePrivateKey} writes it. */
    public static SigningKey read(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return new SigningKey(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // the file's content is a secret: not quoted
            throw new IOException(pem + " is not a PKCS#8 PEM RSA private key");
        }
    }

    /** The public half, which the services verify tokens with. */
    public PublicKey publicKey() {
        try {
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("cannot derive the public key", e);
        }
    }

    /** Writes the private key as PKCS#8 PEM, readable by its owner only. */
    public void writePrivateKey(Path file) throws IOException {
        writeOwnerOnly(file, pem("PRIVATE KEY", privateKey.getEncoded()));
    }

    /** Writes the public key as X.509 PEM, the form {@code mp.jwt.verify.publickey.location} reads. */
    public void writePublicKey(Path file) throws IOException {
        Files.writeString(file, pem("PUBLIC KEY", publicKey().getEncoded()), StandardCharsets.US_ASCII);
    }

    /**
     * A signed token for {@code subject} with {@code groups} (see {@link Grants}), valid from
     * {@code now} for {@code lifetime}.
     */
    public String token(String subject, List<String> groups, Instant now, Duration lifetime) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", groups);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String signed = URL.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")))
                    + "." + URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + URL.encodeToString(rs256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** Writes text to a file only its owner can read, created that way (never briefly readable by others). */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
