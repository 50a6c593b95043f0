package io.ferry.scanner;

import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.ConsumerGroups;
import io.ferry.schemas.Topics;
import io.ferry.schemas.job.JobMode;
import io.ferry.storage.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Acts on {@code ferry.triggers.v1}, at least once: a record is committed only after what it asks
 * for is planned (or the record parked). It takes Ferry's own re-plan requests and the formats of
 * the outside world ({@link TriggerFormats}): S3 and OCI bucket notifications and plain producers'
 * records. An event names an object by where it is and reaches every continuous job whose source
 * covers it; a plain record names a job. A record that is none of these, names an unknown job,
 * reaches no continuous job, or whose planning fails, is parked on the dead-letter topic with the
 * reason. Nothing is read before the job catalog has loaded, so a restart does not find every
 * trigger's job unknown.
 */
final class TriggerConsumer extends ConsumerThread {
    private static final Logger LOG = Logger.getLogger(TriggerConsumer.class);
    static final String GROUP = ConsumerGroups.SCANNER_TRIGGERS;

    private final JobCatalog catalog;
    private final JobScheduler scheduler;

    TriggerConsumer(KafkaClients clients, JobCatalog catalog, JobScheduler scheduler) {
        super(clients, GROUP, "ferry-trigger-consumer");
        this.catalog = catalog;
        this.scheduler = scheduler;
    }

    @Override
    protected void subscribe() {
        try {
            while (running() && !catalog.awaitLoaded(Duration.ofSeconds(5))) {
                LOG.info("trigger consumer waits for the job catalog to load");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        consumer.subscribe(List.of(Topics.TRIGGERS));
    }

    @Override
    protected void handle(ConsumerRecord<byte[], byte[]> r) {
        List<TriggerFormats.Request> requests;
        try {
            requests = TriggerFormats.parse(r.value());
        } catch (IllegalArgumentException e) {
            park(r, e.getMessage());
            return;
        }
        List<String> problems = new ArrayList<>();
        for (TriggerFormats.Request request : requests) {
            try {
                act(request);
            } catch (Suspended e) {
                // a valid trigger, not a bad record: the job's first scan when it resumes covers it
                LOG.infof("trigger skipped: %s", e.getMessage());
            } catch (TriggerRefused e) {
                problems.add(e.getMessage());
            } catch (StorageException | RuntimeException e) {
                // An object left in flight is planned again by a later scan (ferry.scanner.in-flight-timeout).
                problems.add(describe(request) + " failed: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            park(r, String.join("; ", problems));
        }
    }

    private void act(TriggerFormats.Request request) throws StorageException {
        if (request instanceof TriggerFormats.Replan replan) {
            // a copy under way goes on while the job is suspended, as a Job's running pods do
            scheduler.replan(known(replan.trigger().job()), replan.trigger());
        } else if (request instanceof TriggerFormats.WholeJob whole) {
            // a run of any mode: POST /jobs/{ns}/{name}/sync and ferry sync write these
            ValidatedJob job = job(whole.job(), false);
            if (scheduler.scanNow(job.key())) {
                LOG.infof("trigger: a run of %s now", job.key());
            } else {
                // another scanner instance runs the job's scans: list and plan from here
                planned(job, "", true);
            }
        } else if (request instanceof TriggerFormats.JobKey key) {
            planned(job(key.job(), true), key.key(), false);
        } else if (request instanceof TriggerFormats.JobPrefix prefix) {
            planned(job(prefix.job(), true), prefix.prefix(), true);
        } else if (request instanceof TriggerFormats.Located located) {
            var reached = catalog.covering(located.location());
            if (reached.isEmpty()) {
                throw new TriggerRefused(TriggerFormats.uncovered(located));
            }
            for (var entry : reached.entrySet()) {
                if (entry.getKey().settings().suspended()) {
                    LOG.infof("trigger skipped: %s", TriggerFormats.suspended(entry.getKey().key()));
                } else {
                    planned(entry.getKey(), entry.getValue(), false);
                }
            }
        }
    }

    private void planned(ValidatedJob job, String key, boolean prefix) throws StorageException {
        int planned = scheduler.plan(job, key, prefix);
        LOG.infof("trigger: %s %s of %s: %d object(s) planned", prefix ? "prefix" : "key", key, job.key(), planned);
    }

    /** The job a trigger names; {@code continuous} when only a continuous job can take it. */
    private ValidatedJob job(String key, boolean continuous) {
        ValidatedJob job = known(key);
        if (continuous && job.settings().mode() != JobMode.CONTINUOUS) {
            throw new TriggerRefused(TriggerFormats.notContinuous(key));
        }
        if (job.settings().suspended()) {
            throw new Suspended(TriggerFormats.suspended(key));
        }
        return job;
    }

    private ValidatedJob known(String key) {
        return catalog.get(key).orElseThrow(() -> new TriggerRefused("unknown job '" + key + "'"));
    }

    private static String describe(TriggerFormats.Request request) {
        if (request instanceof TriggerFormats.Replan replan) {
            return "re-plan of " + replan.trigger().objectKey();
        } else if (request instanceof TriggerFormats.WholeJob whole) {
            return "sync of " + whole.job();
        } else if (request instanceof TriggerFormats.JobKey key) {
            return "key " + key.key() + " of " + key.job();
        } else if (request instanceof TriggerFormats.JobPrefix prefix) {
            return "prefix " + prefix.prefix() + " of " + prefix.job();
        }
        return "event for " + ((TriggerFormats.Located) request).location();
    }

    /** A trigger for a suspended job: skipped, not parked. */
    private static final class Suspended extends RuntimeException {
        Suspended(String message) {
            super(message, null, false, false);
        }
    }

    /** A trigger that is well-formed but asks for something no job here takes. */
    private static final class TriggerRefused extends RuntimeException {
        TriggerRefused(String message) {
            super(message, null, false, false);
        }
    }
}
