package io.ferry.transfer;

import io.ferry.schemas.ConsumerGroups;
import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.KafkaConnection;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectResult;
import io.ferry.schemas.events.ChunkTask;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.jboss.logging.Logger;

/**
 * The consume-copy-produce loop. Up to {@code concurrency} tasks run in parallel; as tasks finish,
 * each partition's finished prefix is committed, its results with the consumed offsets in one
 * Kafka transaction, so a slow task holds up only the tasks behind it on its partition, never the
 * others. If the transaction fails the tasks are redone, here or on another instance; the storage
 * writes they repeat are idempotent.
 */
final class TransferWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TransferWorker.class);
    static final String GROUP = ConsumerGroups.TRANSFER;
    /** How long a task that matches no job read so far waits for the jobs topic to be read to its end. */
    private static final Duration JOBS_WAIT = Duration.ofSeconds(60);
    private static final JsonSerde<ChunkTask> TASKS = JsonSerde.of(ChunkTask.class);
    /** How long a poll waits with nothing under way; with tasks under way, it returns soon to commit what finished. */
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration BUSY_POLL = Duration.ofMillis(10);

    private final MeterRegistry registry;
    private final KafkaConnection kafka;
    private final int maxRecordBytes;
    private final String worker;
    private final int concurrency;
    private final Duration sessionTimeout;
    private final TaskExecutor executor;
    private final JobEndpoints jobs;
    private final ExecutorService pool;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /** @param maxRecordBytes the largest record it may write (a commit's read-back of 10,000 chunk checksums is ~1 MB) */
    TransferWorker(KafkaConnection kafka, int maxRecordBytes, String worker, int concurrency, Duration sessionTimeout, TaskExecutor executor,
            JobEndpoints jobs, MeterRegistry registry) {
        this.jobs = jobs;
        this.sessionTimeout = sessionTimeout;
        this.registry = registry;
        this.kafka = kafka;
        this.maxRecordBytes = maxRecordBytes;
        this.worker = worker;
        this.concurrency = concurrency;
        this.executor = executor;
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "ferry-transfer-task");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "ferry-transfer-loop");
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try (var c = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
                    var producer = new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
                    // records-lag-max of group ferry-transfer is what an autoscaler (KEDA) watches
                    var consumerMetrics = new KafkaClientMetrics(c);
                    var producerMetrics = new KafkaClientMetrics(producer)) {
                consumerMetrics.bindTo(registry);
                producerMetrics.bindTo(registry);
                consumer = c;
                producer.initTransactions();
                InFlight inFlight = new InFlight();
                c.subscribe(List.of(Topics.CHUNK_TASKS), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        // what is done is committed while the partitions are still this worker's;
                        // what is not is redone by their next owner (storage writes are idempotent)
                        commitFinished(c, producer, inFlight);
                        inFlight.drop(partitions);
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        inFlight.drop(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    }
                });
                while (running) {
                    // at most `concurrency` tasks under way: fetch no more while they are
                    if (inFlight.size() >= concurrency) {
                        c.pause(c.assignment());
                    } else if (!c.paused().isEmpty()) {
                        c.resume(c.paused());
                    }
                    ConsumerRecords<byte[], byte[]> records = c.poll(inFlight.size() == 0 ? IDLE_POLL : BUSY_POLL);
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        inFlight.add(r, pool.submit(() -> execute(r, producer)));
                    }
                    commitFinished(c, producer, inFlight);
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    LOG.errorf(e, "transfer loop failed; reconnecting");
                    sleepQuietly(Duration.ofSeconds(2));
                }
            }
        }
    }

    /**
     * Commits, in one transaction, the results of every partition's finished prefix of tasks with
     * the offsets after it: a task done behind one still running waits (offsets are a prefix), but
     * no partition waits for another's slow task. If the transaction fails the loop starts over
     * from the committed offsets and the tasks are redone.
     */
    private void commitFinished(KafkaConsumer<byte[], byte[]> c, KafkaProducer<byte[], byte[]> producer, InFlight inFlight) {
        Finished done = inFlight.takeFinished();
        if (done.offsets().isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            done.results().forEach(producer::send);
            producer.sendOffsetsToTransaction(done.offsets(), c.groupMetadata());
            producer.commitTransaction();
        } catch (KafkaException e) {
            LOG.warnf(e, "transaction failed; %d tasks will be redone", done.tasks());
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // the producer is unusable (after a commit that timed out it refuses even to abort);
                // the outer loop makes a new one; the broker aborts what this one left open after
                // transaction.timeout.ms
            }
            throw e;
        }
    }

    /** What one commit writes: the results of finished tasks and, per partition, the offset after them. */
    private record Finished(List<ProducerRecord<byte[], byte[]>> results, Map<TopicPartition, OffsetAndMetadata> offsets,
            int tasks) {
    }

    /** Tasks under way, per partition in offset order. Used by the loop thread only. */
    private static final class InFlight {
        private final Map<TopicPartition, ArrayDeque<Pending>> byPartition = new HashMap<>();
        private int size;

        private record Pending(long offset, Future<List<ProducerRecord<byte[], byte[]>>> results) {
        }

        void add(ConsumerRecord<byte[], byte[]> r, Future<List<ProducerRecord<byte[], byte[]>>> results) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayDeque<>())
                    .add(new Pending(r.offset(), results));
            size++;
        }

        int size() {
            return size;
        }

        /** Forgets the partitions' tasks: their results are not committed here. */
        void drop(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                ArrayDeque<Pending> dropped = byPartition.remove(tp);
                size -= dropped == null ? 0 : dropped.size();
            }
        }

        /** Takes each partition's leading run of finished tasks. */
        Finished takeFinished() {
            List<ProducerRecord<byte[], byte[]>> results = new ArrayList<>();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            int tasks = 0;
            for (var entry : byPartition.entrySet()) {
                ArrayDeque<Pending> queue = entry.getValue();
                while (!queue.isEmpty() && queue.peekFirst().results().isDone()) {
                    Pending p = queue.pollFirst();
                    size--;
                    tasks++;
                    try {
                        results.addAll(p.results().get());
                    } catch (ExecutionException e) {
                        throw new KafkaException("task crashed", e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new KafkaException("interrupted", e);
                    }
                    offsets.put(entry.getKey(), new OffsetAndMetadata(p.offset() + 1));
                }
            }
            return new Finished(results, offsets, tasks);
        }
    }

    private List<ProducerRecord<byte[], byte[]>> execute(ConsumerRecord<byte[], byte[]> r, KafkaProducer<byte[], byte[]> producer)
            throws InterruptedException {
        ChunkTask task;
        try {
            task = TASKS.deserialize(r.topic(), r.value());
            if (task == null || task.job() == null || task.endpoints() == null || task.endpoints().source() == null
                    || task.endpoints().destination() == null) {
                throw new SerializationException("task needs job and endpoints.source/destination");
            }
        } catch (SerializationException e) {
            LOG.warnf("parking task %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            registry.counter("ferry.transfer.results", "type", "DeadLettered").increment();
            return List.of(DeadLetters.of(r, e.getMessage(), "transfer-service"));
        }
        var refused = jobs.refusal(task, JOBS_WAIT);
        if (refused.isPresent()) {
            // nothing is read or written for a task no job asked for
            LOG.warnf("parking task %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), refused.get());
            registry.counter("ferry.transfer.results", "type", "DeadLettered").increment();
            return List.of(DeadLetters.of(r, refused.get(), "transfer-service"));
        }
        List<ObjectResult> results;
        try {
            results = executor.run(task);
        } catch (RuntimeException e) {
            // Storage failures come back as ChunkFailed; this is a task the executor cannot run at
            // all. Redoing it would fail the same way, forever, and hold up its partition.
            LOG.errorf(e, "parking task %s-%d@%d: it failed", r.topic(), r.partition(), r.offset());
            registry.counter("ferry.transfer.results", "type", "DeadLettered").increment();
            return List.of(DeadLetters.of(r, "task failed in " + worker + ": " + e, "transfer-service"));
        }
        for (ObjectResult result : results) {
            registry.counter("ferry.transfer.results", "type", result.getClass().getSimpleName()).increment();
        }
        // asked each time (the producer keeps the topic's metadata), so partitions added are followed
        return ResultRecords.of(results, producer.partitionsFor(Topics.CHUNK_RESULTS).size(), maxRecordBytes);
    }

    private Properties consumerProps() {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ferry-transfer-" + worker);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(concurrency));
        // The loop polls every BUSY_POLL while tasks run (partitions paused when it is full), so a
        // 64 MiB chunk that takes minutes over a slow link never holds up a poll: the default
        // max.poll.interval.ms stands.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        return p;
    }

    private Properties producerProps() {
        Properties p = kafka.properties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ferry-transfer-" + worker + "-" + UUID.randomUUID());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes));
        // A transaction opens after the tasks are done and only writes results and offsets. Ids are
        // not reused across restarts, so what a killed worker left open blocks read_committed
        // readers of those partitions until this timeout: 15 s, not the default minute.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "15000");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the task loop still runs: false once it has stopped, whether closed or failed. */
    boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
