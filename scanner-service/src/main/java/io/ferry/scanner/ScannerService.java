package io.ferry.scanner;

import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.schemas.KafkaConnection;
import io.ferry.schemas.ShutdownDeadline;
import io.ferry.schemas.TopicAdmin;
import io.ferry.storage.ObjectStores;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** Wires and runs the scanner: topics, the job catalog, the job and trigger consumers, the scheduler. */
@ApplicationScoped
public class ScannerService {
    private static final Logger LOG = Logger.getLogger(ScannerService.class);

    @Inject
    Config mpConfig;

    @Inject
    MeterRegistry registry;

    @Inject
    ScannerConfig config;

    @Inject
    VerifiedState verified;

    private KafkaClients clients;
    private ObjectStores stores;
    private JobKernel kernel;
    private JobCatalog catalog;
    private ChangeEmitter emitter;
    private JobScheduler scheduler;
    private JobConsumer jobs;
    private TriggerConsumer triggers;
    /** Read first at start: a stop before the rest of the start completes is bounded too. */
    private Duration shutdownTimeout = ShutdownDeadline.DEFAULT_TIMEOUT;
    private ShutdownDeadline deadline;

    void start(@Observes StartupEvent event) throws Exception {
        shutdownTimeout = ShutdownDeadline.timeout(config.shutdown());
        KafkaConnection kafka = KafkaConnection.fromConfig(mpConfig.getPropertyNames(), n -> mpConfig.getOptionalValue(n, String.class));
        TopicAdmin.ensureTopics(kafka, config.topics().settings())
                .forEach(difference -> LOG.warnf("topic differs from ferry.topics.*: %s", difference));
        clients = new KafkaClients(kafka, config.topics().settings().maxMessageBytes(),
                config.scanner().instanceId().orElse(null));
        stores = ObjectStores.installed(config.storage());
        kernel = new JobKernel(stores, JobPolicy.of(config.policy(), config.storage()));
        catalog = new JobCatalog(clients, kernel);
        catalog.start();
        emitter = new ChangeEmitter(clients.transactionalProducer("changes"));
        emitter.prepareInBackground();
        scheduler = new JobScheduler(stores, verified, emitter, config.scanner(), Clock.systemUTC(), ScanMeter.of(registry));
        jobs = new JobConsumer(clients, scheduler, kernel);
        jobs.start();
        triggers = new TriggerConsumer(clients, catalog, scheduler);
        triggers.start();
        LOG.infof("scanner started against %s", kafka);
    }

    /** The stop's first step: from here {@code ferry.shutdown.timeout} bounds it. */
    void beginStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        deadline = ShutdownDeadline.start(shutdownTimeout);
    }

    /** The stop's last step: every client is closed. */
    void endStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) throws InterruptedException {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        for (AutoCloseable c : new AutoCloseable[] {triggers, jobs, scheduler, emitter, catalog}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                LOG.warnf(e, "error while stopping");
            }
        }
    }

    /** The consumer threads, for the liveness check; empty before start. */
    List<ConsumerThread> consumers() {
        return catalog == null ? List.of() : List.of(catalog, jobs, triggers);
    }

    JobKernel kernel() {
        return kernel;
    }

    JobCatalog catalog() {
        return catalog;
    }

    KafkaClients clients() {
        return clients;
    }

    boolean catalogLoaded(Duration timeout) throws InterruptedException {
        return catalog.awaitLoaded(timeout);
    }
}
