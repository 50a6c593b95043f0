package io.ferry.verifier;

import io.ferry.checksum.Checksum;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

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
    private static final HexFormat HEX = HexFormat.of();

    private VerifiedDigest() {
    }

    /** {@code digest} with one verified object added ({@code sign} 1) or taken out (-1). */
    static String plus(String digest, String objectKey, Checksum treeHash, int sign) {
        BigInteger sum = digest == null ? BigInteger.ZERO : read(digest);
        BigInteger term = term(objectKey, treeHash);
        sum = (sign > 0 ? sum.add(term) : sum.subtract(term)).mod(MODULUS);
        return written(sum);
    }

    /** The sum of two digests (either may be null, standing for no object). */
    static String plus(String digest, String other) {
        if (digest == null || other == null) {
            return digest == null ? other : digest;
        }
        BigInteger sum = read(digest).add(read(other)).mod(MODULUS);
        return written(sum);
    }

    /**
     * The digest as written: 64 hex digits, zero-padded. Through bytes and {@link HexFormat}, not
     * {@code BigInteger.toString(16)} (or its parse), which multiply per digit group: this runs
     * once per verified object, and that was a twentieth of the verifier's time.
     */
    private static String written(BigInteger sum) {
        if (sum.signum() == 0) {
            return null;
        }
        byte[] magnitude = sum.toByteArray();
        byte[] fixed = new byte[32];
        int n = Math.min(magnitude.length, fixed.length);
        System.arraycopy(magnitude, magnitude.length - n, fixed, fixed.length - n, n);
        return PREFIX + HEX.formatHex(fixed);
    }

    private static BigInteger read(String digest) {
        return new BigInteger(1, HEX.parseHex(digest, PREFIX.length(), digest.length()));
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
