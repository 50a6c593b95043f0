package io.ferry.scanner;

import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.job.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scanner's Kafka Streams topology: two global tables, queried by {@link VerifiedState}. A record
 * that cannot be read is parked (ParkingExceptionHandler) and its key keeps its last good value; a
 * value that cannot be read back from the store reads as absent, so the object is copied again.
 */
@ApplicationScoped
public class VerifiedStateTopology {

    @Produces
    public Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        // Uncached: a scan looks up every listed key and walks the job's range once for deletions,
        // and a cache in front of RocksDB adds a TreeMap lookup to each get and merges two iterators
        // for each range. All it saves is a RocksDB write when two statuses of one object arrive
        // within one commit interval.
        // Kept as the bytes each status came in, checked on the way in (junk is parked, its key keeps
        // its last good value) and read by VerifiedState when looked up: every object's statuses
        // pass through here, and most are replaced before a scan asks for them.
        builder.globalTable(Topics.OBJECT_STATUS,
                Consumed.with(Serdes.String(), Serdes.serdeFrom(Serdes.ByteArray().serializer(),
                        JsonSerde.of(ObjectStatus.class).checking())).withName("object-status-source"),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(VerifiedState.OBJECT_STATUS_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray())
                        .withCachingDisabled());
        builder.globalTable(Topics.JOB_STATUS,
                Consumed.with(Serdes.String(), JsonSerde.of(JobStatus.class)).withName("job-status-source"),
                Materialized.<String, JobStatus, KeyValueStore<Bytes, byte[]>>as(VerifiedState.JOB_STATUS_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.forStore(JobStatus.class)));
        return builder.build();
    }
}
