package io.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
    @TempDir
    Path dir;

    @Test
    void shouldSignATokenItsPublicKeyVerifiesWithTheClaimsTheServicesRead() throws Exception {
        SigningKey key = SigningKey.generate();
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        String token = key.token("alice", List.of("submit:ml", "read:ml"), now, Duration.ofHours(1));

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key.publicKey());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        Map<?, ?> header = new ObjectMapper().readValue(Base64.getUrlDecoder().decode(parts[0]), Map.class);
        assertThat(header.get("alg")).isEqualTo("RS256");
        Map<?, ?> claims = new ObjectMapper().readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
        assertThat(claims.get("iss")).isEqualTo(SigningKey.ISSUER);
        assertThat(claims.get("sub")).isEqualTo("alice");
        assertThat(claims.get("groups")).isEqualTo(List.of("submit:ml", "read:ml"));
        assertThat(((Number) claims.get("exp")).longValue()).isEqualTo(now.getEpochSecond() + 3600);
    }

    @Test
    void shouldReadBackTheKeyItWroteForItsOwnerOnly() throws Exception {
        SigningKey key = SigningKey.generate();
        Path file = dir.resolve("signing-key.pem");
        key.writePrivateKey(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(SigningKey.read(file).publicKey()).isEqualTo(key.publicKey());
        key.writePublicKey(dir.resolve("public.pem"));
        assertThat(Files.readString(dir.resolve("public.pem"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
    }

    @Test
    void shouldRefuseAFileThatIsNotAKeyWithoutQuotingIt() throws IOException {
        Path file = dir.resolve("not-a-key.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\ncanary-value\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> SigningKey.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not-a-key.pem").hasMessageNotContaining("canary");
    }
}
