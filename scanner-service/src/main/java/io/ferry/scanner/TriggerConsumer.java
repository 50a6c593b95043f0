package io.ferry.scanner;

import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectTrigger;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Plans single objects named on {@code ferry.triggers.v1} (Ferry's own re-plan requests).
 * A record that is not a trigger, or names an unknown job, is parked on the dead-letter topic.
 */
final class TriggerConsumer extends ConsumerThread {
    static final String GROUP = "ferry-scanner-triggers";
    private static final JsonSerde<ObjectTrigger> TRIGGERS = JsonSerde.of(ObjectTrigger.class);

    private final JobCatalog catalog;
    private final JobScheduler scheduler;

    TriggerConsumer(String bootstrap, JobCatalog catalog, JobScheduler scheduler) {
        super(bootstrap, GROUP, "ferry-trigger-consumer");
        this.catalog = catalog;
        this.scheduler = scheduler;
    }

    @Override
    protected void subscribe() {
        consumer.subscribe(List.of(Topics.TRIGGERS));
    }

    @Override
    protected void handle(ConsumerRecord<byte[], byte[]> r) {
        ObjectTrigger trigger;
        try {
            trigger = TRIGGERS.deserialize(r.topic(), r.value());
        } catch (SerializationException e) {
            park(r, e.getMessage());
            return;
        }
        if (trigger == null || trigger.job() == null || trigger.objectKey() == null) {
            park(r, "trigger needs job and objectKey");
            return;
        }
        Optional<ValidatedJob> job = catalog.get(trigger.job());
        if (job.isEmpty()) {
            park(r, "unknown job '" + trigger.job() + "'");
            return;
        }
        scheduler.replan(job.get(), trigger);
    }
}
