package io.ferry.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A checksum value with the algorithm that produced it; value is lower-case hex, 64 digits for
 * SHA-256 (as the JSON Schema says). Checked here, so a record carrying anything else is refused
 * where it is read, not where a digest is later parsed out of it.
 */
public record Checksum(ChecksumType type, String value) {
    /**
     * Cloned for each new digest: {@code MessageDigest.getInstance} looks the algorithm up among
     * the security providers on every call, a twentieth of a transfer worker's copy threads when
     * each object is a few KiB (JFR), while a clone copies a few words of state.
     */
    private static final MessageDigest SHA256_PROTOTYPE = lookUpSha256();

    public Checksum {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == ChecksumType.SHA256 && !isSha256Hex(value)) {
            throw new IllegalArgumentException("value is no SHA-256: it must be 64 lower-case hex digits, not "
                    + value.length() + " characters");
        }
    }

    public static Checksum sha256(byte[] digest) {
        return new Checksum(ChecksumType.SHA256, HexFormat.of().formatHex(digest));
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUpSha256(); // a provider whose digest cannot be cloned: slower, same result
        }
    }

    private static MessageDigest lookUpSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Whether {@code value} is 64 lower-case hex digits. A loop rather than a regular expression:
     * every checksum of every record read is checked here, and the matcher was a thirtieth of a
     * worker's copy threads.
     */
    private static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
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
