package io.ferry.verifier;

import io.ferry.auth.Grants;
import io.ferry.schemas.Keys;
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
        ReadOnlyKeyValueStore<String, ObjectStatus> store = store(VerifierTopology.OBJECT_STATUS_STORE);
        if (store == null) {
            return unavailable();
        }
        String prefix = Keys.objectPrefix(Keys.job(namespace, name));
        String from = after == null ? prefix : prefix + after + "\0";
        // The store spans partitions and iterates them one after another, so keep the smallest
        // limit+1 keys past the cursor: global key order, memory bounded by the page size.
        TreeMap<String, ObjectStatus> page = new TreeMap<>();
        try (KeyValueIterator<String, ObjectStatus> it = store.range(from, prefix + Character.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<String, ObjectStatus> kv = it.next();
                if (kv.value == null || wanted != null && kv.value.state() != wanted) {
                    continue;
                }
                page.put(kv.key, kv.value);
                if (page.size() > limit + 1) {
                    page.pollLastEntry();
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
