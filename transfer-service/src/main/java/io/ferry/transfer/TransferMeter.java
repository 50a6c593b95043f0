package io.ferry.transfer;

import io.ferry.schemas.events.Endpoints;
import io.ferry.storage.StorageUri;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The transfer worker's storage metrics, labelled by store type (the storageUri scheme: {@code file},
 * {@code s3}, {@code oci}), never by job or key, so their series stay few whatever runs.
 */
final class TransferMeter implements TaskExecutor.Meter {
    /** Copies of a small object take milliseconds, of a 64 MiB part over a slow link minutes. */
    private static final Duration[] COPY_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5)};

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<UriPair, StoreMeters> byUris = new ConcurrentHashMap<>();

    static final int MAX_URI_PAIRS = 1024;

    private record UriPair(String source, String destination) {
    }

    private record StoreMeters(Counter copied, Timer copyDuration, Counter verified) {
    }

    /** Registers the retry counters at zero: a rate over a counter that appears only at its first retry misses it. */
    TransferMeter(MeterRegistry registry) {
        this.registry = registry;
        retries(true);
        retries(false);
    }

    @Override
    public void copied(Endpoints endpoints, long bytes, long nanos) {
        StoreMeters m = meters(endpoints);
        m.copied().increment(bytes);
        m.copyDuration().record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void verified(Endpoints endpoints, long bytes) {
        meters(endpoints).verified().increment(bytes);
    }

    /**
     * The meters of a task's pair of stores, found by its two storageUris. Parsing both URIs and
     * looking the meters up by name for every object was a twelfth of a worker's copy threads on
     * small files (JFR). Jobs come and go, so past {@link #MAX_URI_PAIRS} pairs the lookup starts
     * again; the meters themselves stay registered.
     */
    private StoreMeters meters(Endpoints endpoints) {
        UriPair uris = new UriPair(endpoints.source().storageUri(), endpoints.destination().storageUri());
        StoreMeters m = byUris.get(uris);
        if (m == null) {
            if (byUris.size() >= MAX_URI_PAIRS) {
                byUris.clear();
            }
            m = byUris.computeIfAbsent(uris, u -> storeMeters(storeType(u.source()), storeType(u.destination())));
        }
        return m;
    }

    private StoreMeters storeMeters(String source, String destination) {
        Counter copied = counters.computeIfAbsent("copied|" + source + "|" + destination, k -> Counter.builder("ferry.transfer.copied")
                .baseUnit("bytes").description("Bytes read from sources and written to destinations")
                .tags("source_store", source, "destination_store", destination).register(registry));
        Timer copyDuration = timers.computeIfAbsent(source + "|" + destination, k -> Timer.builder("ferry.transfer.copy.duration")
                .description("Time to copy one small object or one part of a large one, source read to destination written")
                .tags("source_store", source, "destination_store", destination)
                .serviceLevelObjectives(COPY_BUCKETS).register(registry));
        Counter verified = counters.computeIfAbsent("verified|" + destination, k -> Counter.builder("ferry.transfer.verified")
                .baseUnit("bytes").description("Bytes read back from destinations for verification")
                .tags("destination_store", destination).register(registry));
        return new StoreMeters(copied, copyDuration, verified);
    }

    @Override
    public void retried(boolean throttled) {
        retries(throttled).increment();
    }

    private Counter retries(boolean throttled) {
        String cause = throttled ? "throttled" : "error";
        return counters.computeIfAbsent("retries|" + cause, k -> Counter.builder("ferry.transfer.retries")
                .description("Storage calls tried again: after a throttling answer (503 SlowDown, 429) or another retryable error")
                .tags("cause", cause).register(registry));
    }

    /** The scheme of a storageUri, which only names a store installed here: the task passed the job kernel. */
    static String storeType(String storageUri) {
        try {
            return StorageUri.parse(storageUri).scheme();
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }
}
