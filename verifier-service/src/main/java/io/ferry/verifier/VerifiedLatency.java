package io.ferry.verifier;

import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How long an object took from the scan that found it changed to Verified, per job: the
 * {@code replication_object_verified_latency_seconds} histogram (buckets from 1 s to 1 day, labels
 * {@code namespace} and {@code job_name}). A scan's number is its start time in milliseconds
 * (JobScheduler), so the latency is the status's time minus its generation. A status whose
 * generation is not such a time (records of older versions, tests) is not counted.
 */
final class VerifiedLatency implements Consumer<ObjectStatus> {
    private static final Duration LONGEST = Duration.ofDays(366);
    private static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(12), Duration.ofDays(1)};

    private final MeterRegistry registry;
    /** One timer per job, built once: a status is written per object, on the verifier's hot path. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    VerifiedLatency(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(ObjectStatus status) {
        if (status == null || status.state() != ObjectState.VERIFIED || status.updatedAt() == null) {
            return;
        }
        long millis = status.updatedAt().toEpochMilli() - status.generation();
        int slash = status.job().indexOf('/');
        if (millis < 0 || millis > LONGEST.toMillis() || slash < 1) {
            return;
        }
        timers.computeIfAbsent(status.job(), job -> Timer.builder("replication.object.verified.latency")
                .description("From the scan that found an object changed to the object Verified")
                .tag("namespace", job.substring(0, slash)).tag("job_name", job.substring(slash + 1))
                .serviceLevelObjectives(BUCKETS).register(registry))
                .record(millis, TimeUnit.MILLISECONDS);
    }
}
