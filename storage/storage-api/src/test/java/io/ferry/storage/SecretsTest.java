package io.ferry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void shouldPreferAMountedFileOverTheEnvironment() throws Exception {
        Files.createDirectories(dir.resolve("aws-credentials"));
        Files.writeString(dir.resolve("aws-credentials/access_key_id"), "from-file\n");
        var secrets = new Secrets(Map.of(Secrets.DIR_SETTING, dir.toString()),
                Map.of("FERRY_SECRET_AWS_CREDENTIALS_ACCESS_KEY_ID", "from-env")::get);
        assertThat(secrets.require("access_key_id_secret", "aws-credentials", List.of("access_key_id"))).isEqualTo("from-file");
    }

    @Test
    void shouldFallBackToTheEnvironmentWithANormalisedName() {
        var secrets = new Secrets(Map.of(Secrets.DIR_SETTING, dir.toString()),
                Map.of("FERRY_SECRET_AWS_CREDENTIALS_SECRET_ACCESS_KEY", "s3cr3t")::get);
        assertThat(secrets.require("secret_access_key_secret", "aws-credentials",
                List.of("AWS_SECRET_ACCESS_KEY", "secret_access_key"))).isEqualTo("s3cr3t");
    }

    @Test
    void shouldNameTheParameterAndPlacesButNoValueWhenMissing() {
        var secrets = new Secrets(Map.of(Secrets.DIR_SETTING, dir.toString()), k -> null);
        assertThatThrownBy(() -> secrets.require("access_key_id_secret", "nope", List.of("access_key_id")))
                .hasMessageContaining("parameters.access_key_id_secret")
                .hasMessageContaining("FERRY_SECRET_NOPE_ACCESS_KEY_ID")
                .hasMessageContaining(dir.resolve("nope").toString());
    }

    @Test
    void shouldRefuseANameThatIsAPath() {
        var secrets = new Secrets(Map.of(Secrets.DIR_SETTING, dir.toString()), k -> null);
        assertThatThrownBy(() -> secrets.find("../etc", List.of("passwd"))).isInstanceOf(IllegalArgumentException.class);
    }
}
