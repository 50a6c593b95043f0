package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class ObjectTrackerTest {
    @Test
    void shouldSendTallyChangesThatWereLeftUnsentWhenTheTaskStopped() {
        var context = new MockProcessorContext<String, Object>();
        KeyValueStore<String, ObjectProgress> progress = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ObjectTracker.STORE), Serdes.String(), JsonSerde.of(ObjectProgress.class))
                .withLoggingDisabled().build();
        KeyValueStore<String, JobTally> changes = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ObjectTracker.TALLY_CHANGES), Serdes.String(), JsonSerde.of(JobTally.class))
                .withLoggingDisabled().build();
        progress.init(context.getStateStoreContext(), progress);
        changes.init(context.getStateStoreContext(), changes);
        context.addStateStore(progress);
        context.addStateStore(changes);
        // what the task had counted and committed, but not sent on, before it stopped
        JobTally pending = new JobTally(3, 2, 0, 0, 30, 20, 20, 0, java.util.Map.of(1L, 2L), null);
        changes.put("ml/llama", pending);

        var tracker = new ObjectTracker();
        tracker.init(context);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);

        assertThat(context.forwarded()).singleElement().satisfies(f -> {
            assertThat(f.record().key()).isEqualTo("ml/llama");
            assertThat(f.record().value()).isEqualTo(pending);
        });
        assertThat(changes.get("ml/llama")).as("sent once, then forgotten").isNull();
        context.resetForwards();
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(1);
        assertThat(context.forwarded()).isEmpty();
    }
}
