package io.ferry.scanner;

import io.ferry.auth.Grants;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.JobMode;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code POST /triggers}: the formats {@code ferry.triggers.v1} takes, over HTTP, for stores and
 * pipelines that push webhooks. The caller needs {@code submit} on the namespace of every job the
 * trigger reaches; a trigger that is no trigger is a 400, one that reaches no continuous job a 404.
 * An accepted trigger is written to the topic as sent (202) and acted on from there, at least once,
 * like any producer's.
 */
@Path("/triggers")
@Produces(MediaType.APPLICATION_JSON)
public class TriggerResource {
    /** A notification is a few kilobytes; S3 batches stay far below this. */
    static final int MAX_BODY_BYTES = 1 << 20;

    @Inject
    ScannerService service;

    @Inject
    SecurityIdentity identity;

    private KafkaProducer<byte[], byte[]> producer;

    @PostConstruct
    void open() {
        producer = new KafkaProducer<>(service.clients().bytesProducer());
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response trigger(byte[] body) throws Exception {
        if (body.length > MAX_BODY_BYTES) {
            return error(413, "a trigger is at most " + MAX_BODY_BYTES + " bytes");
        }
        List<TriggerFormats.Request> requests;
        try {
            requests = TriggerFormats.parse(body);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        service.catalogLoaded(Duration.ofSeconds(30));
        TreeSet<String> jobs = new TreeSet<>();
        for (TriggerFormats.Request request : requests) {
            if (request instanceof TriggerFormats.Replan) {
                return error(400, "Ferry's own re-plan requests are not taken over HTTP");
            }
            String named = TriggerFormats.namedJob(request);
            if (named != null) {
                int slash = named.indexOf('/');
                if (slash < 1) {
                    return error(400, "job must be namespace/name");
                }
                // who may trigger the namespace's jobs is asked before whether the job exists
                Optional<String> refused = Grants.refusal(identity.getPrincipal().getName(), identity.getRoles(),
                        Grants.Action.SUBMIT, named.substring(0, slash));
                if (refused.isPresent()) {
                    return error(403, refused.get());
                }
                Optional<ValidatedJob> job = service.catalog().get(named);
                if (job.isEmpty()) {
                    return error(404, "unknown job '" + named + "'");
                }
                if (!(request instanceof TriggerFormats.WholeJob) && job.get().settings().mode() != JobMode.CONTINUOUS) {
                    return error(409, TriggerFormats.notContinuous(named));
                }
                if (job.get().settings().suspended()) {
                    return error(409, TriggerFormats.suspended(named));
                }
                jobs.add(job.get().key());
            } else {
                var located = (TriggerFormats.Located) request;
                var reached = service.catalog().covering(located.location());
                if (reached.isEmpty()) {
                    return error(404, TriggerFormats.uncovered(located));
                }
                reached.keySet().forEach(j -> jobs.add(j.key()));
            }
        }
        for (String job : jobs) {
            Optional<String> refused = Grants.refusal(identity.getPrincipal().getName(), identity.getRoles(), Grants.Action.SUBMIT,
                    job.substring(0, job.indexOf('/')));
            if (refused.isPresent()) {
                return error(403, refused.get());
            }
        }
        // keyed by the first job reached: one job's triggers are handled in order
        producer.send(new ProducerRecord<>(Topics.TRIGGERS, jobs.first().getBytes(StandardCharsets.UTF_8), body))
                .get(30, TimeUnit.SECONDS);
        return Response.accepted(Map.of("jobs", List.copyOf(jobs))).build();
    }

    private static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
