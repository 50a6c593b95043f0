package io.ferry.transfer;

import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.schemas.KafkaConnection;
import io.ferry.schemas.ShutdownDeadline;
import io.ferry.schemas.TopicAdmin;
import io.ferry.storage.ObjectStores;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** Wires and runs one transfer worker; scale by running more instances (one consumer group). */
@ApplicationScoped
public class TransferService {
    private static final Logger LOG = Logger.getLogger(TransferService.class);

    @Inject
    Config mpConfig;

    @Inject
    TransferConfig config;

    @Inject
    MeterRegistry registry;

    private StoreCache stores;
    private JobEndpoints jobs;
    private TransferWorker worker;
    private ExecutorService objectPool;
    private String workerId;
    /** Read first at start: a stop before the rest of the start completes is bounded too. */
    private Duration shutdownTimeout = ShutdownDeadline.DEFAULT_TIMEOUT;
    private ShutdownDeadline deadline;

    void start(@Observes StartupEvent event) throws Exception {
        shutdownTimeout = ShutdownDeadline.timeout(config.shutdown());
        KafkaConnection kafka = KafkaConnection.fromConfig(mpConfig.getPropertyNames(), n -> mpConfig.getOptionalValue(n, String.class));
        TopicAdmin.ensureTopics(kafka, config.topics().settings())
                .forEach(difference -> LOG.warnf("topic differs from ferry.topics.*: %s", difference));
        workerId = config.transfer().workerId().filter(s -> !s.isBlank()).orElseGet(TransferService::defaultWorkerId);
        ObjectStores installed = ObjectStores.installed(config.storage());
        stores = new StoreCache(installed);
        jobs = new JobEndpoints(kafka, new JobKernel(installed, JobPolicy.of(config.policy(), config.storage())));
        jobs.start();
        var limit = new AdaptiveLimit(config.transfer().concurrency(), 20);
        objectPool = Executors.newFixedThreadPool(config.transfer().concurrency(), r -> {
            Thread t = new Thread(r, "ferry-object-copy");
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("ferry.transfer.concurrency.limit", limit, AdaptiveLimit::limit)
                .description("Storage calls this instance lets run at once; halved on throttling, regrown on success")
                .register(registry);
        Gauge.builder("ferry.transfer.concurrency.in_use", limit, AdaptiveLimit::inFlight)
                .description("Storage calls running now in this instance")
                .register(registry);
        var executor = new TaskExecutor(stores, workerId, config.transfer().maxAttempts(), config.transfer().retryBackoff(),
                config.transfer().bufferSize(), new TransferMeter(registry), limit, objectPool);
        worker = new TransferWorker(kafka, config.topics().settings().maxMessageBytes(), workerId, config.transfer().concurrency(), config.transfer().sessionTimeout(),
                executor, jobs, registry);
        worker.start();
        LOG.infof("transfer worker %s started against %s with concurrency %d", workerId, kafka,
                config.transfer().concurrency());
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
        if (worker != null) {
            worker.close();
        }
        if (jobs != null) {
            jobs.close();
        }
        if (objectPool != null) {
            objectPool.shutdownNow();
        }
        if (stores != null) {
            stores.close();
        }
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** Whether the worker's task loop runs; false before start. */
    boolean workerAlive() {
        return worker != null && worker.alive();
    }
}
