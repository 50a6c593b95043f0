package io.ferry.verifier;

import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;

/**
 * Counts the records parked on {@code ferry.dead-letters.v1} by the service that parked them:
 * {@code ferry_dead_letters_total{rejected_by}}, each registered at zero so that the first parked
 * record is an increase an alert sees. The headers come from any producer, so a value Ferry does not
 * write is counted as {@code other}: a hostile record cannot add series. Where a record came from is
 * in its headers, not in a label.
 */
final class DeadLetterMeter implements Consumer<Headers> {
    static final String OTHER = "other";
    private static final Set<String> SERVICES = Set.of("scanner-service", "transfer-service", "verifier-service");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    DeadLetterMeter(MeterRegistry registry) {
        this.registry = registry;
        SERVICES.forEach(this::counter);
        counter(OTHER);
    }

    @Override
    public void accept(Headers headers) {
        String by = DeadLetters.header(headers, DeadLetters.REJECTED_BY);
        counter(by != null && SERVICES.contains(by) ? by : OTHER).increment();
    }

    private Counter counter(String rejectedBy) {
        return counters.computeIfAbsent(rejectedBy, k -> Counter.builder("ferry.dead.letters")
                .description("Records parked on " + Topics.DEAD_LETTERS + ", by the service that parked them")
                .tag("rejected_by", rejectedBy).register(registry));
    }
}
