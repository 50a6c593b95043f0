package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    @Test
    void shouldHandOnEveryElementInOrderAndCloseTheStream() {
        var closed = new AtomicBoolean();
        List<Integer> seen = new ArrayList<>();
        // more elements than it may read ahead: the reader waits for room again and again
        try (var it = ReadAhead.of(IntStream.range(0, 10_000).boxed().onClose(() -> closed.set(true)), 16, "test-read-ahead")) {
            it.forEachRemaining(seen::add);
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(seen).isEqualTo(IntStream.range(0, 10_000).boxed().toList());
        assertThat(closed).isTrue();
    }

    @Test
    void shouldThrowWhatTheStreamThrewAfterTheElementsBeforeIt() {
        var failure = new UncheckedIOException(new IOException("connection reset while listing"));
        Stream<Integer> failing = Stream.iterate(0, i -> {
            if (i == 2) {
                throw failure;
            }
            return i + 1;
        });
        try (var it = ReadAhead.of(failing, 16, "test-read-ahead")) {
            assertThat(it.next()).isZero();
            assertThat(it.next()).isEqualTo(1);
            assertThat(it.next()).isEqualTo(2);
            assertThatThrownBy(it::hasNext).isSameAs(failure);
        }
    }

    @Test
    void shouldStopReadingAndCloseTheStreamWhenClosedBeforeItsEnd() {
        var closed = new AtomicBoolean();
        var it = ReadAhead.of(Stream.iterate(0, i -> i + 1).onClose(() -> closed.set(true)), 16, "test-read-ahead");
        assertThat(it.next()).isZero();

        it.close(); // returns once the reader has ended: an endless stream must not keep it going

        assertThat(closed).isTrue();
    }

    @Test
    void shouldGiveUpWaitingWhenInterrupted() {
        var release = new CountDownLatch(1);
        Stream<Integer> slow = Stream.generate(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        });
        var it = ReadAhead.of(slow, 16, "test-read-ahead");
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(it::hasNext).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(InterruptedIOException.class);
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            release.countDown();
            it.close();
        }
    }
}
