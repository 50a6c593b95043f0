package io.ferry.scanner;

import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.Topics;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * A consumer on a thread of its own: subscribe (or assign), poll, hand each record over, until
 * closed. Records that cannot be accepted are parked on the dead-letter topic with the reason; a
 * record whose handling throws is parked too, so no record stops the thread.
 */
abstract class ConsumerThread implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConsumerThread.class);

    protected final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaClients clients;
    private final boolean grouped;
    private final Thread thread;
    private KafkaProducer<byte[], byte[]> deadLetters;
    private volatile boolean running = true;

    ConsumerThread(KafkaClients clients, String groupId, String threadName) {
        this.clients = clients;
        this.grouped = groupId != null;
        this.consumer = new KafkaConsumer<>(clients.bytesConsumer(groupId));
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Subscribes or assigns; called on the consumer thread before the first poll. */
    protected abstract void subscribe();

    /**
     * Handles one poll's records on the consumer thread: each in turn, then {@link #polled()}, then
     * commits the group's offsets (at least once: a record is handled, or parked, before it is committed).
     */
    private void handle(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                handle(r);
            } catch (RuntimeException e) {
                failed(r, e);
            }
        }
        polled();
        if (grouped && !records.isEmpty()) {
            consumer.commitSync();
        }
    }

    /** Handles one record. */
    protected abstract void handle(ConsumerRecord<byte[], byte[]> record);

    /** Called after each poll's records were handled. */
    protected void polled() {
    }

    /** A record whose handling threw: parked with the reason, by default. */
    protected void failed(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
        LOG.errorf(e, "%s could not handle %s-%d@%d", thread.getName(), record.topic(), record.partition(), record.offset());
        park(record, "failed in " + thread.getName() + ": " + e);
    }

    private void run() {
        try {
            subscribe();
            while (running) {
                handle(consumer.poll(Duration.ofMillis(500)));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s stopped", thread.getName());
        } finally {
            consumer.close();
            if (deadLetters != null) {
                deadLetters.close();
            }
        }
    }

    /** Parks a record on the dead-letter topic, synchronously, so it is there before the offset is committed. */
    protected void park(ConsumerRecord<byte[], byte[]> r, String reason) {
        LOG.warnf("parking %s-%d@%d on %s: %s", r.topic(), r.partition(), r.offset(), Topics.DEAD_LETTERS, reason);
        if (deadLetters == null) {
            deadLetters = new KafkaProducer<>(clients.bytesProducer());
        }
        deadLetters.send(DeadLetters.of(r, reason, "scanner-service"));
        deadLetters.flush();
    }

    /** False once closing: a subscribe() that waits for something checks it. */
    protected boolean running() {
        return running;
    }

    /** Whether the thread is still polling: false once it has stopped, whether closed or failed. */
    boolean alive() {
        return thread.isAlive();
    }

    String name() {
        return thread.getName();
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
