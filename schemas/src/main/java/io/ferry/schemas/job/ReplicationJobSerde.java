package io.ferry.schemas.job;

import io.ferry.schemas.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for {@code ferry.jobs.v1}: reads with full validation ({@link JobDocuments#parse}), so a
 * record that is not a valid job raises {@link SerializationException} instead of becoming a
 * half-empty job.
 */
public final class ReplicationJobSerde implements Serde<ReplicationJob> {
    @Override
    public Serializer<ReplicationJob> serializer() {
        return (topic, job) -> {
            try {
                return job == null ? null : Json.MAPPER.writeValueAsBytes(job);
            } catch (IOException e) {
                throw new SerializationException("cannot write job", e);
            }
        };
    }

    @Override
    public Deserializer<ReplicationJob> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JobDocuments.parse(bytes);
            } catch (InvalidJobException e) {
                throw new SerializationException("invalid ReplicationJob: " + e.getMessage(), e);
            }
        };
    }
}
