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
 * Counts the records parked on {@code ferry.dead-letters.v1}, whoever parked them:
 * {@code ferry_dead_letters_total{rejected_by, source_topic}}. The headers come from any producer,
 * so a value Ferry does not write is counted as {@code other}: a hostile record cannot add series.
 */
final class DeadLetterMeter implements Consumer<Headers> {
    static final String OTHER = "other";
    private static final Set<String> SERVICES = Set.of("scanner-service", "transfer-service", "verifier-service");
    private static final Set<String> TOPICS = Topics.ALL.stream().map(Topics.TopicSpec::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    DeadLetterMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(Headers headers) {
        String by = known(DeadLetters.header(headers, DeadLetters.REJECTED_BY), SERVICES);
        String topic = known(DeadLetters.header(headers, DeadLetters.SOURCE_TOPIC), TOPICS);
        counters.computeIfAbsent(by + "|" + topic, k -> Counter.builder("ferry.dead.letters")
                .description("Records parked on " + Topics.DEAD_LETTERS + ", by the service that parked them and where they were read")
                .tags("rejected_by", by, "source_topic", topic).register(registry)).increment();
    }

    private static String known(String value, Set<String> known) {
        return value != null && known.contains(value) ? value : OTHER;
    }
}
