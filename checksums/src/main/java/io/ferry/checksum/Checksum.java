package io.ferry.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A checksum value with the algorithm that produced it; value is lower-case hex, 64 digits for
 * SHA-256 (as the JSON Schema says). Checked here, so a record carrying anything else is refused
 * where it is read, not where a digest is later parsed out of it.
 */
public record Checksum(ChecksumType type, String value) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Checksum {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == ChecksumType.SHA256 && !SHA256_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException("value is no SHA-256: it must be 64 lower-case hex digits, not "
                    + value.length() + " characters");
        }
    }

    public static Checksum sha256(byte[] digest) {
        return new Checksum(ChecksumType.SHA256, HexFormat.of().formatHex(digest));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The whole-object tree hash: SHA-256 over the concatenated binary SHA-256 digests of the
     * chunks, in chunk order. Independent of how a destination reports multipart ETags.
     */
    public static Checksum treeHash(List<Checksum> chunks) {
        MessageDigest md = newSha256();
        for (Checksum c : chunks) {
            if (c.type != ChecksumType.SHA256) {
                throw new IllegalArgumentException("tree hash needs SHA256 chunk checksums, got " + c.type);
            }
            md.update(HexFormat.of().parseHex(c.value));
        }
        return sha256(md.digest());
    }
}
