package io.ferry.scanner;

import io.ferry.auth.Grants;
import io.ferry.jobs.JobDocuments;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.Keys;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobRefusedException;
import io.ferry.schemas.job.ReplicationJob;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The job API: {@code POST /jobs} takes a ReplicationJob as YAML or JSON, validates it, and
 * writes it to {@code ferry.jobs.v1}; nothing is written for an invalid job (400 naming the
 * field). Reads come from the compacted topic, merged with the verifier's latest status. Every
 * call carries a bearer token (401 without one) whose groups grant the action on the job's
 * namespace (403 naming the group it lacks); listing shows only the namespaces it may read.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    @Inject
    ScannerService service;

    @Inject
    VerifiedState verified;

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

    /**
     * Only the YAML and JSON media types (anything else is 415): a browser can send text/plain
     * across origins without asking, so a web page could otherwise submit jobs.
     */
    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
    public Response submit(byte[] body) throws Exception {
        // who may submit to the namespace is asked before anything else of the job is looked at
        ReplicationJob document = JobDocuments.parse(body);
        Optional<Response> refused = refused(Grants.Action.SUBMIT, document.metadata().namespaceOrDefault());
        if (refused.isPresent()) {
            return refused.get();
        }
        ValidatedJob job = service.kernel().accept(document);
        service.catalogLoaded(Duration.ofSeconds(30));
        long generation = service.catalog().get(job.key())
                .map(previous -> sameSpec(previous.document(), job.document()) ? previous.generation() : previous.generation() + 1)
                .orElseGet(() -> afterDeleted(job.key()));
        ValidatedJob stored = job.atGeneration(generation);
        producer.send(new ProducerRecord<>(Topics.JOBS, utf8(stored.key()), service.kernel().toRecord(stored)))
                .get(30, TimeUnit.SECONDS);
        service.catalog().written(stored);
        var response = Response.created(URI.create("/jobs/" + stored.key())).entity(stored.document());
        for (String field : stored.notHonoured()) {
            // RFC 7234 warn-code 299 ("miscellaneous persistent warning"), as the Kubernetes API server uses.
            response.header("Warning", "299 ferry \"" + field.replace("\"", "'") + "\"");
        }
        return response.build();
    }

    /**
     * The first generation of a job: 1, or past the generation of a deleted job of the same name
     * whose status is still in view, so the job created again is never taken for the one already
     * finished.
     */
    private long afterDeleted(String key) {
        return verified.ready() ? verified.job(key).map(s -> s.observedGeneration() + 1).orElse(1L) : 1L;
    }

    private static boolean sameSpec(ReplicationJob a, ReplicationJob b) {
        return a.spec().equals(b.spec()) && a.metadata().annotations().equals(b.metadata().annotations());
    }

    @GET
    public List<ReplicationJob> list() throws InterruptedException {
        service.catalogLoaded(Duration.ofSeconds(30));
        return service.catalog().all().stream().map(ValidatedJob::document)
                .filter(job -> Grants.allows(identity.getRoles(), Grants.Action.READ, job.metadata().namespaceOrDefault()))
                .map(this::withStatus).toList();
    }

    @GET
    @Path("/{namespace}/{name}")
    public Response get(@PathParam("namespace") String namespace, @PathParam("name") String name) throws InterruptedException {
        Optional<Response> refused = refused(Grants.Action.READ, namespace);
        if (refused.isPresent()) {
            return refused.get();
        }
        service.catalogLoaded(Duration.ofSeconds(30));
        return service.catalog().get(Keys.job(namespace, name))
                .map(job -> Response.ok(withStatus(job.document())).build())
                .orElseGet(() -> notFound(namespace, name));
    }

    @DELETE
    @Path("/{namespace}/{name}")
    public Response delete(@PathParam("namespace") String namespace, @PathParam("name") String name) throws Exception {
        Optional<Response> refused = refused(Grants.Action.DELETE, namespace);
        if (refused.isPresent()) {
            return refused.get();
        }
        service.catalogLoaded(Duration.ofSeconds(30));
        String key = Keys.job(namespace, name);
        if (service.catalog().get(key).isEmpty()) {
            return notFound(namespace, name);
        }
        producer.send(new ProducerRecord<>(Topics.JOBS, utf8(key), null)).get(30, TimeUnit.SECONDS);
        service.catalog().deleted(key);
        return Response.noContent().build();
    }

    /**
     * Starts a run of the job now, whatever its mode (a continuous job scans now; a once job that
     * finished runs again): written to {@code ferry.triggers.v1} as {@code {"job": ...}}, acted on
     * from there at least once. 202; 404 for an unknown job; 409 for a suspended one; 403 without
     * {@code submit} on the namespace.
     */
    @POST
    @Path("/{namespace}/{name}/sync")
    public Response sync(@PathParam("namespace") String namespace, @PathParam("name") String name) throws Exception {
        Optional<Response> refused = refused(Grants.Action.SUBMIT, namespace);
        if (refused.isPresent()) {
            return refused.get();
        }
        service.catalogLoaded(Duration.ofSeconds(30));
        String key = namespace + "/" + name;
        var job = service.catalog().get(key);
        if (job.isEmpty()) {
            return notFound(namespace, name);
        }
        if (job.get().settings().suspended()) {
            return Response.status(409).entity(Map.of("error", TriggerFormats.suspended(key))).build();
        }
        byte[] trigger = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(Map.of("job", key));
        producer.send(new ProducerRecord<>(Topics.TRIGGERS, utf8(key), trigger)).get(30, TimeUnit.SECONDS);
        return Response.accepted(Map.of("job", key, "run", "requested")).build();
    }

    private ReplicationJob withStatus(ReplicationJob job) {
        if (!verified.ready()) {
            return job;
        }
        return verified.job(job.key()).map(job::withStatus).orElse(job);
    }

    /** 403 naming the group the caller lacks, when its token does not grant the action on the namespace. */
    private Optional<Response> refused(Grants.Action action, String namespace) {
        return Grants.refusal(identity.getPrincipal().getName(), identity.getRoles(), action, namespace)
                .map(why -> Response.status(403).entity(Map.of("error", why)).build());
    }

    private static Response notFound(String namespace, String name) {
        return Response.status(404).entity(Map.of("error", "no job " + namespace + "/" + name)).build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** 400 with every field at fault (403 for a job outside its namespace's policy); nothing has been written. */
    @Provider
    public static class InvalidJobMapper implements ExceptionMapper<InvalidJobException> {
        @Override
        public Response toResponse(InvalidJobException e) {
            return Response.status(e instanceof JobRefusedException ? 403 : 400).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", e.getMessage(), "fields", e.errors())).build();
        }
    }
}
