package io.ferry.testing;

import io.ferry.checksum.Checksum;
import java.util.HexFormat;
import java.util.Random;

/** Reproducible test bytes and their checksums. */
public final class TestData {
    private TestData() {
    }

    /** {@code n} pseudo-random bytes, the same for the same seed. */
    public static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The SHA-256 of {@code data} as a checksum. */
    public static Checksum sha256(byte[] data) {
        return Checksum.sha256(Checksum.newSha256().digest(data));
    }

    /** The SHA-256 of {@code data} as lower-case hex. */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(Checksum.newSha256().digest(data));
    }
}
