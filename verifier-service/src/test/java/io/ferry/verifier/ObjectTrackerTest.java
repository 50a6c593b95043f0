package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.job.StorageEndpoint;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class ObjectTrackerTest {
    static final String JOB = "ml/llama";

    final MockProcessorContext<String, Object> context = new MockProcessorContext<>();

    @Test
    void shouldSendTallyChangesThatWereLeftUnsentWhenTheTaskStopped() {
        KeyValueStore<String, JobTally> changes = addStores();
        // what the task had counted and committed, but not sent on, before it stopped
        JobTally pending = new JobTally(3, 2, 0, 0, 30, 20, 20, 0, java.util.Map.of(1L, 2L), null);
        changes.put(JOB, pending);

        var tracker = new ObjectTracker();
        tracker.init(context);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);

        assertThat(context.forwarded()).singleElement().satisfies(f -> {
            assertThat(f.record().key()).isEqualTo(JOB);
            assertThat(f.record().value()).isEqualTo(pending);
        });
        assertThat(changes.get(JOB)).as("sent once, then forgotten").isNull();
        context.resetForwards();
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(1);
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void shouldAskForACommitOfTheTallyChangesSentOnceTheInputIsStillAndNotWhileItFlows() {
        addStores();
        var tracker = new ObjectTracker();
        tracker.init(context);
        Punctuator send = context.scheduledPunctuators().get(0).getPunctuator();

        // results flowing: a record at most a few ms before each send
        for (long t = 1_000; t < 1_500; t += 10) {
            context.setCurrentSystemTimeMs(t);
            tracker.process(new Record<>(JOB + "|k" + t, (Object) plan("k" + t), t));
            if (t % 100 == 90) {
                send.punctuate(t + 5);
            }
        }
        assertThat(context.forwarded()).as("statuses and tally changes").isNotEmpty();
        assertThat(context.committed()).as("no commit asked for while records keep coming").isFalse();

        // the last records of a run; the next send comes too soon after them, the one after finds the input still
        send.punctuate(1_490 + ObjectTracker.QUIET.toMillis() - 1);
        assertThat(context.committed()).isFalse();
        send.punctuate(1_490 + ObjectTracker.QUIET.toMillis());
        assertThat(context.committed()).as("what was sent is committed at once").isTrue();

        context.resetCommit();
        send.punctuate(5_000);
        assertThat(context.committed()).as("nothing sent since").isFalse();
    }

    static ObjectChanged plan(String key) {
        var endpoints = new Endpoints(new StorageEndpoint("file:///s/", Map.of()), new StorageEndpoint("file:///d/", Map.of()));
        return new ObjectChanged(JOB, key, "p-" + key, ObjectChanged.Change.UPSERT, 10, "v1", Instant.EPOCH, 1, 0, 3, endpoints,
                CopyPlan.singlePut(10));
    }

    KeyValueStore<String, JobTally> addStores() {
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
        return changes;
    }
}
