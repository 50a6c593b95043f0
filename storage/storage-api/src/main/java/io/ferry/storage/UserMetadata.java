package io.ferry.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How object stores keep {@link ObjectAttributes} in user metadata: the attributes' own metadata,
 * plus {@code mtime} (seconds since the epoch with a fraction, as rclone writes it) when a
 * modification time is kept, so that Ferry and rclone read each other's copies.
 */
public final class UserMetadata {
    /** The user-metadata key of a kept modification time. */
    public static final String MTIME = "mtime";

    private UserMetadata() {
    }

    /** The user metadata to write for {@code attributes}. */
    public static Map<String, String> of(ObjectAttributes attributes) {
        if (attributes.modified() == null) {
            return attributes.userMetadata();
        }
        var all = new HashMap<>(attributes.userMetadata());
        Instant m = attributes.modified();
        all.put(MTIME, BigDecimal.valueOf(m.getEpochSecond()).add(BigDecimal.valueOf(m.getNano(), 9)).toPlainString());
        return all;
    }

    /** Attributes as read from a server: {@code mtime} if a copier kept one, else the server's own time. */
    public static ObjectAttributes attributes(String contentType, Map<String, String> metadata, Instant lastModified) {
        Instant modified = lastModified;
        Map<String, String> all = metadata == null ? Map.of() : metadata;
        String mtime = all.get(MTIME);
        if (mtime != null) {
            try {
                BigDecimal seconds = new BigDecimal(mtime.trim());
                modified = Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            } catch (NumberFormatException | ArithmeticException notOurs) {
                // someone else's mtime format: fall back to the server's time
            }
        }
        var rest = new HashMap<>(all);
        rest.remove(MTIME);
        return new ObjectAttributes(contentType, rest, modified);
    }
}
