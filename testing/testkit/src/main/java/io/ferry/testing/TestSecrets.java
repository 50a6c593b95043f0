package io.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes secrets the way Ferry reads them from its secrets directory: one folder a secret, one file a key. */
public final class TestSecrets {
    private TestSecrets() {
    }

    /** Writes the S3 key pair secret {@code name} under {@code secretsDir}. */
    public static void writeS3(Path secretsDir, String name, String keyId, String secret) throws IOException {
        Path dir = Files.createDirectories(secretsDir.resolve(name));
        Files.writeString(dir.resolve("access_key_id"), keyId);
        Files.writeString(dir.resolve("secret_access_key"), secret);
    }
}
