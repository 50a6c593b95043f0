package io.ferry.storage.s3;

import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.ThrottledException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into {@link StorageException}s that say what failed where and whether to
 * retry. Messages carry the server's error code and text, never credentials or request signatures.
 */
final class S3Errors {
    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "InvalidToken", "AllAccessDisabled", "AccountProblem", "InvalidSecurity");
    private static final Set<String> THROTTLED = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestLimitExceeded", "TooManyRequests", "RequestThrottled");

    private S3Errors() {
    }

    /**
     * @param action what was being done ("list", "read"), for the message
     * @param key the object key, or null for bucket-level calls
     * @param version the version a read was pinned to, or null
     */
    static StorageException translate(SdkException e, S3Options options, String action, String key, String version) {
        String where = key == null ? options.location() : options.location() + key;
        if (!(e instanceof AwsServiceException ase)) {
            // No answer from the server: connection refused, reset, timed out.
            return new StorageException("cannot " + action + " " + where + ": " + e.getMessage(), true, e);
        }
        int status = ase.statusCode();
        String code = ase.awsErrorDetails() == null ? "" : String.valueOf(ase.awsErrorDetails().errorCode());
        String detail = code + (ase.awsErrorDetails() == null || ase.awsErrorDetails().errorMessage() == null ? ""
                : ": " + ase.awsErrorDetails().errorMessage()) + " (HTTP " + status + ")";
        if (code.equals("NoSuchBucket")) {
            return new StorageException("bucket '" + options.bucket() + "' does not exist"
                    + (options.endpoint() == null ? "" : " at " + options.endpoint()) + " (" + action + " " + where + ")", false, e);
        }
        if (code.equals("NoSuchUpload")) {
            return new ObjectNotFoundException(key + " (upload gone: completed or aborted)");
        }
        if (status == 404 && key != null) {
            return new ObjectNotFoundException(key);
        }
        if (status == 412 && version != null) {
            return new SourceChangedException(key, version, "(another version)");
        }
        if (status == 429 || status == 503 || THROTTLED.contains(code)) {
            String retryAfter = ase.awsErrorDetails() == null || ase.awsErrorDetails().sdkHttpResponse() == null ? null
                    : ase.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").orElse(null);
            return new ThrottledException("throttled: " + action + " " + where + ": " + detail, e,
                    ThrottledException.parseRetryAfter(retryAfter));
        }
        if (status == 403 || status == 401 || ACCESS_DENIED.contains(code)) {
            return new StorageException("access denied: cannot " + action + " " + where + ": " + detail
                    + "; check the credentials and the bucket policy", false, e);
        }
        return new StorageException("cannot " + action + " " + where + ": " + detail, status >= 500 || status == 408, e);
    }
}
