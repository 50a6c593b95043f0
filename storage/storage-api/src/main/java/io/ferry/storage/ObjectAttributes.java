package io.ferry.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What travels with an object's bytes: its content type, its user metadata, and (when timestamps
 * are preserved) its modification time. Stores keep what they can: S3 all of it, a file system only
 * the modification time.
 *
 * @param contentType MIME type, or null when unknown (the destination picks its default)
 * @param userMetadata user-defined metadata, keys lower case without any store prefix
 *     ({@code x-amz-meta-}, {@code opc-meta-})
 * @param modified the source's modification time to keep, or null to let the destination stamp its own
 */
public record ObjectAttributes(String contentType, Map<String, String> userMetadata, Instant modified) {
    public static final ObjectAttributes NONE = new ObjectAttributes(null, Map.of(), null);

    public ObjectAttributes {
        userMetadata = Map.copyOf(Objects.requireNonNullElse(userMetadata, Map.of()));
    }

    public ObjectAttributes withModified(Instant time) {
        return new ObjectAttributes(contentType, userMetadata, time);
    }
}
