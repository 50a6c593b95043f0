package io.ferry.scanner;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownObjectTest {
    static final JsonSerde<ObjectStatus> WRITTEN = JsonSerde.of(ObjectStatus.class);
    static final Instant UPDATED = Instant.parse("2026-12-03T07:01:02.123456789Z");

    static ObjectStatus status(ObjectState state) {
        return new ObjectStatus("ns/j", "d/a.bin", "plan-1", state, "s10-m5-i3", 10, 7, 1, 1, 10, 1, 10,
                Checksum.treeHash(List.of(Checksum.sha256(new byte[32]))), null, "m", UPDATED, "file:///models/");
    }

    @Test
    void shouldReadWhatAScanComparesOfEveryStateAsTheVerifierWritesIt() {
        for (ObjectState state : ObjectState.values()) {
            ObjectStatus written = status(state);
            KnownObject read = KnownObject.read(WRITTEN.serialize("t", written));
            assertThat(read).as(state.name()).isEqualTo(KnownObject.of(written));
            assertThat(read.updatedAt()).as(state.name()).isEqualTo(state.isFinal() ? null : UPDATED);
        }
    }

    @Test
    void shouldSkipFieldsItDoesNotCompareWhateverTheirShape() {
        String json = "{\"extra\":{\"nested\":[1,{\"state\":\"FAILED\"}]},\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"VERIFIED\","
                + "\"version\":\"v2\",\"generation\":3,\"treeHash\":{\"type\":\"SHA256\",\"value\":\"00\"},\"destination\":\"file:///d/\"}";

        assertThat(KnownObject.read(json.getBytes(UTF_8)))
                .isEqualTo(new KnownObject(ObjectState.VERIFIED, "v2", "file:///d/", 3, null));
    }

    @Test
    void shouldReadAsAbsentAValueThatIsNoStatus() {
        assertThat(KnownObject.read(null)).isNull();
        for (String junk : List.of("", "not json", "null", "[1,2]", "\"VERIFIED\"", "{}",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"version\":\"v\"}",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"NO_SUCH_STATE\"}",
                "{\"job\":\"ns/j\",\"state\":\"VERIFIED\"}",
                "{\"objectKey\":\"k\",\"state\":\"VERIFIED\"}",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"VERIFIED\",\"version\":{\"v\":1}}",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"VERIFIED\",\"generation\":\"x\"}",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"VERIFIED\",\"generation\":99999999999999999999}",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"COPYING\",\"updatedAt\":\"yesterday\"}",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"VERIFIED\"",
                "{\"job\":\"ns/j\",\"objectKey\":\"k\",\"state\":\"VERIFIED\",\"version\":\"v\",")) {
            assertThat(KnownObject.read(junk.getBytes(UTF_8))).as(junk).isNull();
        }
    }
}
