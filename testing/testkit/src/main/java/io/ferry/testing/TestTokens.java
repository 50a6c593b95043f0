package io.ferry.testing;

import io.ferry.auth.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Bearer tokens for tests, signed by one key per test JVM. The services under test verify them
 * with {@link #publicKeyFile()} ({@link AuthTestResource} configures a {@code @QuarkusTest}).
 */
public final class TestTokens {
    private static final SigningKey KEY = SigningKey.generate();
    private static Path publicKey;

    private TestTokens() {
    }

    /** The PEM file of the public key, written once per JVM. */
    public static synchronized Path publicKeyFile() {
        if (publicKey == null) {
            try {
                Path file = Files.createTempFile("ferry-test-token-key-", ".pem");
                file.toFile().deleteOnExit();
                KEY.writePublicKey(file);
                publicKey = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKey;
    }

    /** A token for {@code subject} with these groups, valid for an hour. */
    public static String token(String subject, String... groups) {
        return KEY.token(subject, List.of(groups), Instant.now(), Duration.ofHours(1));
    }

    /** A token of the test key that expired an hour ago. */
    public static String expired(String subject, String... groups) {
        return KEY.token(subject, List.of(groups), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    }

    /** An {@code Authorization} header value for an administrator of every namespace. */
    public static String admin() {
        return "Bearer " + token("test-admin", "*:*");
    }
}
