package io.ferry.deployment;

import io.ferry.schemas.KafkaConnection;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service's configuration is, read from the code: its {@code application.properties}
 * (names set and names referenced in {@code ${...}}), the shared authentication settings, its
 * {@code @ConfigMapping} interfaces (every method a property, a {@code Map} a family of them), and
 * the Kafka client keys {@link KafkaConnection} looks up. A deployment file may set only these.
 */
record ServiceConfig(String module, int httpPort, Set<String> properties, Set<String> families, Properties defaults) {
    static final Path HOME = Path.of(System.getProperty("ferry.home", "../..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("ferry.version");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)");
    /** Set by the base image's run-java.sh, not by Quarkus. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO", "JAVA_APP_JAR");
    /** Quarkus's own runtime settings a deployment may set: more configuration files. */
    static final Set<String> QUARKUS_RUNTIME = Set.of("quarkus.config.locations");
    /** Named secrets given in the environment (storage-api's Secrets). */
    static final String SECRET_VARIABLES = "FERRY_SECRET_";

    static final ServiceConfig SCANNER = of("scanner-service", List.of("io.ferry.scanner.ScannerConfig"), true);
    static final ServiceConfig TRANSFER = of("transfer-service", List.of("io.ferry.transfer.TransferConfig"), false);
    static final ServiceConfig VERIFIER = of("verifier-service",
            List.of("io.ferry.verifier.VerifierService$Topics", "io.ferry.verifier.VerifierService$Shutdown"), true);
    static final List<ServiceConfig> ALL = List.of(SCANNER, TRANSFER, VERIFIER);

    static ServiceConfig of(String module, List<String> mappings, boolean streamsApp) {
        try {
            Properties app = load(HOME.resolve(module).resolve("src/main/resources/application.properties"));
            Properties auth = load(HOME.resolve("auth/src/main/resources/META-INF/microprofile-config.properties"));
            Set<String> properties = new TreeSet<>();
            Set<String> families = new TreeSet<>();
            for (Properties p : List.of(app, auth)) {
                for (String name : p.stringPropertyNames()) {
                    if (!name.startsWith("%")) {
                        properties.add(name);
                    }
                    Matcher m = REFERENCE.matcher(p.getProperty(name));
                    while (m.find()) {
                        properties.add(m.group(1));
                    }
                }
            }
            properties.add("kafka.bootstrap.servers");
            properties.addAll(QUARKUS_RUNTIME);
            KafkaConnection.STANDARD_KEYS.forEach(k -> properties.add("kafka." + k));
            if (streamsApp) {
                // quarkus-kafka-streams hands every kafka-streams.* property to Kafka Streams
                families.add("kafka-streams.");
            }
            for (String mapping : mappings) {
                Class<?> type = Class.forName(mapping);
                walk(type, type.getAnnotation(ConfigMapping.class).prefix(), properties, families);
            }
            return new ServiceConfig(module, Integer.parseInt(app.getProperty("quarkus.http.port")), properties, families, app);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read the configuration of " + module, e);
        }
    }

    private static void walk(Class<?> type, String prefix, Set<String> properties, Set<String> families) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
                continue;
            }
            String name = prefix + "." + kebab(m.getName());
            Class<?> result = m.getReturnType();
            if (Map.class.isAssignableFrom(result)) {
                families.add(name + ".");
            } else if (result.isInterface() && result.getName().startsWith("io.ferry")) {
                walk(result, name, properties, families);
            } else {
                properties.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    /** The environment variable MicroProfile Config reads a property from. */
    static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Whether this service reads the property (a {@code -D} option or a properties file key). */
    boolean reads(String property) {
        String unquoted = property.replace("\"", "");
        return properties.contains(property) || families.stream().anyMatch(unquoted::startsWith);
    }

    /** Whether this service reads the environment variable, as a property or as the image's or a named secret's. */
    boolean readsVariable(String variable) {
        return IMAGE_VARIABLES.contains(variable) || variable.startsWith(SECRET_VARIABLES)
                || properties.stream().anyMatch(p -> environmentName(p).equals(variable))
                || families.stream().anyMatch(f -> variable.startsWith(environmentName(f)));
    }

    /** The image this service is published as, with the project's version. */
    String image() {
        return "ferry/" + module + ":" + VERSION;
    }

    /** The default of a property set in application.properties as {@code ${name:default}} somewhere, e.g. ferry.data-dir. */
    String referencedDefault(String property) {
        Pattern p = Pattern.compile("\\$\\{" + Pattern.quote(property) + ":([^}$]+)}");
        for (String name : defaults.stringPropertyNames()) {
            Matcher m = p.matcher(defaults.getProperty(name));
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException(module + " has no default for " + property);
    }
}
