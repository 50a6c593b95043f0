package io.ferry.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    /** FIPS 180-2's example: SHA-256 of "abc". */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void shouldGiveEachCallerADigestOfItsOwn() {
        MessageDigest first = Checksum.newSha256();
        MessageDigest second = Checksum.newSha256();
        first.update("ab".getBytes(StandardCharsets.US_ASCII));
        second.update("zzz".getBytes(StandardCharsets.US_ASCII));
        first.update("c".getBytes(StandardCharsets.US_ASCII));
        assertThat(Checksum.sha256(first.digest()).value()).isEqualTo(ABC);
        assertThat(Checksum.sha256(Checksum.newSha256().digest()).value()).as("a fresh digest has seen nothing").isEqualTo(EMPTY);
    }

    @Test
    void shouldTakeOnlySixtyFourLowerCaseHexDigitsAsASha256() {
        assertThat(new Checksum(ChecksumType.SHA256, ABC).value()).isEqualTo(ABC);
        for (String junk : List.of("", ABC.substring(1), ABC + "0", ABC.toUpperCase(), ABC.replace('b', 'g'),
                ABC.substring(1) + "/", ABC.substring(1) + "\u0663", ABC.substring(1) + "\u0000")) {
            assertThatThrownBy(() -> new Checksum(ChecksumType.SHA256, junk)).as(junk)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value is no SHA-256");
        }
    }

    @Test
    void shouldHashTheChunkDigestsInOrderForTheTreeHash() {
        Checksum abc = new Checksum(ChecksumType.SHA256, ABC);
        Checksum empty = new Checksum(ChecksumType.SHA256, EMPTY);
        assertThat(Checksum.treeHash(List.of(abc, empty))).isNotEqualTo(Checksum.treeHash(List.of(empty, abc)));
        assertThat(Checksum.treeHash(List.of(abc)).value()).isNotEqualTo(ABC);
    }
}
