package io.ferry.scanner;

import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ScanEvent;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jboss.logging.Logger;

/**
 * Writes plans and scan events in Kafka transactions, so the verifier never sees an
 * ObjectChanged without its tasks, and a ScanCompleted only after every change of its scan.
 * Thread-safe: scans of different jobs take turns.
 */
final class ChangeEmitter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeEmitter.class);
    private static final JsonSerde<ObjectChanged> CHANGES = JsonSerde.of(ObjectChanged.class);
    private static final JsonSerde<ChunkTask> TASKS = JsonSerde.of(ChunkTask.class);
    private static final JsonSerde<ScanEvent> SCANS = JsonSerde.of(ScanEvent.class);

    private final java.util.function.Supplier<Producer<String, byte[]>> factory;
    private Producer<String, byte[]> producer;
    /** Set by {@link #close}: no producer is made after it. */
    private boolean closed;

    ChangeEmitter(Properties transactionalProducerProps) {
        this(() -> new KafkaProducer<>(transactionalProducerProps));
    }

    ChangeEmitter(java.util.function.Supplier<Producer<String, byte[]>> factory) {
        this.factory = factory;
    }

    synchronized void emit(PlanUnit unit) {
        inTransaction(p -> {
            for (ObjectChanged c : unit.changes()) {
                p.send(new ProducerRecord<>(Topics.OBJECT_CHANGES, Keys.object(c.job(), c.objectKey()),
                        CHANGES.serialize(Topics.OBJECT_CHANGES, c)));
            }
            for (ChunkTask t : unit.tasks()) {
                p.send(new ProducerRecord<>(Topics.CHUNK_TASKS, t.taskKey(), TASKS.serialize(Topics.CHUNK_TASKS, t)));
            }
        });
    }

    synchronized void emit(ObjectChanged change) {
        inTransaction(p -> p.send(new ProducerRecord<>(Topics.OBJECT_CHANGES, Keys.object(change.job(), change.objectKey()),
                CHANGES.serialize(Topics.OBJECT_CHANGES, change))));
    }

    /**
     * Writes a job's withdrawal to every partition of {@code ferry.object-changes.v1} in one
     * transaction: each partition's verifier task forgets the job's objects it holds.
     */
    synchronized void withdraw(ObjectChanged withdrawal) {
        if (withdrawal.change() != ObjectChanged.Change.WITHDRAWN) {
            throw new IllegalArgumentException("not a withdrawal: " + withdrawal.change());
        }
        byte[] value = CHANGES.serialize(Topics.OBJECT_CHANGES, withdrawal);
        String key = Keys.objectPrefix(withdrawal.job());
        inTransaction(p -> {
            List<PartitionInfo> partitions = p.partitionsFor(Topics.OBJECT_CHANGES);
            if (partitions == null || partitions.isEmpty()) {
                throw new KafkaException("no partitions of " + Topics.OBJECT_CHANGES + " known; " + withdrawal.job() + " not withdrawn");
            }
            for (PartitionInfo partition : partitions) {
                p.send(new ProducerRecord<>(Topics.OBJECT_CHANGES, partition.partition(), key, value));
            }
        });
    }

    synchronized void emit(ScanEvent event) {
        inTransaction(p -> p.send(new ProducerRecord<>(Topics.SCANS, event.job(), SCANS.serialize(Topics.SCANS, event))));
    }

    /**
     * Creates the producer and registers its transactional id now, on a thread of its own, so the
     * first scan after a start does not wait for a new KafkaProducer and initTransactions' round
     * trips to the coordinator. Emits wait while it runs; if it fails, the first emit tries again.
     * An emitter closed before it runs is left closed.
     */
    void prepareInBackground() {
        Thread prepare = new Thread(() -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
                try {
                    producer();
                } catch (RuntimeException e) {
                    LOG.warnf("transactional producer not ready yet (%s); the first scan tries again", e.toString());
                }
            }
        }, "ferry-emitter-prepare");
        prepare.setDaemon(true);
        prepare.start();
    }

    /** The producer, created and its transactions initialized when there is none; none is kept if that fails. */
    private Producer<String, byte[]> producer() {
        if (closed) {
            throw new IllegalStateException("change emitter closed");
        }
        if (producer == null) {
            Producer<String, byte[]> created = factory.get();
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void inTransaction(java.util.function.Consumer<Producer<String, byte[]>> body) {
        producer();
        try {
            producer.beginTransaction();
            body.accept(producer);
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // Fatal for this producer: a new one gets a fresh epoch; the caller retries the unit.
            discardProducer();
            throw e;
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                discardProducer();
            }
            throw e;
        } catch (IllegalStateException e) {
            // A commit that timed out leaves the producer refusing everything but a retried commit;
            // a new producer with the same transactional id fences it and aborts what it left open.
            discardProducer();
            throw e;
        }
    }

    private void discardProducer() {
        try {
            producer.close(Duration.ZERO);
        } finally {
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
