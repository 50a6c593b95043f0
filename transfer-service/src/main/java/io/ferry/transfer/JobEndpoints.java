package io.ferry.transfer;

import io.ferry.jobs.JobKernel;
import io.ferry.schemas.KafkaConnection;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.AbortUpload;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.job.InvalidJobException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The endpoints of every job on {@code ferry.jobs.v1}, as the job kernel (with the namespace
 * policy) reads them, so a worker copies only what a job it knows asks for: a task whose job is
 * unknown, or whose endpoints are not its job's, is refused (a forged task, or one planned for a
 * job's earlier destination). Read from the beginning of every partition, no consumer group.
 * A deleted job's last endpoints are kept for the aborts of its open uploads.
 */
final class JobEndpoints implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobEndpoints.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConnection kafka;
    private final JobKernel kernel;
    private final Map<String, Endpoints> current = new ConcurrentHashMap<>();
    private final Map<String, Endpoints> deleted = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    /** When the reader last stood at the end of every partition, having asked for the ends after that moment began. */
    private volatile long caughtUpAt = Long.MIN_VALUE;
    /** The latest moment a task asked for the topic read to its end; the ends are fetched only then. */
    private volatile long wantedAt = Long.MIN_VALUE;

    JobEndpoints(KafkaConnection kafka, JobKernel kernel) {
        this.kafka = kafka;
        this.kernel = kernel;
        this.thread = new Thread(this::run, "ferry-transfer-jobs");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Why {@code task} may not run, or empty when its job asks for exactly these endpoints. A task
     * that does not match what has been read so far is decided only after the reader has caught up
     * with the topic (a job is written before its tasks), waiting at most {@code wait}.
     */
    Optional<String> refusal(ChunkTask task, Duration wait) throws InterruptedException {
        if (matches(task)) {
            return Optional.empty();
        }
        long asked = System.nanoTime();
        wantedAt = asked;
        long deadline = asked + wait.toNanos();
        while (caughtUpAt <= asked) {
            if (System.nanoTime() > deadline) {
                return Optional.of("the jobs topic could not be read within " + wait + "; task of " + task.job() + " not run");
            }
            Thread.sleep(20);
        }
        if (matches(task)) {
            return Optional.empty();
        }
        return Optional.of(current.containsKey(task.job())
                ? "task endpoints are not those of job " + task.job() + " (forged, or planned for an earlier version of it)"
                : "task of unknown job " + task.job());
    }

    private boolean matches(ChunkTask task) {
        Endpoints job = current.get(task.job());
        if (job == null && task instanceof AbortUpload) {
            job = deleted.get(task.job());
        }
        return task.endpoints().equals(job);
    }

    private void run() {
        while (running) {
            Properties p = kafka.properties();
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(Topics.JOBS, Duration.ofSeconds(60)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (running) {
                    // Asking the broker for the ends costs a request: only while a task waits on them.
                    boolean wanted = wantedAt >= caughtUpAt;
                    long started = System.nanoTime();
                    Map<TopicPartition, Long> ends = wanted ? c.endOffsets(partitions) : Map.of();
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                        read(r);
                    }
                    if (wanted && partitions.stream().allMatch(tp -> c.position(tp) >= ends.get(tp))) {
                        caughtUpAt = started;
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    LOG.errorf(e, "reading %s failed; reading it again", Topics.JOBS);
                    sleep();
                }
            }
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            Endpoints gone = current.remove(key);
            if (gone != null) {
                deleted.put(key, gone);
            }
            kernel.forget(key);
            return;
        }
        try {
            current.put(key, kernel.fromRecord(key, r.value()).endpoints());
            deleted.remove(key);
        } catch (InvalidJobException e) {
            // the scanner parks it; an earlier valid version of the job stays current
            LOG.debugf("job record %s-%d@%d not taken: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
