package io.ferry.scanner;

import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobDocuments;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.storage.ObjectStores;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Feeds the scheduler the jobs of the {@code ferry.jobs.v1} partitions this instance owns (one
 * consumer group across scanners). On assignment it re-reads the compacted partitions from the
 * start to learn every job; a record that is not a valid job is parked on the dead-letter topic
 * with the reason, once (only records past the committed offset are parked).
 */
final class JobConsumer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobConsumer.class);
    static final String GROUP = "ferry-scanner";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final JobScheduler scheduler;
    private final ObjectStores stores;
    private final Map<TopicPartition, Long> parkedUpTo = new HashMap<>();
    private final Map<TopicPartition, Set<String>> owned = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    JobConsumer(String bootstrap, JobScheduler scheduler, ObjectStores stores) {
        this.consumer = new KafkaConsumer<>(KafkaClients.bytesConsumer(bootstrap, GROUP));
        this.deadLetters = new KafkaProducer<>(KafkaClients.bytesProducer(bootstrap));
        this.scheduler = scheduler;
        this.stores = stores;
        this.thread = new Thread(this::run, "ferry-job-consumer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.JOBS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Their jobs move to the new owner, which starts them again (a scan in progress here finishes).
                    for (TopicPartition tp : partitions) {
                        Set<String> keys = owned.remove(tp);
                        if (keys != null) {
                            keys.forEach(scheduler::remove);
                        }
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
                    for (TopicPartition tp : partitions) {
                        OffsetAndMetadata c = committed.get(tp);
                        parkedUpTo.put(tp, c == null ? 0 : c.offset());
                    }
                    consumer.seekToBeginning(partitions);
                }
            });
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
            LOG.errorf(e, "job consumer stopped");
        } finally {
            consumer.close();
            deadLetters.close();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        String key = KafkaClients.key(r.key());
        if (r.value() == null) {
            if (key != null) {
                scheduler.remove(key);
            }
            return;
        }
        if (key != null) {
            owned.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new java.util.HashSet<>()).add(key);
        }
        try {
            ReplicationJob job = JobDocuments.parse(r.value());
            JobValidation.checkSchemes(job, stores);
            if (!job.key().equals(key)) {
                throw new InvalidJobException("metadata", "record key '" + key + "' does not match namespace/name '" + job.key() + "'");
            }
            scheduler.upsert(job);
        } catch (InvalidJobException e) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() >= parkedUpTo.getOrDefault(tp, 0L)) {
                LOG.warnf("parking job record %s-%d@%d on %s: %s", r.topic(), r.partition(), r.offset(), Topics.DEAD_LETTERS, e.getMessage());
                deadLetters.send(DeadLetters.of(r, "invalid ReplicationJob: " + e.getMessage(), "scanner-service"));
                deadLetters.flush();
            }
        }
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
