package io.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrantsTest {
    @Test
    void shouldAllowOnlyWhatAGroupGrants() {
        assertThat(Grants.allows(List.of("submit:ml"), Grants.Action.SUBMIT, "ml")).isTrue();
        assertThat(Grants.allows(List.of("submit:ml"), Grants.Action.SUBMIT, "vision")).isFalse();
        assertThat(Grants.allows(List.of("submit:ml"), Grants.Action.DELETE, "ml")).isFalse();
        assertThat(Grants.allows(List.of("read:*"), Grants.Action.READ, "vision")).isTrue();
        assertThat(Grants.allows(List.of("*:ml"), Grants.Action.DELETE, "ml")).isTrue();
        assertThat(Grants.allows(List.of("*:*"), Grants.Action.DELETE, "any")).isTrue();
        assertThat(Grants.allows(List.of(), Grants.Action.READ, "ml")).isFalse();
        assertThat(Grants.refusal("bob", List.of("read:ml"), Grants.Action.SUBMIT, "ml")).get().asString()
                .contains("'bob' may not submit jobs in namespace 'ml'").contains("submit:ml");
    }
}
