package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownDeadlineTest {

    @Test
    void shouldHaltAStopThatOutlivesItsTimeout() throws Exception {
        var halted = new CompletableFuture<Integer>();
        ShutdownDeadline.start(Duration.ofMillis(1), Thread.currentThread(), halted::complete);

        // no cancel: the stop is "stuck"; the watcher must give up on it by itself
        assertThat(halted.get(1, TimeUnit.MINUTES)).isEqualTo(ShutdownDeadline.HALTED);
    }

    @Test
    void shouldNotHaltAStopThatFinished() throws Exception {
        var halts = new AtomicInteger();
        ShutdownDeadline deadline = ShutdownDeadline.start(Duration.ofHours(1), Thread.currentThread(), status -> halts.incrementAndGet());

        deadline.cancel(); // returns once the watcher has ended: it can halt nothing after this

        assertThat(halts).hasValue(0);
    }

    @Test
    void shouldTakeTheDefaultUnlessSetAndRefuseATimeoutThatIsNotPositive() {
        assertThat(ShutdownDeadline.timeout(Optional::empty)).isEqualTo(ShutdownDeadline.DEFAULT_TIMEOUT);
        assertThat(ShutdownDeadline.timeout(() -> Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        for (Duration wrong : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThatThrownBy(() -> ShutdownDeadline.timeout(() -> Optional.of(wrong))).as(wrong.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferry.shutdown.timeout");
        }
    }
}
