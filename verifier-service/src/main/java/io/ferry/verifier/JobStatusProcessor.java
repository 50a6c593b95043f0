package io.ferry.verifier;

import io.ferry.schemas.job.JobMode;
import io.ferry.schemas.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each new view of a job into its status, keeping the previous one for transition times
 * (store {@code job-status}) and the view (store {@code job-views}). Time alone changes a status
 * too: a scan that does not come makes a continuous job's InSync unknown, though no record
 * arrives to say so; every {@link #RECHECK} the views are computed again and what changed is sent.
 * Each change worth telling others (a run completed or failed, in or out of sync) is forwarded as
 * a {@link io.ferry.schemas.events.JobEvent} beside the status, in the same transaction. Each job
 * whose status is written or deleted is told to {@code changed} (the requests waiting for it).
 */
final class JobStatusProcessor implements Processor<String, JobView, String, Object> {
    static final String STORE = "job-status";
    static final String VIEWS = "job-views";
    static final Duration RECHECK = Duration.ofSeconds(10);

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, JobStatus> store;
    private KeyValueStore<String, JobView> views;
    private final Consumer<String> changed;

    JobStatusProcessor(Consumer<String> changed) {
        this.changed = changed;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.views = context.getStateStore(VIEWS);
        context.schedule(RECHECK, PunctuationType.WALL_CLOCK_TIME, this::recheck);
    }

    @Override
    public void process(Record<String, JobView> record) {
        if (record.value() == null || record.value().job() == null) {
            views.delete(record.key());
            if (store.delete(record.key()) != null) {
                changed.accept(record.key());
                context.forward(record.withValue(null));
            }
            return;
        }
        views.put(record.key(), record.value());
        JobStatus previous = store.get(record.key());
        JobStatus next = JobStatuses.compute(record.value(), previous, Instant.ofEpochMilli(record.timestamp()));
        store.put(record.key(), next);
        changed.accept(record.key());
        context.forward(record.withValue(next));
        JobEvents.between(previous, next, Instant.ofEpochMilli(record.timestamp()))
                .forEach(event -> context.forward(new Record<>(record.key(), event, record.timestamp())));
        if (previous == null || previous.phase() != next.phase()) {
            // Others wait on a new phase, read from the status topic: a scanner's once job for its
            // Completed before it may run again. Under exactly-once the topic shows it only once the
            // transaction commits; a few phase changes per run are worth a commit now, not at the
            // commit interval.
            context.commit();
        }
    }

    private void recheck(long timestamp) {
        Instant now = Instant.ofEpochMilli(timestamp);
        try (KeyValueIterator<String, JobView> it = views.all()) {
            while (it.hasNext()) {
                KeyValue<String, JobView> view = it.next();
                if (view.value.job().mode() != JobMode.CONTINUOUS) {
                    continue; // only a continuous job's status depends on time passing
                }
                JobStatus previous = store.get(view.key);
                JobStatus next = JobStatuses.compute(view.value, previous, now);
                if (!sameButForReconcileTime(previous, next)) {
                    store.put(view.key, next);
                    changed.accept(view.key);
                    context.forward(new Record<>(view.key, next, timestamp));
                    JobEvents.between(previous, next, now).forEach(event -> context.forward(new Record<>(view.key, event, timestamp)));
                }
            }
        }
    }

    /** Equal statuses that differ only in when they were computed are not worth a record. */
    static boolean sameButForReconcileTime(JobStatus a, JobStatus b) {
        return a != null && b != null && Objects.equals(withoutReconcileTime(a), withoutReconcileTime(b));
    }

    private static JobStatus withoutReconcileTime(JobStatus s) {
        return new JobStatus(s.job(), s.phase(), s.startTime(), s.completionTime(), null, s.retryCount(), s.message(),
                s.conditions(), s.observedGeneration(), s.progress());
    }
}
