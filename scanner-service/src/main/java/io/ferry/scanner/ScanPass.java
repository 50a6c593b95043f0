package io.ferry.scanner;

import io.ferry.jobs.JobSettings;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanFailed;
import io.ferry.schemas.events.ScanStarted;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsMultipartUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One scan of a job: list the source as a stream, keep what the verifier has not confirmed at
 * this version, plan it and emit it while the listing goes on, then deal with what the listing
 * no longer had ({@link SourceDeletions}) and report the totals.
 */
final class ScanPass {
    private static final Logger LOG = Logger.getLogger(ScanPass.class);
    /** Listed objects read ahead of the scan, at most: a few hundred KB of ObjectInfo. */
    static final int LISTING_READ_AHEAD = 1024;

    private final ValidatedJob job;
    private final JobSettings settings;
    private final long generation;
    private final ObjectStores stores;
    private final VerifiedState verified;
    private final ChangeEmitter emitter;
    private final ScannerConfig.Scanner config;
    private final Clock clock;
    private final Instant stuckBefore;
    private final BooleanSupplier cancelled;
    private final ScanMeter meter;
    private final long withdrawnAt;
    private Instant started;

    /**
     * @param stuckBefore objects in flight not updated since then are planned again; null for none
     * @param cancelled true once the job is deleted or replaced: the pass stops planning at the next object
     * @param withdrawnAt when a job of this name was last deleted (epoch ms), 0 for never: statuses
     *     of scans before it (scan numbers are start times in ms) belong to the deleted job
     */
    ScanPass(ValidatedJob job, long generation, ObjectStores stores, VerifiedState verified,
            ChangeEmitter emitter, ScannerConfig.Scanner config, Clock clock, Instant stuckBefore, BooleanSupplier cancelled,
            ScanMeter meter, long withdrawnAt) {
        this.job = job;
        this.settings = job.settings();
        this.generation = generation;
        this.stores = stores;
        this.verified = verified;
        this.emitter = emitter;
        this.config = config;
        this.clock = clock;
        this.stuckBefore = stuckBefore;
        this.cancelled = cancelled;
        this.meter = meter;
        this.withdrawnAt = withdrawnAt;
    }

    void run() {
        String key = job.key();
        started = clock.instant();
        emitter.emit(new ScanStarted(key, generation, job.generation(), started));
        var spec = job.document().spec();
        try (ObjectStore destination = stores.open(job.destination())) {
            try {
                checkWritable(destination);
            } catch (IOException | RuntimeException e) {
                fail(ScanFailed.Side.DESTINATION, "destination " + spec.destination().storageUri() + " is not writable: " + e.getMessage());
                return;
            }
            try (ObjectStore source = stores.open(job.source())) {
                scan(source, destination, started);
            } catch (StorageException | UncheckedIOException | IllegalArgumentException e) {
                if (cancelled.getAsBoolean()) {
                    // a stop interrupts the scan waiting for its listing: the scan did not fail
                    LOG.infof("scan %d of %s cancelled while listing", generation, key);
                    return;
                }
                fail(ScanFailed.Side.SOURCE, "source " + spec.source().storageUri() + " is not readable: " + e.getMessage());
            }
        } catch (StorageException | IllegalArgumentException e) {
            fail(ScanFailed.Side.DESTINATION, "destination " + spec.destination().storageUri() + ": " + e.getMessage());
        }
    }

    private void scan(ObjectStore source, ObjectStore destination, Instant started) throws StorageException {
        String key = job.key();
        var spec = job.document().spec();
        var planner = new ChunkPlanner(key, job.endpoints(), settings, generation,
                config.batchMaxObjects(), config.batchMaxBytes(), source,
                destination instanceof SupportsMultipartUpload m ? m : null);
        var filters = new ChangeDetector(settings.include(), settings.exclude());
        String destinationIdentity = spec.destination().identity();
        long listed = 0;
        long bytesListed = 0;
        long planned = 0;
        long bytesPlanned = 0;
        long objectsKnown = verified.job(key).map(s -> s.progress() == null ? 0 : s.progress().objectsTotal() + s.progress().objectsGone())
                .orElse(0L);
        ListedKeys listedKeys = ListedKeys.expecting(objectsKnown, generation);
        // The listing's I/O runs on its own thread, beside the status lookups: a no-op re-scan costs
        // the longer of the two, not their sum.
        try (ReadAhead<ObjectInfo> it = ReadAhead.of(source.list(""), LISTING_READ_AHEAD, "ferry-scan-listing")) {
            while (it.hasNext()) {
                ObjectInfo entry = it.next();
                if (cancelled.getAsBoolean()) {
                    // nothing more of a deleted or replaced job is planned; its scan never completes
                    LOG.infof("scan %d of %s cancelled after %d objects listed", generation, key, listed);
                    return;
                }
                if (!filters.selected(entry.key())) {
                    continue;
                }
                listed++;
                bytesListed += entry.size();
                listedKeys.add(entry.key());
                KnownObject known = verified.known(key, entry.key()).filter(s -> s.generation() >= withdrawnAt).orElse(null);
                if (ChangeDetector.needsCopy(entry, known, destinationIdentity, stuckBefore)) {
                    List<PlanUnit> ready;
                    try {
                        ready = planner.add(entry, 0);
                    } catch (IllegalArgumentException e) {
                        // opening the upload: the destination refused the key (e.g. it leads out of its root)
                        fail(ScanFailed.Side.DESTINATION, "destination " + spec.destination().storageUri() + " refuses "
                                + entry.key() + ": " + e.getMessage());
                        return;
                    }
                    for (PlanUnit unit : ready) {
                        emitter.emit(unit);
                    }
                    planned++;
                    bytesPlanned += entry.size();
                }
            }
        }
        for (PlanUnit unit : planner.flush()) {
            emitter.emit(unit);
        }
        // only here, after a listing that reached its end: one that failed or was cut short returned above
        SourceDeletions.Outcome deletions = new SourceDeletions(job, generation, listedKeys, verified::objectsAfter,
                emitter::emit, clock, withdrawnAt).run(source, destination, cancelled);
        if (cancelled.getAsBoolean()) {
            LOG.infof("scan %d of %s cancelled after its listing", generation, key);
            return;
        }
        Instant completed = clock.instant();
        emitter.emit(new ScanCompleted(key, generation, job.generation(), started, completed, listed, bytesListed,
                planned + deletions.gone(), bytesPlanned, deletions.gone(), deletions.deleted(), deletions.withheld(),
                deletions.limit()));
        meter.completed(key, Duration.between(started, completed), listed, planned);
        LOG.infof("scan %d of %s: listed %d objects, planned %d (%d bytes); gone at the source: %d marked, %d deleted,"
                + " %d withheld", generation, key, listed, planned, bytesPlanned, deletions.gone(), deletions.deleted(),
                deletions.withheld());
    }

    /** Opens and aborts an upload (or writes and deletes a probe) to prove the destination takes writes. */
    private static void checkWritable(ObjectStore destination) throws IOException {
        String probe = ".ferry-write-check";
        if (destination instanceof SupportsMultipartUpload m) {
            m.abortUpload(probe, m.startUpload(probe));
        } else {
            destination.put(probe, new ByteArrayInputStream(new byte[0]), 0);
            destination.delete(probe);
        }
    }

    private void fail(ScanFailed.Side side, String message) {
        LOG.warnf("scan %d of %s failed: %s", generation, job.key(), message);
        Instant failed = clock.instant();
        emitter.emit(new ScanFailed(job.key(), generation, job.generation(), failed, side, message));
        meter.failed(job.key(), Duration.between(started, failed));
    }

}
