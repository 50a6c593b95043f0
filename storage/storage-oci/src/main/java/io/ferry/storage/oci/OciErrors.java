package io.ferry.storage.oci;

import com.oracle.bmc.model.BmcException;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.ThrottledException;

import java.time.Duration;

/**
 * Turns the SDK's exceptions into {@link StorageException}s that say what failed where and whether
 * to retry. Messages carry the service's error code and text, never a key, token or signature.
 */
final class OciErrors {
    private OciErrors() {
    }

    /**
     * @param action what was being done ("list", "read"), for the message
     * @param key the object key, or null for bucket-level calls
     * @param version the version a read was pinned to, or null
     * @param retryAfter the server's Retry-After for a throttled call, or zero
     */
    static StorageException translate(BmcException e, OciOptions options, String action, String key, String version,
            Duration retryAfter) {
        String where = key == null ? options.location() : options.location() + key;
        int status = e.getStatusCode();
        if (e.isClientSide() || status <= 0) {
            // No answer from the server: connection refused, reset, timed out.
            return new StorageException("cannot " + action + " " + where + ": " + rootMessage(e), true, e);
        }
        String code = e.getServiceCode() == null ? "" : e.getServiceCode();
        String detail = code + (e.getUnmodifiedMessage() == null ? "" : ": " + e.getUnmodifiedMessage())
                + " (HTTP " + status + ", opc-request-id " + e.getOpcRequestId() + ")";
        if (code.equals("BucketNotFound") || (status == 404 && key == null)) {
            return new StorageException("bucket '" + options.bucket() + "' does not exist in namespace '"
                    + options.namespace() + "' (or is not visible to this principal) (" + action + " " + where + ")",
                    false, e);
        }
        if (code.equals("NoSuchUpload")) {
            return new ObjectNotFoundException(key + " (upload gone: committed or aborted)");
        }
        if (status == 404) {
            return new ObjectNotFoundException(key);
        }
        if (status == 412 && version != null) {
            return new SourceChangedException(key, version, "(another version)");
        }
        if (status == 429 || status == 503) {
            return new ThrottledException("throttled: " + action + " " + where + ": " + detail, e, retryAfter);
        }
        if (status == 401 || status == 403) {
            return new StorageException("access denied: cannot " + action + " " + where + ": " + detail
                    + "; check parameters.authentication, the key or token it uses, and the IAM policy", false, e);
        }
        return new StorageException("cannot " + action + " " + where + ": " + detail, status >= 500 || status == 408
                || status == 409 && code.equals("ConcurrentObjectUpdate"), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
