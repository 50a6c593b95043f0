package io.ferry.storage.oci;

import com.oracle.bmc.ConfigFileReader;
import com.oracle.bmc.auth.BasicAuthenticationDetailsProvider;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.auth.InstancePrincipalsAuthenticationDetailsProvider;
import com.oracle.bmc.auth.ResourcePrincipalAuthenticationDetailsProvider;
import com.oracle.bmc.auth.SessionTokenAuthenticationDetailsProvider;
import com.oracle.bmc.auth.okeworkloadidentity.OkeWorkloadIdentityAuthenticationDetailsProvider;
import io.ferry.storage.StorageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the SDK's authentication provider for a job's {@code authentication} parameter. The modes
 * that depend on where Ferry runs are checked first against what they need from the environment, so
 * that off their platform they fail with a message saying what is missing instead of an SDK timeout.
 * Messages name files and variables, never a key, token or passphrase.
 */
final class OciAuth {
    static final String RESOURCE_PRINCIPAL_VERSION = "OCI_RESOURCE_PRINCIPAL_VERSION";
    static final String RESOURCE_PRINCIPAL_RPST = "OCI_RESOURCE_PRINCIPAL_RPST";
    static final String RESOURCE_PRINCIPAL_PRIVATE_PEM = "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM";
    static final String RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE = "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE";
    static final String RESOURCE_PRINCIPAL_REGION = "OCI_RESOURCE_PRINCIPAL_REGION";
    /** Setting ({@code ferry.storage.oci-metadata-base-url}): where instance principals ask for the instance's identity. */
    static final String METADATA_BASE_URL_SETTING = "oci-metadata-base-url";
    /** Setting ({@code ferry.storage.oci-federation-endpoint}): where instance principals exchange it for a token. */
    static final String FEDERATION_ENDPOINT_SETTING = "oci-federation-endpoint";
    static final String KUBERNETES_SERVICE_HOST = "KUBERNETES_SERVICE_HOST";
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private OciAuth() {
    }

    /**
     * @param environment the process environment (a function so tests can stand in for a platform)
     * @throws StorageException (not retryable) when the mode cannot work here
     */
    static BasicAuthenticationDetailsProvider provider(OciOptions options, Map<String, String> settings,
            Function<String, String> environment) throws StorageException {
        OciAuthentication mode = options.authentication();
        String what = "authentication " + mode.parameterValue() + " for " + options.location();
        try {
            return switch (mode) {
                case USER_PRINCIPAL -> new ConfigFileAuthenticationDetailsProvider(
                        usable(configFile(options, what), options, "user", "fingerprint", "tenancy", "key_file"));
                case SECURITY_TOKEN -> new SessionTokenAuthenticationDetailsProvider(
                        usable(configFile(options, what), options, "tenancy", "key_file", "security_token_file"));
                case INSTANCE_PRINCIPAL -> {
                    var builder = InstancePrincipalsAuthenticationDetailsProvider.builder();
                    if (settings.containsKey(METADATA_BASE_URL_SETTING)) {
                        builder.metadataBaseUrl(settings.get(METADATA_BASE_URL_SETTING));
                    }
                    if (settings.containsKey(FEDERATION_ENDPOINT_SETTING)) {
                        builder.federationEndpoint(settings.get(FEDERATION_ENDPOINT_SETTING));
                    }
                    yield builder.build();
                }
                case RESOURCE_PRINCIPAL -> {
                    String version = environment.apply(RESOURCE_PRINCIPAL_VERSION);
                    if (version == null) {
                        throw new StorageException(what + ": " + RESOURCE_PRINCIPAL_VERSION + " is not set; resource"
                                + " principals exist only where OCI provides them (Functions, Data Science, OKE with a"
                                + " resource principal)", false);
                    }
                    if (version.equals("2.2")) {
                        // What the SDK's build() does for 2.2, given the environment rather than reading it itself.
                        yield ResourcePrincipalAuthenticationDetailsProvider.ResourcePrincipalAuthenticationDetailsProviderBuilder
                                .build_2_2(require(environment, RESOURCE_PRINCIPAL_PRIVATE_PEM, what),
                                        environment.apply(RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE),
                                        require(environment, RESOURCE_PRINCIPAL_RPST, what),
                                        require(environment, RESOURCE_PRINCIPAL_REGION, what), "environment variable");
                    }
                    yield ResourcePrincipalAuthenticationDetailsProvider.builder().build();
                }
                case WORKLOAD_IDENTITY -> {
                    if (environment.apply(KUBERNETES_SERVICE_HOST) == null || !Files.isReadable(SERVICE_ACCOUNT_TOKEN)) {
                        throw new StorageException(what + ": needs a pod on OKE with a service account token ("
                                + KUBERNETES_SERVICE_HOST + " set, " + SERVICE_ACCOUNT_TOKEN + " readable)", false);
                    }
                    yield OkeWorkloadIdentityAuthenticationDetailsProvider.builder().build();
                }
            };
        } catch (StorageException e) {
            throw e;
        } catch (ConfigFileUnusable e) {
            throw new StorageException(what + ": " + e.getMessage(), false);
        } catch (IOException | RuntimeException e) {
            // The SDK's text may quote the config or key file it read (a line of /proc/self/environ,
            // a key): only what failed is reported, and the cause is not kept for a log to print.
            throw new StorageException(what + " is unavailable (" + e.getClass().getSimpleName() + ")", false);
        }
    }

