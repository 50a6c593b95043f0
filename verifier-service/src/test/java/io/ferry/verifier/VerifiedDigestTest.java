package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifiedDigestTest {
    static String digest(String hexTail) {
        return VerifiedDigest.PREFIX + "0".repeat(64 - hexTail.length()) + hexTail;
    }

    @Test
    void shouldWriteEverySumAsSixtyFourHexDigitsLeadingZerosIncluded() {
        assertThat(VerifiedDigest.plus(digest("1"), digest("2"))).isEqualTo(digest("3"));
        assertThat(VerifiedDigest.plus(digest("f"), digest("1"))).isEqualTo(digest("10"));
        String high = "8" + "0".repeat(63);
        assertThat(VerifiedDigest.plus(digest(high), digest("1"))).as("the top bit set").isEqualTo(digest("8" + "0".repeat(62) + "1"));
    }

    @Test
    void shouldWrapAroundTwoToTheTwoHundredFiftySixAndWriteZeroAsNoObject() {
        String max = VerifiedDigest.PREFIX + "f".repeat(64);
        assertThat(VerifiedDigest.plus(max, digest("2"))).isEqualTo(digest("1"));
        assertThat(VerifiedDigest.plus(max, digest("1"))).isNull();
    }
}
