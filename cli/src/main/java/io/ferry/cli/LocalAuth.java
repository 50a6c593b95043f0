package io.ferry.cli;

import io.ferry.auth.Grants;
import io.ferry.auth.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Local mode's identity provider: a signing key made on the first start and kept (so tokens stay
 * valid across restarts), its public half for the services, and an administrator's token for the
 * CLI, all readable by their owner only except the public key.
 */
final class LocalAuth {
    static final String DIR = "auth";
    static final String SIGNING_KEY = "signing-key.pem";
    static final String PUBLIC_KEY = "public-key.pem";
    static final String TOKEN = "token";
    static final String METRICS_TOKEN = "metrics-token";
    /** Local mode's administrator: every action in every namespace, and the metrics. */
    static final List<String> ADMIN = List.of("*:*", Grants.METRICS);
    private static final Duration LIFETIME = Duration.ofDays(30);

    private LocalAuth() {
    }

    /** Makes (or reuses) the key in {@code dir}, writes its public half and a fresh admin token; returns the token. */
    static String prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve(SIGNING_KEY);
        SigningKey key;
        if (Files.exists(keyFile)) {
            key = SigningKey.read(keyFile);
        } else {
            key = SigningKey.generate();
            key.writePrivateKey(keyFile);
        }
        key.writePublicKey(dir.resolve(PUBLIC_KEY));
        String token = key.token("ferry-local-admin", ADMIN, Instant.now(), LIFETIME);
        SigningKey.writeOwnerOnly(dir.resolve(TOKEN), token + "\n");
        return token;
    }

    /**
     * Writes a token holding only the metrics group, valid a year, for a Prometheus that runs as
     * another user: readable by all, unlike the administrator's. Needs the key {@link #prepare} made.
     */
    static Path writeMetricsToken(Path dir) throws IOException {
        String token = SigningKey.read(dir.resolve(SIGNING_KEY)).token("prometheus", List.of(Grants.METRICS), Instant.now(),
                Duration.ofDays(365));
        Path file = dir.resolve(METRICS_TOKEN);
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }
}
