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
                case USER_PRINCIPAL -> new ConfigFileAuthenticationDetailsProvider(configFile(options, what));
                case SECURITY_TOKEN -> new SessionTokenAuthenticationDetailsProvider(configFile(options, what));
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
        } catch (IOException | RuntimeException e) {
            throw new StorageException(what + " is unavailable: " + describe(e), false, e);
        }
    }

    private static String require(Function<String, String> environment, String name, String what) throws StorageException {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new StorageException(what + ": " + name + " is not set", false);
        }
        return value;
    }

    private static ConfigFileReader.ConfigFile configFile(OciOptions options, String what) throws IOException {
        String path = options.configFile() == null ? ConfigFileReader.DEFAULT_FILE_PATH : options.configFile();
        String profile = options.profile() == null ? "DEFAULT" : options.profile();
        try {
            return ConfigFileReader.parse(path, profile);
        } catch (IOException e) {
            throw new IOException("cannot read the OCI config file " + path + " (parameters.config_file): " + describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("profile [" + profile + "] of " + path + " (parameters.profile): " + describe(e), e);
        }
    }

    /** The exception's own message, or its class when it has none (the SDK throws a few bare ones). */
    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
