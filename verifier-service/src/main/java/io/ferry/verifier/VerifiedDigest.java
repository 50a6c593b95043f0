package io.ferry.verifier;

import io.ferry.checksum.Checksum;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * One fingerprint of everything a job has verified, kept as objects come and go: the sum modulo
 * 2^256 of SHA-256(length of the key in UTF-8 bytes as 8 bytes big-endian ‖ the key ‖ the
 * object's tree hash, hex) over every Verified object. A sum needs no order and takes an object
 * out by subtraction, so the verifier's tally keeps it without ever listing a job; two runs with
 * the same digest verified the same keys with the same content. Written {@code sha256-sum:} and
 * 64 hex digits; null stands for no object.
 */
final class VerifiedDigest {
    static final String PREFIX = "sha256-sum:";
    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private VerifiedDigest() {
    }

    /** {@code digest} with one verified object added ({@code sign} 1) or taken out (-1). */
    static String plus(String digest, String objectKey, Checksum treeHash, int sign) {
        BigInteger sum = digest == null ? BigInteger.ZERO : new BigInteger(digest.substring(PREFIX.length()), 16);
        BigInteger term = term(objectKey, treeHash);
        sum = (sign > 0 ? sum.add(term) : sum.subtract(term)).mod(MODULUS);
        return written(sum);
    }

    /** The sum of two digests (either may be null, standing for no object). */
    static String plus(String digest, String other) {
        if (digest == null || other == null) {
            return digest == null ? other : digest;
        }
        BigInteger sum = new BigInteger(digest.substring(PREFIX.length()), 16)
                .add(new BigInteger(other.substring(PREFIX.length()), 16)).mod(MODULUS);
        return written(sum);
    }

    /**
     * The digest as written: 64 hex digits, zero-padded. Not {@code String.format("%064x")}, which
     * parses its pattern on every call: this runs once per verified object.
     */
    private static String written(BigInteger sum) {
        if (sum.signum() == 0) {
            return null;
        }
        String hex = sum.toString(16);
        return PREFIX + "0".repeat(64 - hex.length()) + hex;
    }

    static BigInteger term(String objectKey, Checksum treeHash) {
        byte[] key = objectKey.getBytes(StandardCharsets.UTF_8);
        MessageDigest sha = Checksum.newSha256();
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(key.length).array());
        sha.update(key);
        sha.update(treeHash.value().getBytes(StandardCharsets.UTF_8));
        return new BigInteger(1, sha.digest());
    }
}
