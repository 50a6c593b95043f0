package io.ferry.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Builds the record that parks a rejected input on {@link Topics#DEAD_LETTERS}. */
public final class DeadLetters {
    public static final String REASON = "ferry.reason";
    public static final String SOURCE_TOPIC = "ferry.source.topic";
    public static final String SOURCE_PARTITION = "ferry.source.partition";
    public static final String SOURCE_OFFSET = "ferry.source.offset";
    public static final String REJECTED_BY = "ferry.rejected.by";

    private DeadLetters() {
    }

    /** The original key and value bytes, with why and where from in the headers. */
    public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> rejected, String reason,
            String rejectedBy) {
        return of(rejected.topic(), rejected.partition(), rejected.offset(), rejected.key(), rejected.value(),
                rejected.headers(), reason, rejectedBy);
    }

    /** A rejected input known by its parts (Kafka Streams' error handlers see no ConsumerRecord). */
    public static ProducerRecord<byte[], byte[]> of(String topic, int partition, long offset, byte[] key, byte[] value,
            Headers headers, String reason, String rejectedBy) {
        var out = new ProducerRecord<>(Topics.DEAD_LETTERS, key, value);
        Headers h = out.headers();
        if (headers != null) {
            headers.forEach(h::add);
        }
        h.add(REASON, utf8(reason));
        h.add(SOURCE_TOPIC, utf8(String.valueOf(topic)));
        h.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        h.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        h.add(REJECTED_BY, utf8(rejectedBy));
        return out;
    }

    public static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
