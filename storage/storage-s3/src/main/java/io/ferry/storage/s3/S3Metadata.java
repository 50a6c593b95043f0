package io.ferry.storage.s3;

import io.ferry.storage.Checksum;
import io.ferry.storage.ChecksumType;
import io.ferry.storage.ObjectAttributes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * How Ferry's attributes and checksums look on S3: user metadata without its {@code x-amz-meta-}
 * prefix, the modification time in {@code mtime} as rclone writes it (decimal seconds since the
 * epoch), and SHA-256 values in the base64 the checksum headers use.
 */
final class S3Metadata {
    static final String MTIME = "mtime";

    private S3Metadata() {
    }

    /** The user metadata to write: the attributes' own, with {@code mtime} when a modification time is kept. */
    static Map<String, String> userMetadata(ObjectAttributes attributes) {
        if (attributes.modified() == null) {
            return attributes.userMetadata();
        }
        var all = new HashMap<>(attributes.userMetadata());
        Instant m = attributes.modified();
        all.put(MTIME, BigDecimal.valueOf(m.getEpochSecond()).add(BigDecimal.valueOf(m.getNano(), 9)).toPlainString());
        return all;
    }

    /** Attributes as read from a response: {@code mtime} if a copier kept one, else the server's Last-Modified. */
    static ObjectAttributes attributes(String contentType, Map<String, String> metadata, Instant lastModified) {
        Instant modified = lastModified;
        String mtime = metadata.get(MTIME);
        if (mtime != null) {
            try {
                BigDecimal seconds = new BigDecimal(mtime.trim());
                modified = Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            } catch (NumberFormatException | ArithmeticException notOurs) {
                // someone else's mtime format: fall back to the server's time
            }
        }
        var rest = new HashMap<>(metadata);
        rest.remove(MTIME);
        return new ObjectAttributes(contentType, rest, modified);
    }

    /** A base64 SHA-256 from a checksum header, or null. */
    static Checksum sha256(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return null;
        }
        // Full-object checksums of multipart objects end in "-<parts>"; they are no SHA-256 of the bytes.
        if (base64.contains("-")) {
            return null;
        }
        return new Checksum(ChecksumType.SHA256, HexFormat.of().formatHex(Base64.getDecoder().decode(base64)));
    }

    /** An ETag without its quotes. */
    static String version(String eTag) {
        if (eTag == null) {
            return "";
        }
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"") ? eTag.substring(1, eTag.length() - 1) : eTag;
    }

    /** The If-Match value pinning a read to a version. */
    static String ifMatch(String version) {
        return "\"" + version + "\"";
    }
}
