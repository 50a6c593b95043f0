package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobStatusWatchTest {
    final JobStatusWatch watch = new JobStatusWatch();

    @Test
    void shouldCompleteEveryRequestWaitingForTheJobThatChangedAndNoOther() {
        CompletableFuture<Void> first = watch.next("ml/a");
        CompletableFuture<Void> second = watch.next("ml/a");
        CompletableFuture<Void> other = watch.next("ml/b");

        watch.changed("ml/a");

        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(other).isNotDone();
        assertThat(watch.waiting()).isEqualTo(1);
        // a request that starts waiting after the change waits for the next one
        CompletableFuture<Void> third = watch.next("ml/a");
        assertThat(third).isNotDone();
        watch.changed("ml/a");
        assertThat(third).isCompleted();
    }

    @Test
    void shouldForgetARequestThatTimedOutOrWasCancelled() throws Exception {
        CompletableFuture<Void> timedOut = watch.next("ml/a").completeOnTimeout(null, 10, TimeUnit.MILLISECONDS);
        CompletableFuture<Void> cancelled = watch.next("ml/a");
        cancelled.cancel(false);
        timedOut.get(10, TimeUnit.SECONDS);

        assertThat(watch.waiting()).isZero();
        watch.changed("ml/a");
        assertThat(cancelled).isCancelled();
    }

    @Test
    void shouldLetNoMoreThanItsLimitWait() {
        List<CompletableFuture<Void>> held = new ArrayList<>();
        for (int i = 0; i < JobStatusWatch.MAX_WAITING; i++) {
            held.add(watch.next("ml/job-" + i));
        }
        assertThat(held).doesNotContainNull();
        assertThat(watch.next("ml/one-too-many")).isNull();

        held.get(0).cancel(false);
        assertThat(watch.next("ml/next")).isNotNull();
    }

    @Test
    void shouldReadTheWaitAskedForAndRefuseOneThatIsNotWholeSeconds() {
        assertThat(StatusResource.requestedWait(null)).isZero();
        assertThat(StatusResource.requestedWait(List.of("return=minimal"))).isZero();
        assertThat(StatusResource.requestedWait(List.of("wait=10"))).isEqualTo(10);
        assertThat(StatusResource.requestedWait(List.of("respond-async, Wait = \"5\"; x=y"))).isEqualTo(5);
        assertThat(StatusResource.requestedWait(List.of("return=minimal", "wait=7"))).isEqualTo(7);
        for (String bad : List.of("wait=soon", "wait=-1", "wait", "wait=1.5", "wait=99999999999")) {
            assertThatThrownBy(() -> StatusResource.requestedWait(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Prefer: wait");
        }
    }

    @Test
    void shouldMatchTheStatusByItsEntityTagStrongOrWeakInAList() {
        assertThat(StatusResource.matches("\"abc\"", "abc")).isTrue();
        assertThat(StatusResource.matches("W/\"abc\"", "abc")).isTrue();
        assertThat(StatusResource.matches("\"x\", \"abc\"", "abc")).isTrue();
        assertThat(StatusResource.matches("*", "abc")).isTrue();
        assertThat(StatusResource.matches("\"abcd\"", "abc")).isFalse();
        assertThat(StatusResource.matches("abc", "abc")).as("unquoted is no entity tag").isFalse();
    }
}
