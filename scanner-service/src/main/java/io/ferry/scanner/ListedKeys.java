package io.ferry.scanner;

import java.nio.charset.StandardCharsets;

/**
 * The keys one listing passed, as a Bloom filter, so that a scan can tell which objects the
 * verifier holds are no longer at the source without keeping the listing in heap (10 bits a key,
 * at most {@link #MAX_BITS}). "Not listed" is certain; "listed" is wrong for about 1% of the keys
 * (more when the listing is larger than expected or the filter is full), which only delays the
 * detection of a deletion to a later scan: each scan hashes with its own seed.
 */
final class ListedKeys {
    /** 16 MiB of bits: beyond about 13 million keys the false "listed" rate grows instead of the heap. */
    static final long MAX_BITS = 1L << 27;
    static final long MIN_BITS = 1L << 16;
    private static final int HASHES = 7;

    private final long[] words;
    private final long bits;
    private final long seed;

    private ListedKeys(long bits, long seed) {
        this.bits = bits;
        this.words = new long[(int) (bits >>> 6)];
        this.seed = seed;
    }

    /** A filter sized for {@code expected} keys. */
    static ListedKeys expecting(long expected, long seed) {
        long target = Math.max(MIN_BITS, Math.min(MAX_BITS, expected * 10));
        return new ListedKeys(Long.highestOneBit(target * 2 - 1), seed); // a power of two: a bit index is a mask
    }

    void add(String key) {
        for (long bit : bits(key)) {
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    /** False only for a key never added. */
    boolean mightContain(String key) {
        for (long bit : bits(key)) {
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The key's {@link #HASHES} bit positions, by double hashing of one seeded hash. */
    private long[] bits(String key) {
        long h = hash(key);
        long h1 = mix(h);
        long h2 = mix(h ^ 0x9E3779B97F4A7C15L) | 1;
        long[] bits = new long[HASHES];
        for (int i = 0; i < HASHES; i++) {
            bits[i] = (h1 + i * h2) & (this.bits - 1);
        }
        return bits;
    }

    long bits() {
        return bits;
    }

    /** FNV-1a over the key's UTF-8 bytes, started from the seed. */
    private long hash(String key) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finalizer: spreads FNV's weak low bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
