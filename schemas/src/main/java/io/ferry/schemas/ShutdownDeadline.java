package io.ferry.schemas;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Bounds how long a service takes to stop. A Kafka client closing while its brokers are gone can
 * wait for them forever ({@code KafkaStreams.close()} without a timeout, as Quarkus calls it; a
 * producer's close with a transaction open), and a process nobody follows up with SIGKILL would then
 * never exit. Started when the stop begins and cancelled when it ends; if the timeout passes first,
 * it logs where the stop is stuck and halts the JVM: what SIGKILL would do, which every Ferry
 * service survives (open transactions abort, state comes back from the changelogs).
 */
public final class ShutdownDeadline {
    /** What {@code ferry.shutdown.timeout} is unless set: within Kubernetes' default grace period of 30 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    /** The exit status of a halted stop; a stop that finished exits as the JVM does after SIGTERM. */
    public static final int HALTED = 1;
    private static final Logger LOG = Logger.getLogger(ShutdownDeadline.class);
    private static final int FRAMES_LOGGED = 30;

    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final Thread watcher;

    private ShutdownDeadline(Duration timeout, Thread stopping, IntConsumer halt) {
        watcher = new Thread(() -> {
            try {
                if (cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            LOG.errorf("the service did not stop within %s (ferry.shutdown.timeout), most likely waiting for Kafka brokers "
                    + "that are gone; halting, as SIGKILL would. The stopping thread, \"%s\", is at:%n%s", timeout,
                    stopping.getName(), Arrays.stream(stopping.getStackTrace()).limit(FRAMES_LOGGED)
                            .map(frame -> "\tat " + frame).collect(Collectors.joining(System.lineSeparator())));
            halt.accept(HALTED);
        }, "ferry-shutdown-deadline");
        watcher.setDaemon(true);
    }

    /** The {@code ferry.shutdown.*} keys, as every service's configuration mapping reads them. */
    public interface Config {
        /** How long a stop may take before the process halts; {@link #DEFAULT_TIMEOUT} unless set. */
        Optional<Duration> timeout();
    }

    /**
     * The configured timeout, {@link #DEFAULT_TIMEOUT} unless set. Read when the service starts:
     * a timeout that is not positive is refused there, naming the key, not found out at the stop.
     */
    public static Duration timeout(Config config) {
        Duration timeout = config.timeout().orElse(DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ferry.shutdown.timeout must be positive, not " + timeout);
        }
        return timeout;
    }

    /** Starts the deadline of a stop that the calling thread runs; call from the stop's first step. */
    public static ShutdownDeadline start(Duration timeout) {
        return start(timeout, Thread.currentThread(), status -> Runtime.getRuntime().halt(status));
    }

    /** As {@link #start(Duration)}, with what halting does given: for tests. */
    static ShutdownDeadline start(Duration timeout, Thread stopping, IntConsumer halt) {
        ShutdownDeadline deadline = new ShutdownDeadline(timeout, stopping, halt);
        deadline.watcher.start();
        return deadline;
    }

    /** The stop finished: nothing will be halted. Waits for the watcher to end. */
    public void cancel() throws InterruptedException {
        cancelled.countDown();
        watcher.join();
    }
}
