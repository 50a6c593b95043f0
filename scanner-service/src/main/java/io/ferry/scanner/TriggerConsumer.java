package io.ferry.scanner;

import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.schemas.job.ReplicationJob;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Plans single objects named on {@code ferry.triggers.v1} (Ferry's own re-plan requests).
 * A record that is not a trigger, or names an unknown job, is parked on the dead-letter topic.
 */
final class TriggerConsumer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TriggerConsumer.class);
    static final String GROUP = "ferry-scanner-triggers";
    private static final JsonSerde<ObjectTrigger> TRIGGERS = JsonSerde.of(ObjectTrigger.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final JobCatalog catalog;
    private final JobScheduler scheduler;
    private final Thread thread;
    private volatile boolean running = true;

    TriggerConsumer(String bootstrap, JobCatalog catalog, JobScheduler scheduler) {
        this.consumer = new KafkaConsumer<>(KafkaClients.bytesConsumer(bootstrap, GROUP));
        this.deadLetters = new KafkaProducer<>(KafkaClients.bytesProducer(bootstrap));
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.thread = new Thread(this::run, "ferry-trigger-consumer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.TRIGGERS));
            while (running) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "trigger consumer stopped");
        } finally {
            consumer.close();
            deadLetters.close();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
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
        Optional<ReplicationJob> job = catalog.get(trigger.job());
        if (job.isEmpty()) {
            park(r, "unknown job '" + trigger.job() + "'");
            return;
        }
        scheduler.replan(job.get(), trigger);
    }

    private void park(ConsumerRecord<byte[], byte[]> r, String reason) {
        LOG.warnf("parking trigger %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), reason);
        deadLetters.send(DeadLetters.of(r, reason, "scanner-service"));
        deadLetters.flush();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
