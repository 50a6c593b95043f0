package io.ferry.storage.oci;

import com.oracle.bmc.objectstorage.model.StorageTier;
import io.ferry.storage.Access;
import io.ferry.storage.EndpointParameters;
import io.ferry.storage.StorageUri;
import io.ferry.storage.StoreOptions;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The typed reading of an {@code oci://namespace/bucket/prefix/} endpoint and its job parameters.
 * Every bad parameter is reported at once, each named.
 *
 * @param endpoint Object Storage endpoint override, or null for the region's
 * @param configFile OCI config file for {@code user_principal} and {@code security_token}, or null for
 *     {@code ~/.oci/config}
 * @param storageTier tier for written objects, or null for the bucket's default
 * @param kmsKeyId OCID of a Vault key to encrypt written objects with, or null for Oracle-managed keys
 * @param compartmentId the compartment the bucket must be in, or null to accept any
 */
record OciOptions(
        String namespace,
        String bucket,
        String prefix,
        String region,
        URI endpoint,
        OciAuthentication authentication,
        String configFile,
        String profile,
        StorageTier storageTier,
        String kmsKeyId,
        String compartmentId,
        int maxConnections) implements StoreOptions {

    /** A config file read when the mode reads one: the given file, else the SDK's default (~/.oci/config). */
    @Override
    public Access access() {
        String file = !authentication.readsConfigFile() ? null
                : configFile != null ? configFile : com.oracle.bmc.ConfigFileReader.DEFAULT_FILE_PATH;
        return new Access(location(), endpoint == null ? null : Access.hostOf(endpoint),
                Set.of(), authentication.parameterValue(), file);
    }

    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";
    static final String AUTHENTICATION = "authentication";
    static final String CONFIG_FILE = "config_file";
    static final String PROFILE = "profile";
    static final String STORAGE_TIER = "storage_tier";
    static final String ENCRYPTION = "encryption";
    static final String KMS_KEY_ID = "kms_key_id";
    static final String COMPARTMENT_ID = "compartment_id";
    static final String CONNECTION_POOL_SIZE = "connection_pool_size";
    static final int DEFAULT_MAX_CONNECTIONS = 64;

    /** Every parameter an oci:// endpoint honours. */
    static final Set<String> PARAMETERS = Set.of(REGION, ENDPOINT, AUTHENTICATION, CONFIG_FILE, PROFILE, STORAGE_TIER,
            ENCRYPTION, KMS_KEY_ID, COMPARTMENT_ID, CONNECTION_POOL_SIZE);

    static OciOptions of(StorageUri uri, Map<String, Object> parameters) {
        var p = new EndpointParameters(parameters);
        String namespace = uri.authority();
        if (!namespace.matches("[A-Za-z0-9][A-Za-z0-9_\\-]{0,254}")) {
            p.error("storageUri '" + uri + "': '" + namespace + "' is not an Object Storage namespace"
                    + " (oci://namespace/bucket/prefix/)");
        }
        String path = uri.path().startsWith("/") ? uri.path().substring(1) : uri.path();
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String prefix = slash < 0 ? "" : path.substring(slash + 1);
        if (!bucket.matches("[A-Za-z0-9_.\\-]{1,256}")) {
            p.error("storageUri '" + uri + "': needs a bucket after the namespace (oci://namespace/bucket/prefix/)");
        }

        URI endpoint = p.httpUrl(ENDPOINT);
        // Without a region, the config file's or the instance's own is used (OciClients).
        String region = p.text(REGION);

        OciAuthentication authentication = OciAuthentication.USER_PRINCIPAL;
        String authText = p.text(AUTHENTICATION);
        if (authText != null) {
            authentication = OciAuthentication.parse(authText);
            if (authentication == null) {
                p.error("parameters.authentication must be one of " + OciAuthentication.names() + ", not '"
                        + authText + "'");
                authentication = OciAuthentication.USER_PRINCIPAL;
            }
        }
        String configFile = p.text(CONFIG_FILE);
        String profile = p.text(PROFILE);
        if ((configFile != null || profile != null) && !authentication.readsConfigFile()) {
            p.error("parameters." + (configFile != null ? CONFIG_FILE : PROFILE) + " is read only with authentication"
                    + " user_principal or security_token, not " + authentication.parameterValue());
        }

        StorageTier tier = null;
        String tierText = p.text(STORAGE_TIER);
        if (tierText != null) {
            tier = switch (tierText.toLowerCase(Locale.ROOT).replace("-", "_")) {
                case "standard" -> StorageTier.Standard;
                case "infrequent_access", "infrequentaccess" -> StorageTier.InfrequentAccess;
                case "archive" -> StorageTier.Archive;
                default -> {
                    p.error("parameters.storage_tier must be standard, infrequent_access or archive, not '"
                            + tierText + "'");
                    yield null;
                }
            };
        }

        String kmsKeyId = p.text(KMS_KEY_ID);
        String encryption = p.text(ENCRYPTION);
        if (encryption != null) {
            switch (encryption.toLowerCase(Locale.ROOT)) {
                case "none", "oracle_managed" -> {
                    if (kmsKeyId != null) {
                        p.error("parameters.kms_key_id needs encryption: oci-kms (customer_managed), not " + encryption);
                    }
                }
                case "oci-kms", "oci_kms", "customer_managed" -> {
                    // Without a key, OCI encrypts with the bucket's own key (a Vault key if the bucket has one).
                }
                default -> p.error("parameters.encryption must be none, oci-kms or customer_managed, not '"
                        + encryption + "'");
            }
        }
        if (kmsKeyId != null && !kmsKeyId.startsWith("ocid1.key.")) {
            p.error("parameters.kms_key_id must be a Vault key OCID (ocid1.key....)");
        }

        String compartmentId = p.text(COMPARTMENT_ID);
        if (compartmentId != null && !compartmentId.startsWith("ocid1.")) {
            p.error("parameters.compartment_id (or spec.compartmentID) must be an OCID (ocid1.compartment....)");
        }

        int maxConnections = p.positiveInt(CONNECTION_POOL_SIZE, DEFAULT_MAX_CONNECTIONS);
        p.check();
        return new OciOptions(namespace, bucket, prefix, region, endpoint, authentication, configFile, profile, tier,
                kmsKeyId, compartmentId, maxConnections);
    }

    /** The tier objects are written at: Archive only after they are verified (see OciObjectStore#settle). */
    StorageTier writeTier() {
        return storageTier == StorageTier.Archive ? StorageTier.Standard : storageTier;
    }

    /** Where an object key lives in the bucket. */
    String objectName(String key) {
        return prefix + key;
    }

    /** The URI without parameters, for messages. */
    String location() {
        return "oci://" + namespace + "/" + bucket + "/" + prefix;
    }
}
