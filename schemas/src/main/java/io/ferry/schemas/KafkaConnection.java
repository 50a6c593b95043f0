package io.ferry.schemas;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * How a service reaches Kafka: the bootstrap servers and the client security settings (TLS, SASL)
 * an operator sets as {@code kafka.security.protocol}, {@code kafka.sasl.*} and {@code kafka.ssl.*},
 * the same keys every Kafka client takes. Every client a service builds itself starts from
 * {@link #properties()}; the Kafka Streams apps get the same keys through their Quarkus settings.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> security) {
    private static final String PREFIX = "kafka.";
    /**
     * Looked up by name as well as found among the names: set as environment variables
     * ({@code KAFKA_SASL_JAAS_CONFIG}), they are not listed under their dotted names.
     */
    public static final List<String> STANDARD_KEYS = List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "sasl.client.callback.handler.class", "sasl.login.callback.handler.class", "sasl.oauthbearer.token.endpoint.url",
            "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.certificates",
            "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.key",
            "ssl.keystore.certificate.chain", "ssl.key.password", "ssl.endpoint.identification.algorithm", "ssl.protocol",
            "ssl.enabled.protocols");

    public KafkaConnection {
        Require.present(bootstrapServers, "kafka.bootstrap.servers");
        security = Map.copyOf(security);
    }

    /** A connection with no security settings (PLAINTEXT): tests and tools on loopback. */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * Reads {@code kafka.bootstrap.servers} and the security keys from a service's configuration.
     *
     * @param names every configuration name
     * @param value a name's value, empty when unset or blank
     */
    public static KafkaConnection fromConfig(Iterable<String> names, Function<String, Optional<String>> value) {
        Set<String> keys = new TreeSet<>(STANDARD_KEYS);
        for (String name : names) {
            if (name.startsWith(PREFIX) && isSecurity(name.substring(PREFIX.length()))) {
                keys.add(name.substring(PREFIX.length()));
            }
        }
        Map<String, String> security = new TreeMap<>();
        for (String key : keys) {
            value.apply(PREFIX + key).filter(v -> !v.isBlank()).ifPresent(v -> security.put(key, v));
        }
        return new KafkaConnection(value.apply(PREFIX + "bootstrap.servers").orElse(null), security);
    }

    /** The security settings among a client's configuration (a Kafka Streams app's, for its dead-letter parker). */
    public static Map<String, Object> securityOf(Map<String, ?> clientConfigs) {
        Map<String, Object> security = new TreeMap<>();
        clientConfigs.forEach((key, value) -> {
            if (isSecurity(key) && value != null) {
                security.put(key, value);
            }
        });
        return security;
    }

    static boolean isSecurity(String clientKey) {
        return clientKey.equals("security.protocol") || clientKey.startsWith("sasl.") || clientKey.startsWith("ssl.");
    }

    /** Bootstrap servers and security settings, for a producer, consumer or admin client to add its own to. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(security);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** The security protocol, for a log line; never a credential. */
    @Override
    public String toString() {
        return bootstrapServers + " (" + security.getOrDefault("security.protocol", "PLAINTEXT") + ")";
    }
}
