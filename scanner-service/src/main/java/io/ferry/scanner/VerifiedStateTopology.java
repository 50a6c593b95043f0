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
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The scanner's Kafka Streams topology: a global store of object statuses and a global table of job
 * statuses, queried by {@link VerifiedState}. A record
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
        // Every status of every object passes through here, and most are replaced before a scan asks
        // for one: each is read once, strictly, on its way in (junk is parked and its key keeps its
        // last good value), then kept as the bytes it came in; VerifiedState reads one when a scan
        // looks it up. A global table would read each twice more (the old value it replaces, the
        // store's copy): a global table takes its store's serdes from Consumed, the checking one.
        builder.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(
                        Stores.persistentTimestampedKeyValueStore(VerifiedState.OBJECT_STATUS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                Topics.OBJECT_STATUS,
                Consumed.with(Serdes.String(), Serdes.serdeFrom(Serdes.ByteArray().serializer(), JsonSerde.of(ObjectStatus.class).checking()))
                        .withName("object-status-source"),
                () -> new Processor<String, byte[], Void, Void>() {
                    private TimestampedKeyValueStore<String, byte[]> store;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        store = context.getStateStore(VerifiedState.OBJECT_STATUS_STORE);
                    }

                    @Override
                    public void process(Record<String, byte[]> record) {
                        if (record.key() == null) {
                            return;
                        }
                        if (record.value() == null) {
                            store.delete(record.key());
                        } else {
                            store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
                        }
                    }
                });
        builder.globalTable(Topics.JOB_STATUS,
                Consumed.with(Serdes.String(), JsonSerde.of(JobStatus.class)).withName("job-status-source"),
                Materialized.<String, JobStatus, KeyValueStore<Bytes, byte[]>>as(VerifiedState.JOB_STATUS_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.forStore(JobStatus.class)));
        return builder.build();
    }
}
