package io.ferry.verifier;

import io.ferry.auth.Grants;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.job.JobStatus;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over the verifier's stores. Answers from this instance's partitions; run
 * one verifier instance per status endpoint, or query each (see README, "Scaling"). Every call
 * carries a bearer token whose groups grant reading the job's namespace (403 otherwise).
 */
@Path("/jobs/{namespace}/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    /** A page of objects; {@code next} is the {@code after} value for the following page, absent on the last. */
    public record ObjectPage(List<ObjectStatus> items, String next) {
    }

    @Inject
    KafkaStreams streams;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/status")
    public Response status(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        Optional<Response> refused = refused(namespace);
        if (refused.isPresent()) {
            return refused.get();
        }
        ReadOnlyKeyValueStore<String, JobStatus> store = store(JobStatusProcessor.STORE);
        if (store == null) {
            return unavailable();
        }
        JobStatus status = store.get(Keys.job(namespace, name));
        return status == null
                ? Response.status(404).entity(Map.of("error", "no status for job " + namespace + "/" + name)).build()
                : Response.ok(status).build();
    }

    @GET
    @Path("/objects")
    public Response objects(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("state") String state, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        Optional<Response> refused = refused(namespace);
        if (refused.isPresent()) {
            return refused.get();
        }
        ObjectState wanted;
        try {
            wanted = state == null ? null : ObjectState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("error", "state: must be one of " + List.of(ObjectState.values()))).build();
        }
        if (limit < 1 || limit > 1000) {
            return Response.status(400).entity(Map.of("error", "limit: must be between 1 and 1000")).build();
        }
        List<ReadOnlyKeyValueStore<String, ObjectProgress>> partitions = progressPartitions();
        if (partitions == null) {
            return unavailable();
        }
        String prefix = Keys.objectPrefix(Keys.job(namespace, name));
        String from = after == null ? prefix : prefix + after + "\0";
        // Each partition's store is sorted: its first limit+1 matches past the cursor are all it can
        // add to the page. Seeking to the cursor in each and stopping there makes a page cost
        // O(partitions x limit) whatever the job's size, instead of a walk to the end of its range.
        TreeMap<String, ObjectStatus> page = new TreeMap<>();
        for (ReadOnlyKeyValueStore<String, ObjectProgress> partition : partitions) {
            int taken = 0;
            try (KeyValueIterator<String, ObjectProgress> it = partition.range(from, prefix + Character.MAX_VALUE)) {
                while (it.hasNext() && taken <= limit) {
                    KeyValue<String, ObjectProgress> kv = it.next();
                    ObjectStatus status = kv.value == null ? null : kv.value.lastStatus();
                    if (status == null || wanted != null && status.state() != wanted) {
                        continue;
                    }
                    taken++;
                    page.put(kv.key, status);
                    if (page.size() > limit + 1) {
                        page.pollLastEntry();
                    }
                }
            }
        }
        List<ObjectStatus> items = new ArrayList<>(page.values());
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = items.get(limit - 1).objectKey();
        }
        return Response.ok(new ObjectPage(items, next)).build();
    }

    /**
     * The object tracker's progress store of each partition this instance holds, one store per
     * partition so each can be read from the cursor on its own; null while Kafka Streams is not
     * running. An object's page entry is the status its progress last wrote: reading the statuses
     * back from their topic into a table of their own cost the verifier a fetch, three JSON
     * conversions and a RocksDB write per status, for these pages alone.
     */
    private List<ReadOnlyKeyValueStore<String, ObjectProgress>> progressPartitions() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return null;
        }
        List<ReadOnlyKeyValueStore<String, ObjectProgress>> stores = new ArrayList<>();
        try {
            for (var thread : streams.metadataForLocalThreads()) {
                for (var task : thread.activeTasks()) {
                    for (var tp : task.topicPartitions()) {
                        if (tp.topic().equals(Topics.OBJECT_CHANGES)) {
                            stores.add(streams.store(StoreQueryParameters.fromNameAndType(ObjectTracker.STORE,
                                    QueryableStoreTypes.<String, ObjectProgress>keyValueStore()).withPartition(tp.partition())));
                        }
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            return null; // a rebalance moved a partition between the two calls
        }
        return stores;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return null;
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            return null;
        }
    }

    private static Response unavailable() {
        return Response.status(503).header("Retry-After", "1")
                .entity(Map.of("error", "state stores are not ready (Kafka Streams is starting or rebalancing)")).build();
    }

    /** 403 naming the group the caller lacks, unless its token grants reading the namespace. */
    private Optional<Response> refused(String namespace) {
        return Grants.refusal(identity.getPrincipal().getName(), identity.getRoles(), Grants.Action.READ, namespace)
                .map(why -> Response.status(403).entity(Map.of("error", why)).build());
    }
}
