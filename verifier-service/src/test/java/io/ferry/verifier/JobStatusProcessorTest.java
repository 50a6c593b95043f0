package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.events.ScanStarted;
import io.ferry.schemas.job.JobMode;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class JobStatusProcessorTest {
    static final String JOB = "ml/llama";
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void shouldAskForACommitWhenAJobChangesPhaseAndOnlyThen() {
        var context = new MockProcessorContext<String, Object>();
        KeyValueStore<String, JobStatus> statuses = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(JobStatusProcessor.STORE),
                Serdes.String(), JsonSerde.of(JobStatus.class)).withLoggingDisabled().build();
        KeyValueStore<String, JobView> views = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(JobStatusProcessor.VIEWS),
                Serdes.String(), JsonSerde.of(JobView.class)).withLoggingDisabled().build();
        statuses.init(context.getStateStoreContext(), statuses);
        views.init(context.getStateStoreContext(), views);
        context.addStateStore(statuses);
        context.addStateStore(views);
        var processor = new JobStatusProcessor(job -> { });
        processor.init(context);
        var job = new JobDefinition(JOB, 1, JobMode.ONCE, Duration.ofMinutes(1), false);

        processor.process(new Record<>(JOB, new JobView(job, ScanLog.empty(), null), T0.toEpochMilli()));
        JobPhase first = statuses.get(JOB).phase();
        assertThat(context.committed()).as("a first status").isTrue();

        context.resetCommit();
        processor.process(new Record<>(JOB, new JobView(job, ScanLog.empty(), null), T0.plusSeconds(1).toEpochMilli()));
        assertThat(statuses.get(JOB).phase()).isEqualTo(first);
        assertThat(context.committed()).as("the same phase again").isFalse();

        var scanning = ScanLog.empty().apply(new ScanStarted(JOB, 1, 1, T0.plusSeconds(2)));
        processor.process(new Record<>(JOB, new JobView(job, scanning, null), T0.plusSeconds(2).toEpochMilli()));
        assertThat(statuses.get(JOB).phase()).isNotEqualTo(first);
        assertThat(context.committed()).as("a new phase").isTrue();
    }
}
