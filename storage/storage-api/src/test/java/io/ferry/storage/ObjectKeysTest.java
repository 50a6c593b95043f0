package io.ferry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    @Test
    void shouldTakeKeysWhoseNamesAreAllPlainNames() {
        for (String key : List.of("a", "a/b", ".hidden", "...", "a/..b", "..c/d", "a/.b/c.", "\u65e5\u672c/\u8a9e", "a b/c%2F")) {
            assertThat(ObjectKeys.requireSafe(key)).isEqualTo(key);
        }
    }

    @Test
    void shouldRefuseAKeyThatCouldLeaveTheRootNamingWhatIsWrong() {
        assertThatThrownBy(() -> ObjectKeys.requireSafe("")).hasMessage("object key is empty");
        assertThatThrownBy(() -> ObjectKeys.requireSafe(null)).hasMessage("object key is empty");
        assertThatThrownBy(() -> ObjectKeys.requireSafe("/etc/passwd")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> ObjectKeys.requireSafe("a\\..\\b")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> ObjectKeys.requireSafe("a\u0000b")).hasMessage("object key contains NUL: a?b");
        for (String key : List.of("..", ".", "a/..", "../a", "a/../../b", "a/./b", "./a", "a//b", "a/", "a/b/")) {
            assertThatThrownBy(() -> ObjectKeys.requireSafe(key)).as(key)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment: " + key);
        }
        assertThatThrownBy(() -> ObjectKeys.requireSafe("a/../b")).hasMessage("object key has a '..' segment: a/../b");
        assertThatThrownBy(() -> ObjectKeys.requireSafe("a//b")).hasMessage("object key has a '' segment: a//b");
    }
}
