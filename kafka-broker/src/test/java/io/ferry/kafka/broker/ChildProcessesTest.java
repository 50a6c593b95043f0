package io.ferry.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {
    @Test
    void shouldGiveChildrenStartedTogetherDifferentPorts() throws Exception {
        // Asked for one at a time, 500 ports here came back with 4 to 14 repeats (20 tries): the
        // kernel hands a port out again as soon as the one asking lets it go.
        int[] ports = ChildProcesses.freeLoopbackPorts(500);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(500);
        assertThat(Arrays.stream(ports).min().orElseThrow()).isPositive();
    }
}
