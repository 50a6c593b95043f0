package io.ferry.scanner;

import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.ConsumerGroups;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.storage.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

/**
 * Plans single objects named on {@code ferry.triggers.v1} (Ferry's own re-plan requests), at least
 * once: a trigger is committed only after its re-plan is written (or the trigger parked). A
 * record that is not a trigger, names an unknown job, or whose re-plan fails is parked on the
 * dead-letter topic with the reason. Nothing is read before the job catalog has loaded, so a
 * restart does not find every trigger's job unknown.
 */
final class TriggerConsumer extends ConsumerThread {
    private static final Logger LOG = Logger.getLogger(TriggerConsumer.class);
    static final String GROUP = ConsumerGroups.SCANNER_TRIGGERS;
    private static final JsonSerde<ObjectTrigger> TRIGGERS = JsonSerde.of(ObjectTrigger.class);

    private final JobCatalog catalog;
    private final JobScheduler scheduler;

    TriggerConsumer(KafkaClients clients, JobCatalog catalog, JobScheduler scheduler) {
        super(clients, GROUP, "ferry-trigger-consumer");
        this.catalog = catalog;
        this.scheduler = scheduler;
    }

    @Override
    protected void subscribe() {
        try {
            while (running() && !catalog.awaitLoaded(Duration.ofSeconds(5))) {
                LOG.info("trigger consumer waits for the job catalog to load");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
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
        try {
            scheduler.replan(job.get(), trigger);
        } catch (StorageException | RuntimeException e) {
            // An object left in flight is planned again by a later scan (ferry.scanner.in-flight-timeout).
            park(r, "re-plan of " + trigger.objectKey() + " failed: " + e.getMessage());
        }
    }
}
