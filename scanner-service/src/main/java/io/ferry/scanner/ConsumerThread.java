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
 * A consumer on a thread of its own: subscribe (or assign), poll, hand each batch over, until
 * closed. Records that cannot be accepted are parked on the dead-letter topic with the reason.
 */
abstract class ConsumerThread implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConsumerThread.class);

    protected final KafkaConsumer<byte[], byte[]> consumer;
    private final String bootstrap;
    private final Thread thread;
    private KafkaProducer<byte[], byte[]> deadLetters;
    private volatile boolean running = true;

    ConsumerThread(String bootstrap, String groupId, String threadName) {
        this.bootstrap = bootstrap;
        this.consumer = new KafkaConsumer<>(KafkaClients.bytesConsumer(bootstrap, groupId));
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Subscribes or assigns; called on the consumer thread before the first poll. */
    protected abstract void subscribe();

    /**
     * Handles one poll's records on the consumer thread: by default each in turn, then commits
     * the group's offsets (at least once: a record is handled, or parked, before it is committed).
     */
    protected void handle(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            handle(r);
        }
        if (!records.isEmpty()) {
            consumer.commitSync();
        }
    }

    /** Handles one record; override this or {@link #handle(ConsumerRecords)}. */
    protected void handle(ConsumerRecord<byte[], byte[]> record) {
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
            deadLetters = new KafkaProducer<>(KafkaClients.bytesProducer(bootstrap));
        }
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
