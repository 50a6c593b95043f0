package io.ferry.kafka.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A secured broker's TLS certificate (for 127.0.0.1, made by the JDK's keytool, with a trust store
 * holding it) and its one SCRAM-SHA-512 user, with the settings the broker and its clients need.
 * Passwords are random per broker and live only in its data directory and these settings.
 */
final class BrokerSecurity {
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String USER = "ferry";

    private final Path keyStore;
    private final Path trustStore;
    private final String storePassword;
    private final String userPassword;

    private BrokerSecurity(Path keyStore, Path trustStore, String storePassword, String userPassword) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.storePassword = storePassword;
        this.userPassword = userPassword;
    }

    /** Makes a key pair and certificate for 127.0.0.1 and a trust store holding it, in {@code dir}. */
    static BrokerSecurity create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String storePassword = random();
        Path keyStore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("truststore.p12");
        for (Path p : List.of(keyStore, certificate, trustStore)) {
            Files.deleteIfExists(p);
        }
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", storePassword,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
        return new BrokerSecurity(keyStore, trustStore, storePassword, random());
    }

    /** The {@code --add-scram} argument that creates the user when the storage is formatted. */
    String scramCredential() {
        return MECHANISM + "=[name=" + USER + ",password=" + userPassword + "]";
    }

    /** The broker's settings for its SASL_SSL listener. */
    Map<String, String> brokerProperties() {
        return Map.of(
                "sasl.enabled.mechanisms", MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", keyStore.toString(),
                "ssl.keystore.password", storePassword,
                "ssl.key.password", storePassword);
    }

    /** What a client needs: SASL_SSL, SCRAM-SHA-512 as the user, the broker's certificate trusted. */
    Map<String, String> clientProperties() {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                        + "\" password=\"" + userPassword + "\";",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", trustStore.toString(),
                "ssl.truststore.password", storePassword);
    }

    private static String random() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            // the arguments hold the store password: only the command's first words are named
            throw new IOException("keytool " + args[0] + " failed: " + output.strip());
        }
    }
}
