package io.ferry.schemas;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a Ferry record type, using {@link Json#MAPPER}. A null value (a tombstone)
 * maps to null both ways. Bytes that are not JSON of the expected shape raise
 * {@link SerializationException}, which consumers treat as "park on the dead-letter topic".
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final boolean unreadableIsAbsent;

    public JsonSerde(Class<T> type) {
        this(type, false);
    }

    private JsonSerde(Class<T> type, boolean unreadableIsAbsent) {
        this.type = type;
        this.unreadableIsAbsent = unreadableIsAbsent;
        this.reader = Json.MAPPER.readerFor(type);
        this.writer = Json.MAPPER.writerFor(type);
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    /**
     * For a state store kept from a topic others can write to: a value it cannot read is absent
     * rather than an error. Records are still read strictly (and parked) on their way in, but a
     * store restored from that topic gets its bytes unread, junk included; reading such a key back
     * must not fail every later record for it.
     */
    public static <T> JsonSerde<T> forStore(Class<T> type) {
        return new JsonSerde<>(type, true);
    }

    /**
     * Reads each value strictly, as {@link #deserialize} does (junk raises
     * {@link SerializationException}, so it is parked), but hands on the bytes it read instead of
     * the value: for a store kept as bytes and read only now and then.
     */
    public Deserializer<byte[]> checking() {
        return (topic, data) -> {
            read(topic, data);
            return data;
        };
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " for " + topic, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (!unreadableIsAbsent) {
            return read(topic, data);
        }
        try {
            return read(topic, data);
        } catch (SerializationException e) {
            return null;
        }
    }

    private T read(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        T value;
        try {
            value = reader.readValue(data);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new SerializationException("not a valid " + type.getSimpleName() + " on " + topic + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SerializationException("unreadable " + type.getSimpleName() + " on " + topic, e);
        }
        if (value == null) {
            // JSON null is no tombstone (that is a record without a value): a producer wrote junk
            throw new SerializationException("not a valid " + type.getSimpleName() + " on " + topic + ": JSON null");
        }
        return value;
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
