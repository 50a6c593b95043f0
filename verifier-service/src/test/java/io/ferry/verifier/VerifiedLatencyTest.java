package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VerifiedLatencyTest {
    static final Instant SCAN = Instant.parse("2026-12-02T10:00:00Z");

    static ObjectStatus status(String job, ObjectState state, long generation, Instant at) {
        return new ObjectStatus(job, "k", "p", state, "v", 10, generation, 0, 1, 10, 1, 10, null, null, "m", at, "file:///d/");
    }

    @Test
    void shouldTimeFromTheScanThatFoundTheChangeToVerifiedPerJob() {
        var registry = new SimpleMeterRegistry();
        var latency = new VerifiedLatency(registry);
        latency.accept(status("ml/llama", ObjectState.VERIFIED, SCAN.toEpochMilli(), SCAN.plusSeconds(42)));
        latency.accept(status("ml/llama", ObjectState.VERIFIED, SCAN.toEpochMilli(), SCAN.plusSeconds(8)));
        latency.accept(status("ml/llama", ObjectState.COPYING, SCAN.toEpochMilli(), SCAN.plusSeconds(99)));
        latency.accept(status("ml/llama", ObjectState.VERIFIED, 5, SCAN.plusSeconds(1)));
        latency.accept(status("ml/llama", ObjectState.VERIFIED, SCAN.toEpochMilli(), SCAN.minusSeconds(1)));
        latency.accept(null);

        Timer timer = registry.get("replication.object.verified.latency").tag("namespace", "ml").tag("job_name", "llama").timer();
        assertThat(timer.count()).as("only Verified statuses of a scan-numbered generation").isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(50.0);
        assertThat(timer.max(TimeUnit.SECONDS)).isEqualTo(42.0);
    }
}
