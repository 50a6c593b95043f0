package io.ferry.scanner;

import io.ferry.jobs.JobKernel;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.ConsumerGroups;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobRefusedException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Feeds the scheduler the jobs of the {@code ferry.jobs.v1} partitions this instance owns (one
 * consumer group across scanners). On assignment it re-reads the compacted partitions from the
 * start to learn every job; a record that is not a valid job is parked on the dead-letter topic
 * with the reason, and a tombstone withdraws the deleted job, once: only records
 * past the offset committed at assignment are acted on that way, and they are committed after.
 */
final class JobConsumer extends ConsumerThread {
    private static final Logger LOG = Logger.getLogger(JobConsumer.class);

    static final String GROUP = ConsumerGroups.SCANNER_JOBS;

    private final JobScheduler scheduler;
    private final JobKernel kernel;
    private final Map<TopicPartition, Long> committedAtAssignment = new HashMap<>();
    private final Map<TopicPartition, Set<String>> owned = new HashMap<>();

    JobConsumer(KafkaClients clients, JobScheduler scheduler, JobKernel kernel) {
        super(clients, GROUP, "ferry-job-consumer");
        this.scheduler = scheduler;
        this.kernel = kernel;
    }

    @Override
    protected void subscribe() {
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
                    committedAtAssignment.put(tp, c == null ? 0 : c.offset());
                }
                consumer.seekToBeginning(partitions);
            }
        });
    }

    @Override
    protected void handle(ConsumerRecord<byte[], byte[]> r) {
        String key = KafkaClients.key(r.key());
        boolean unseen = r.offset() >= committedAtAssignment.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L);
        if (r.value() == null) {
            if (key != null && unseen) {
                // committed after the withdrawal is written: at least once (a failure parks the tombstone)
                scheduler.withdraw(key);
            } else if (key != null) {
                // re-read after a rebalance: withdrawn before; a job created again since must keep its objects
                scheduler.remove(key);
            }
            return;
        }
        if (key != null) {
            owned.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new HashSet<>()).add(key);
        }
        try {
            ValidatedJob job = kernel.fromRecord(key, r.value());
            if (unseen) {
                // Once per record, as a submit warns once: not again on every re-read after a rebalance.
                job.notHonoured().forEach(field -> LOG.warnf("job %s: %s", job.key(), field));
            }
            scheduler.upsert(job);
        } catch (InvalidJobException e) {
            // Re-read from the start on every assignment: park only what was not parked before.
            if (unseen) {
                park(r, (e instanceof JobRefusedException ? "ReplicationJob outside its namespace's policy: "
                        : "invalid ReplicationJob: ") + e.getMessage());
            }
        }
    }
}
