package io.ferry.scanner;

import io.ferry.jobs.JobKernel;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.InvalidJobException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Every valid job on {@code ferry.jobs.v1}, read from the beginning of all partitions (no
 * consumer group), for the REST API and for triggers. Jobs are few, so they are kept in memory.
 * Invalid records are skipped here; {@link JobConsumer} parks them.
 */
final class JobCatalog extends ConsumerThread {
    private static final Logger LOG = Logger.getLogger(JobCatalog.class);

    private final JobKernel kernel;
    private final Map<String, ValidatedJob> jobs = new ConcurrentSkipListMap<>();
    private final CountDownLatch initialLoad = new CountDownLatch(1);
    private List<TopicPartition> partitions;
    private Map<TopicPartition, Long> ends;

    JobCatalog(KafkaClients clients, JobKernel kernel) {
        super(clients, null, "ferry-job-catalog");
        this.kernel = kernel;
    }

    @Override
    protected void subscribe() {
        partitions = consumer.partitionsFor(Topics.JOBS, Duration.ofSeconds(60)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        ends = consumer.endOffsets(partitions);
    }

    @Override
    protected void polled() {
        if (initialLoad.getCount() > 0 && partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
            initialLoad.countDown();
        }
    }

    /** The job consumer parks what is wrong with a job record; the catalog only skips it. */
    @Override
    protected void failed(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
        LOG.warnf(e, "job catalog skips %s-%d@%d", record.topic(), record.partition(), record.offset());
    }

    @Override
    protected void handle(ConsumerRecord<byte[], byte[]> r) {
        String key = KafkaClients.key(r.key());
        if (key == null) {
            return;
        }
        if (r.value() == null) {
            jobs.remove(key);
            kernel.forget(key);
            return;
        }
        try {
            jobs.put(key, kernel.fromRecord(key, r.value()));
        } catch (InvalidJobException e) {
            // parked by JobConsumer; an earlier valid version of the job stays current
        }
    }

    /** Waits until the catalog has read what was on the topic when it started. */
    boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return initialLoad.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Optional<ValidatedJob> get(String key) {
        return Optional.ofNullable(jobs.get(key));
    }

    Collection<ValidatedJob> all() {
        return jobs.values();
    }

    /**
     * The continuous jobs whose source covers a location ({@code s3://bucket/key}, ...), each with
     * the key relative to its source.
     */
    java.util.Map<ValidatedJob, String> covering(String location) {
        java.util.Map<ValidatedJob, String> reached = new java.util.LinkedHashMap<>();
        for (ValidatedJob job : jobs.values()) {
            String root = TriggerFormats.root(io.ferry.storage.StorageUri.parse(job.document().spec().source().storageUri()));
            if (job.settings().mode() == io.ferry.schemas.job.JobMode.CONTINUOUS && location.startsWith(root)
                    && location.length() > root.length()) {
                reached.put(job, location.substring(root.length()));
            }
        }
        return reached;
    }

    /** Records a job this instance just wrote, so a read right after a write sees it. */
    void written(ValidatedJob job) {
        jobs.put(job.key(), job);
    }

    void deleted(String key) {
        jobs.remove(key);
    }
}
