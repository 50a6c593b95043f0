package io.ferry.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves a job's reference to a named secret ({@code access_key_id_secret: aws-credentials})
 * to the value of one of its keys. A job never holds a secret, only its name; the value comes from
 * the process that opens the store:
 * <ol>
 *   <li>a file {@code <secrets-dir>/<name>/<key>}, as Kubernetes mounts a Secret volume
 *       ({@code ferry.storage.secrets-dir}, default {@value #DEFAULT_DIR});</li>
 *   <li>an environment variable {@code FERRY_SECRET_<NAME>_<KEY>}, upper case, every character
 *       that is not a letter or digit as {@code _}.</li>
 * </ol>
 * Values never appear in an error message; names and places do.
 */
public final class Secrets {
    public static final String DIR_SETTING = "secrets-dir";
    public static final String DEFAULT_DIR = "/var/run/secrets/ferry";

    private final Path dir;
    private final Function<String, String> environment;

    public Secrets(Map<String, String> settings, Function<String, String> environment) {
        this.dir = Path.of(settings.getOrDefault(DIR_SETTING, DEFAULT_DIR));
        this.environment = environment;
    }

    /** Secrets from the process environment and the configured directory. */
    public static Secrets of(Map<String, String> settings) {
        return new Secrets(settings, System::getenv);
    }

    /**
     * The value of the first of {@code keys} that secret {@code name} holds.
     *
     * @param parameter the job parameter that named the secret, for the error message
     * @throws IllegalArgumentException naming the parameter and every place looked at
     */
    public String require(String parameter, String name, List<String> keys) {
        return find(name, keys).orElseThrow(() -> new IllegalArgumentException("parameters." + parameter + ": secret '"
                + name + "' has none of the keys " + keys + " (looked in " + dir.resolve(name) + "/ and in "
                + keys.stream().map(k -> envName(name, k)).toList() + ")"));
    }

    /** Like {@link #require} but empty when the secret has none of the keys. */
    public Optional<String> find(String name, List<String> keys) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("secret name '" + name + "' is not a plain name");
        }
        for (String key : keys) {
            Path file = dir.resolve(name).resolve(key);
            if (Files.isRegularFile(file)) {
                try {
                    return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
                } catch (IOException e) {
                    throw new IllegalArgumentException("secret file " + file + " is unreadable: " + e.getMessage());
                }
            }
            String value = environment.apply(envName(name, key));
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    static String envName(String name, String key) {
        return ("FERRY_SECRET_" + name + "_" + key).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
