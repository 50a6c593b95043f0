package io.ferry.storage.s3;

import io.ferry.storage.Access;
import io.ferry.storage.EndpointParameters;
import io.ferry.storage.StorageUri;
import io.ferry.storage.StoreOptions;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The typed reading of an {@code s3://bucket/prefix/} endpoint and its job parameters. Every bad
 * parameter is reported at once, each named.
 *
 * @param prefix key prefix inside the bucket, empty or ending in '/'
 * @param endpoint S3-compatible endpoint, or null for AWS
 * @param pathStyle address buckets in the path ({@code endpoint/bucket/key}) instead of the host name
 * @param storageClass storage class for written objects, or null for the bucket's default
 * @param kmsKeyId KMS key for SSE-KMS, or null for the account's default key
 * @param checksumsWhenRequired send and validate checksums only where the API requires them, for
 *     S3-compatibles that reject aws-chunked uploads with checksum trailers
 */
record S3Options(
        String bucket,
        String prefix,
        String region,
        URI endpoint,
        boolean pathStyle,
        String accessKeyIdSecret,
        String secretAccessKeySecret,
        StorageClass storageClass,
        ServerSideEncryption encryption,
        String kmsKeyId,
        boolean checksumsWhenRequired,
        int maxConnections) implements StoreOptions {

    /** The default AWS credential chain: whatever credentials the process that opens the store has. */
    static final String DEFAULT_CHAIN = "aws_default_chain";

    @Override
    public Access access() {
        boolean named = accessKeyIdSecret != null;
        return new Access("s3://" + bucket + "/" + prefix, endpoint == null ? null : Access.hostOf(endpoint),
                named ? new java.util.TreeSet<>(java.util.List.of(accessKeyIdSecret, secretAccessKeySecret)) : Set.of(),
                named ? Access.NAMED_SECRETS : DEFAULT_CHAIN, null);
    }

    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";
    static final String PATH_STYLE = "path_style";
    static final String ACCESS_KEY_ID_SECRET = "access_key_id_secret";
    static final String SECRET_ACCESS_KEY_SECRET = "secret_access_key_secret";
    static final String STORAGE_TIER = "storage_tier";
    static final String ENCRYPTION = "encryption";
    static final String KMS_KEY_ID = "kms_key_id";
    static final String CHECKSUM_MODE = "checksum_mode";
    static final String CONNECTION_POOL_SIZE = "connection_pool_size";
    static final int DEFAULT_MAX_CONNECTIONS = 64;

    /** Every parameter an s3:// endpoint honours. */
    static final Set<String> PARAMETERS = Set.of(REGION, ENDPOINT, PATH_STYLE, ACCESS_KEY_ID_SECRET,
            SECRET_ACCESS_KEY_SECRET, STORAGE_TIER, ENCRYPTION, KMS_KEY_ID, CHECKSUM_MODE, CONNECTION_POOL_SIZE);

    static S3Options of(StorageUri uri, Map<String, Object> parameters) {
        var p = new EndpointParameters(parameters);
        String bucket = uri.authority();
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-_]{1,254}")) {
            p.error("storageUri '" + uri + "': '" + bucket + "' is not a bucket name (s3://bucket/prefix/)");
        }
        String prefix = uri.path().startsWith("/") ? uri.path().substring(1) : uri.path();

        URI endpoint = p.httpUrl(ENDPOINT);
        boolean pathStyle = endpoint != null;
        String pathStyleText = p.text(PATH_STYLE);
        if (pathStyleText != null) {
            pathStyle = switch (pathStyleText.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> {
                    p.error("parameters.path_style must be true or false, not '" + pathStyleText + "'");
                    yield pathStyle;
                }
            };
        }

        String keyIdSecret = p.text(ACCESS_KEY_ID_SECRET);
        String secretKeySecret = p.text(SECRET_ACCESS_KEY_SECRET);
        if ((keyIdSecret == null) != (secretKeySecret == null)) {
            p.error("parameters." + (keyIdSecret == null ? ACCESS_KEY_ID_SECRET : SECRET_ACCESS_KEY_SECRET)
                    + " is needed too: name both secrets or neither (then the default AWS credential chain is used)");
        }

        StorageClass storageClass = null;
        String tier = p.text(STORAGE_TIER);
        if (tier != null) {
            storageClass = storageClass(tier);
            if (storageClass == null) {
                p.error("parameters.storage_tier '" + tier + "' is not standard, infrequent_access, archive,"
                        + " intelligent_tiering or an S3 storage class that can be read back (not GLACIER or DEEP_ARCHIVE)");
            }
        }

        ServerSideEncryption encryption = null;
        String kmsKeyId = p.text(KMS_KEY_ID);
        String encryptionText = p.text(ENCRYPTION);
        if (encryptionText != null) {
            switch (encryptionText.toLowerCase(Locale.ROOT)) {
                case "none" -> encryption = null;
                case "sse-s3", "aes256" -> encryption = ServerSideEncryption.AES256;
                case "sse-kms", "aws:kms", "customer_managed" -> encryption = ServerSideEncryption.AWS_KMS;
                default -> p.error("parameters.encryption must be none, sse-s3 or sse-kms (customer_managed), not '"
                        + encryptionText + "'");
            }
        }
        if (kmsKeyId != null && encryption != ServerSideEncryption.AWS_KMS) {
            p.error("parameters.kms_key_id needs encryption: sse-kms");
        }

        boolean whenRequired = false;
        String checksumMode = p.text(CHECKSUM_MODE);
        if (checksumMode != null) {
            switch (checksumMode.toLowerCase(Locale.ROOT)) {
                case "when_supported" -> whenRequired = false;
                case "when_required" -> whenRequired = true;
                default -> p.error("parameters.checksum_mode must be when_supported or when_required, not '"
                        + checksumMode + "'");
            }
        }

        int maxConnections = p.positiveInt(CONNECTION_POOL_SIZE, DEFAULT_MAX_CONNECTIONS);
        p.check();
        return new S3Options(bucket, prefix, p.text(REGION), endpoint, pathStyle, keyIdSecret, secretKeySecret,
                storageClass, encryption, kmsKeyId, whenRequired, maxConnections);
    }

    /**
     * OME's tier names, then S3's own. Archive is Glacier Instant Retrieval: the other Glacier classes
     * cannot be read back, so a copy into them could never be verified.
     */
    private static StorageClass storageClass(String tier) {
        switch (tier.toLowerCase(Locale.ROOT)) {
            case "standard":
                return StorageClass.STANDARD;
            case "infrequent_access":
                return StorageClass.STANDARD_IA;
            case "archive":
                return StorageClass.GLACIER_IR;
            case "intelligent_tiering":
                return StorageClass.INTELLIGENT_TIERING;
            default:
                StorageClass literal = StorageClass.fromValue(tier.toUpperCase(Locale.ROOT));
                return literal == StorageClass.UNKNOWN_TO_SDK_VERSION || literal == StorageClass.GLACIER
                        || literal == StorageClass.DEEP_ARCHIVE ? null : literal;
        }
    }

    /** Where an object key lives in the bucket. */
    String objectKey(String key) {
        return prefix + key;
    }

    /** The URI without parameters, for messages. */
    String location() {
        return "s3://" + bucket + "/" + prefix;
    }
}
