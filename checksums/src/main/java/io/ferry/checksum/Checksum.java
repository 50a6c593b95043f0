package io.ferry.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** A checksum value with the algorithm that produced it; value is lower-case hex. */
public record Checksum(ChecksumType type, String value) {
    public Checksum {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
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
