package io.ferry.verifier;

import io.ferry.schemas.job.JobStatus;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Turns each new view of a job into its status, keeping the previous one for transition times (store {@code job-status}). */
final class JobStatusProcessor implements Processor<String, JobView, String, JobStatus> {
    static final String STORE = "job-status";

    private ProcessorContext<String, JobStatus> context;
    private KeyValueStore<String, JobStatus> store;

    @Override
    public void init(ProcessorContext<String, JobStatus> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, JobView> record) {
        if (record.value() == null || record.value().job() == null) {
            if (store.delete(record.key()) != null) {
                context.forward(record.withValue(null));
            }
            return;
        }
        JobStatus previous = store.get(record.key());
        JobStatus next = JobStatuses.compute(record.value(), previous, Instant.ofEpochMilli(record.timestamp()));
        store.put(record.key(), next);
        context.forward(record.withValue(next));
    }
}