    private static String require(Function<String, String> environment, String name, String what) throws StorageException {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new StorageException(what + ": " + name + " is not set", false);
        }
        return value;
    }

    /**
     * The config file and profile, or what is wrong with them in Ferry's words: the SDK's messages
     * quote the lines they could not parse.
     */
    private static ConfigFileReader.ConfigFile configFile(OciOptions options, String what) throws ConfigFileUnusable {
        String path = options.configFile() == null ? ConfigFileReader.DEFAULT_FILE_PATH : options.configFile();
        String profile = options.profile() == null ? "DEFAULT" : options.profile();
        if (!readableFile(path)) {
            throw new ConfigFileUnusable("OCI config file " + path + " (parameters.config_file) is not a readable file");
        }
        try {
            return ConfigFileReader.parse(path, profile);
        } catch (IOException e) {
            throw new ConfigFileUnusable("OCI config file " + path + " (parameters.config_file) is unreadable ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new ConfigFileUnusable("OCI config file " + path + " has no profile [" + profile + "] (parameters.profile)");
        } catch (RuntimeException e) {
            throw new ConfigFileUnusable("OCI config file " + path + " (parameters.config_file) is not an OCI config file");
        }
    }

    /**
     * The profile, once it names every key the mode needs and the files it names are readable: the
     * SDK would otherwise fail with its own text (or a bare NullPointerException).
     */
    private static ConfigFileReader.ConfigFile usable(ConfigFileReader.ConfigFile config, OciOptions options, String... keys)
            throws ConfigFileUnusable {
        String where = "profile [" + (options.profile() == null ? "DEFAULT" : options.profile()) + "] of OCI config file "
                + (options.configFile() == null ? ConfigFileReader.DEFAULT_FILE_PATH : options.configFile());
        for (String key : keys) {
            String value = config.get(key);
            if (value == null || value.isBlank()) {
                throw new ConfigFileUnusable(where + " has no " + key);
            }
            if (key.endsWith("_file")) {
                if (!readableFile(value)) {
                    throw new ConfigFileUnusable(where + ": its " + key + " is not a readable file");
                }
            }
        }
        return config;
    }

    /** Whether a path as the SDK takes it ({@code ~/} is the home directory) is a readable file. */
    private static boolean readableFile(String path) {
        Path file = Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
        return Files.isRegularFile(file) && Files.isReadable(file);
    }

    /** A config file or profile that cannot be used, described without its content. */
    private static final class ConfigFileUnusable extends Exception {
        ConfigFileUnusable(String message) {
            super(message, null, false, false);
        }
    }
}
