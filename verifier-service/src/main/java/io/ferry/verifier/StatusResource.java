package io.ferry.verifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ferry.auth.Grants;
import io.ferry.checksum.Checksum;
import io.ferry.schemas.Json;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.job.JobStatus;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.context.ManagedExecutor;

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

    /** The longest {@code Prefer: wait} honoured: below the read timeout of common proxies (60 s). */
    static final int MAX_WAIT_SECONDS = 30;

    @Inject
    JobStatusWatch watch;

    @Inject
    ManagedExecutor executor;

    /**
     * The job's status, with an {@code ETag}. With {@code If-None-Match} naming the status's ETag,
     * 304 Not Modified; with {@code Prefer: wait=N} too, the answer waits up to N seconds (at most
     * {@link #MAX_WAIT_SECONDS}) for the status to change, so a client follows a job without
     * polling. {@code Preference-Applied} says when the wait was taken.
     */
    @GET
    @Path("/status")
    @Blocking
    public CompletionStage<Response> status(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @HeaderParam("If-None-Match") String ifNoneMatch, @HeaderParam("Prefer") List<String> prefer) {
        Optional<Response> refused = refused(namespace);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        int wait;
        try {
            wait = ifNoneMatch == null ? 0 : Math.min(requestedWait(prefer), MAX_WAIT_SECONDS);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Response.status(400).entity(Map.of("error", e.getMessage())).build());
        }
        String job = Keys.job(namespace, name);
        // registered before the store is read: a change between the two still completes it
        CompletableFuture<Void> changed = wait > 0 ? watch.next(job) : null;
        int applied = changed == null ? 0 : wait;
        Response now = currentStatus(job, ifNoneMatch, applied);
        if (changed == null || now.getStatus() != 304) {
            if (changed != null) {
                changed.cancel(false);
            }
            return CompletableFuture.completedFuture(now);
        }
        return changed.completeOnTimeout(null, wait, TimeUnit.SECONDS)
                .handleAsync((v, e) -> currentStatus(job, ifNoneMatch, applied), executor);
    }

    /** The job's status now: 200 with its ETag, 304 when {@code ifNoneMatch} names it, 404 or 503 when there is none. */
    private Response currentStatus(String job, String ifNoneMatch, int waitApplied) {
        ReadOnlyKeyValueStore<String, JobStatus> store = store(JobStatusProcessor.STORE);
        if (store == null) {
            return unavailable();
        }
        JobStatus status = store.get(job);
        if (status == null) {
            return Response.status(404).entity(Map.of("error", "no status for job " + job)).build();
        }
        String etag = etag(status);
        Response.ResponseBuilder answer = ifNoneMatch != null && matches(ifNoneMatch, etag)
                ? Response.notModified() : Response.ok(status);
        answer.header("ETag", '"' + etag + '"');
        if (waitApplied > 0) {
            answer.header("Preference-Applied", "wait=" + waitApplied);
        }
        return answer.build();
    }

    /** A strong validator of the status: its JSON's SHA-256, shortened (a collision costs one wait, nothing more). */
    static String etag(JobStatus status) {
        try {
            return Checksum.sha256(Checksum.newSha256().digest(Json.MAPPER.writeValueAsBytes(status))).value().substring(0, 32);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an {@code If-None-Match} value ({@code *}, or a list of entity tags, weak or strong) names {@code etag}. */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals('"' + etag + '"')) {
                return true;
            }
        }
        return false;
    }

    /**
     * The seconds asked for by {@code Prefer: wait=N} (RFC 7240), 0 when none; other preferences are
     * ignored, as the RFC asks.
     *
     * @throws IllegalArgumentException naming the header when {@code wait} is not a whole number of seconds
     */
    static int requestedWait(List<String> prefer) {
        int wait = 0;
        if (prefer == null) {
            return wait;
        }
        for (String header : prefer) {
            for (String preference : header.split(",")) {
                String token = preference.split(";", 2)[0].trim();
                int eq = token.indexOf('=');
                if (!(eq < 0 ? token : token.substring(0, eq)).trim().equalsIgnoreCase("wait")) {
                    continue;
                }
                String value = eq < 0 ? "" : token.substring(eq + 1).trim().replace("\"", "");
                if (!value.matches("[0-9]{1,9}")) {
                    throw new IllegalArgumentException("Prefer: wait must be a whole number of seconds, e.g. wait=10");
                }
                wait = Integer.parseInt(value);
            }
        }
        return wait;
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
