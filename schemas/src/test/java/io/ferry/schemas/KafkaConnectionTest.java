package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
    @Test
    void shouldTakeTheSecuritySettingsListedOrOnlyLookedUpAndNothingElse() {
        // sasl.jaas.config is not among the names, as when it is set as KAFKA_SASL_JAAS_CONFIG
        Map<String, String> config = Map.of("kafka.bootstrap.servers", "b:9093", "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.jaas.config", "ScramLoginModule required;", "kafka.ssl.truststore.location", "/t.p12",
                "kafka.ssl.cipher.suites", "TLS_AES_256_GCM_SHA384", "kafka.ssl.truststore.password", " ",
                "kafka.client.id", "not-security", "kafka-streams.state.dir", "/x");
        List<String> listed = config.keySet().stream().filter(k -> !k.equals("kafka.sasl.jaas.config")).toList();
        KafkaConnection c = KafkaConnection.fromConfig(listed, name -> Optional.ofNullable(config.get(name)));
        assertThat(c.bootstrapServers()).isEqualTo("b:9093");
        assertThat(c.security()).containsOnlyKeys("security.protocol", "sasl.jaas.config", "ssl.truststore.location",
                "ssl.cipher.suites");
        assertThat(c.properties()).containsEntry("bootstrap.servers", "b:9093").containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.toString()).isEqualTo("b:9093 (SASL_SSL)").doesNotContain("ScramLoginModule");
    }

    @Test
    void shouldPickTheSecuritySettingsOutOfAStreamsAppsConfiguration() {
        assertThat(KafkaConnection.securityOf(Map.of("security.protocol", "SSL", "ssl.truststore.location", "/t",
                "application.id", "ferry-verifier", "bootstrap.servers", "b:1"))).containsOnlyKeys("security.protocol",
                "ssl.truststore.location");
    }
}
