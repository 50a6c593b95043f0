package io.ferry.scanner;

import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.job.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the verifier has confirmed, as this scanner sees it: global tables of
 * {@code ferry.object-status.v1} and {@code ferry.job-status.v1} kept in RocksDB, so a job of 100
 * million objects costs disk, not heap. Change detection compares listings against it; the
 * destination is never listed. The tables are built by {@link VerifiedStateTopology}.
 */
@ApplicationScoped
public class VerifiedState {
    static final String OBJECT_STATUS_STORE = "scanner-object-status";
    static final String JOB_STATUS_STORE = "scanner-job-status";

    @Inject
    KafkaStreams streams;

    /** A value that cannot be read back (junk restored from the topic unread) reads as absent. */
    private static final JsonSerde<ObjectStatus> STATUS = JsonSerde.forStore(ObjectStatus.class);

    private volatile ReadOnlyKeyValueStore<String, byte[]> objects;
    private volatile ReadOnlyKeyValueStore<String, JobStatus> jobs;

    /** True once the global tables are restored; scans must not start before. */
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** What a scan compares of the verifier's latest status of one object, if it has a readable one. */
    Optional<KnownObject> known(String jobKey, String objectKey) {
        return Optional.ofNullable(KnownObject.read(objectStore().get(Keys.object(jobKey, objectKey))));
    }

    /**
     * Up to {@code limit} statuses of a job's objects after {@code afterObjectKey} (null: from the
     * first), in key order. A long walk (the destination audit) takes page after page instead of
     * holding one RocksDB iterator open for hours.
     */
    public List<StatusPages.Stored> objectsAfter(String jobKey, String afterObjectKey, int limit) {
        String prefix = Keys.objectPrefix(jobKey);
        String from = afterObjectKey == null ? prefix : Keys.object(jobKey, afterObjectKey);
        List<StatusPages.Stored> page = new ArrayList<>(Math.min(limit, 1024));
        try (KeyValueIterator<String, byte[]> it = objectStore().range(from, jobKey + "}")) {
            while (it.hasNext() && page.size() < limit) {
                var kv = it.next();
                if (!kv.key.equals(from) && kv.key.startsWith(prefix)) {
                    page.add(new StoredStatus(kv.key.substring(prefix.length()), kv.value));
                }
            }
        }
        return page;
    }

    /** A status as the table holds it, read from its bytes when asked. */
    private record StoredStatus(String objectKey, byte[] value) implements StatusPages.Stored {
        @Override
        public ObjectStatus status() {
            return STATUS.deserialize(Topics.OBJECT_STATUS, value);
        }
    }

    /** The verifier's latest status of a job, if it has one. */
    public Optional<JobStatus> job(String jobKey) {
        return Optional.ofNullable(jobStore().get(jobKey));
    }

    private ReadOnlyKeyValueStore<String, byte[]> objectStore() {
        if (objects == null) {
            objects = streams.store(StoreQueryParameters.fromNameAndType(OBJECT_STATUS_STORE,
                    QueryableStoreTypes.<String, byte[]>keyValueStore()));
        }
        return objects;
    }

    private ReadOnlyKeyValueStore<String, JobStatus> jobStore() {
        if (jobs == null) {
            jobs = streams.store(StoreQueryParameters.fromNameAndType(JOB_STATUS_STORE,
                    QueryableStoreTypes.<String, JobStatus>keyValueStore()));
        }
        return jobs;
    }
}
