package io.ferry.verifier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Status requests waiting for a job's status to change ({@code Prefer: wait}, README "Status"),
 * told by the job-status builder each time it writes or deletes a job's status. Each waiting
 * request has its own future, removed when it completes or times out, so what is held is bounded
 * by the requests waiting now, at most {@link #MAX_WAITING}.
 */
@ApplicationScoped
public class JobStatusWatch {
    /** Requests past this many are answered at once, as if they had not asked to wait. */
    static final int MAX_WAITING = 1_000;

    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    @Inject
    MeterRegistry registry;

    @PostConstruct
    void registerGauge() {
        Gauge.builder("ferry.status.requests.waiting", count, AtomicInteger::get)
                .description("Status requests waiting for a job's status to change (Prefer: wait); past "
                        + MAX_WAITING + " they are answered at once")
                .register(registry);
    }

    /**
     * A future completed when the job's status next changes; the caller bounds the wait (e.g.
     * {@code completeOnTimeout}). Null when {@link #MAX_WAITING} requests wait already.
     */
    CompletableFuture<Void> next(String job) {
        if (count.incrementAndGet() > MAX_WAITING) {
            count.decrementAndGet();
            return null;
        }
        CompletableFuture<Void> change = new CompletableFuture<>();
        // added inside compute: a change removing the job's set cannot leave this future in a set no one completes
        waiting.compute(job, (k, futures) -> {
            Set<CompletableFuture<Void>> into = futures == null ? ConcurrentHashMap.newKeySet() : futures;
            into.add(change);
            return into;
        });
        change.whenComplete((v, e) -> {
            count.decrementAndGet();
            waiting.computeIfPresent(job, (k, futures) -> {
                futures.remove(change);
                return futures.isEmpty() ? null : futures;
            });
        });
        return change;
    }

    /**
     * The job's status was written or deleted (called on a stream thread: completing a future
     * only hands its request on to another thread).
     */
    void changed(String job) {
        Set<CompletableFuture<Void>> futures = waiting.remove(job);
        if (futures != null) {
            futures.forEach(f -> f.complete(null));
        }
    }

    /** How many requests wait now. */
    int waiting() {
        return count.get();
    }
}
