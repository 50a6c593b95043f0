package io.ferry.storage.s3;

import io.ferry.checksum.Checksum;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How versions and checksums look on S3: ETags in quotes, SHA-256 values in the base64 the checksum
 * headers use. Attributes in user metadata are {@link io.ferry.storage.UserMetadata}'s.
 */
final class S3Metadata {
    private S3Metadata() {
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
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        // a server's header is input like any other: anything but 32 bytes confirms nothing
        return digest.length == 32 ? Checksum.sha256(digest) : null;
    }

    /** A SHA-256 in the base64 of the checksum headers. */
    static String base64(Checksum sha256) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256.value()));
    }

    /**
     * The composite checksum S3 gives an object uploaded in {@code parts} parts, each with its SHA-256:
     * {@code <base64 of SHA-256 over the parts' binary digests, in order>-<parts>}. Over parts that
     * are Ferry's chunks that is the tree hash ({@link Checksum#treeHash}).
     */
    static String composite(Checksum treeHash, long parts) {
        return base64(treeHash) + "-" + parts;
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
