package io.ferry.scanner;

import io.ferry.checksum.Checksum;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.events.AuditCompleted;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.storage.ChunkDigests;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.TokenBucket;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.jboss.logging.Logger;

/**
 * One audit of a job's destination against what the verifier confirmed: every Verified object is
 * looked up in the destination (existence and size), a sample is read back and re-hashed against
 * its verified tree hash, and each one missing or different is planned again. Paced by two token
 * buckets (checks per second, re-hashed bytes per second); walks the verified state page by page,
 * so neither a listing nor the job's statuses are ever held in memory.
 */
final class DestinationAudit {
    private static final Logger LOG = Logger.getLogger(DestinationAudit.class);
    static final int PAGE = 500;
    private static final int READ_BUFFER = 1 << 20;

    /** Plans one object again; when it returns, the plan is written. */
    interface Repairs {
        void replan(ValidatedJob job, ObjectTrigger trigger) throws StorageException;
    }

    private final ValidatedJob job;
    private final long generation;
    private final StatusPages statuses;
    private final Repairs repairs;
    private final TokenBucket checks;
    private final TokenBucket rehashBytes;
    private final DoubleSupplier percentile;
    private final Clock clock;

    private long checked;
    private long rehashed;
    private long bytesRehashed;
    private long missing;
    private long different;
    private long unreadable;

    /**
     * @param generation the scan the repairs are planned under: its settling waits for them
     * @param percentile draws a number in [0, 100) per object; below the job's re-hash percent, it is re-hashed
     */
    DestinationAudit(ValidatedJob job, long generation, StatusPages statuses, Repairs repairs,
            TokenBucket checks, TokenBucket rehashBytes, DoubleSupplier percentile, Clock clock) {
        this.job = job;
        this.generation = generation;
        this.statuses = statuses;
        this.repairs = repairs;
        this.checks = checks;
        this.rehashBytes = rehashBytes;
        this.percentile = percentile;
        this.clock = clock;
    }

    /**
     * Audits every Verified object of the job in {@code destination} (the job's, opened by the
     * caller), unless {@code cancelled} turns true (the job changed or was deleted).
     *
     * @return what it found, or empty when cancelled
     * @throws StorageException when the destination (or, to repair, the source) cannot be reached: the audit stops
     */
    Optional<AuditCompleted> run(ObjectStore destination, BooleanSupplier cancelled) throws StorageException, InterruptedException {
        Instant started = clock.instant();
        String destinationIdentity = job.document().spec().destination().identity();
        String after = null;
        List<StatusPages.Stored> page;
        do {
            page = statuses.after(job.key(), after, PAGE);
            for (StatusPages.Stored stored : page) {
                if (cancelled.getAsBoolean()) {
                    return Optional.empty();
                }
                ObjectStatus status = stored.status();
                // A status for another destination says nothing about this one; one in flight is being copied.
                if (status != null && status.state() == ObjectState.VERIFIED && destinationIdentity.equals(status.destination())) {
                    audit(destination, status);
                }
                after = stored.objectKey();
            }
        } while (!page.isEmpty());
        AuditCompleted done = new AuditCompleted(job.key(), generation, job.generation(), started, clock.instant(), checked,
                rehashed, bytesRehashed, missing, different, unreadable);
        LOG.infof("audit of %s's destination: %d objects checked, %d re-hashed (%d bytes), %d missing and %d different planned"
                + " again, %d could not be read back", job.key(), checked, rehashed, bytesRehashed, missing, different, unreadable);
        return Optional.of(done);
    }

    private void audit(ObjectStore destination, ObjectStatus status) throws StorageException, InterruptedException {
        checks.take(1);
        checked++;
        Optional<ObjectInfo> found = destination.stat(status.objectKey());
        if (found.isEmpty()) {
            missing++;
            repair(status, "destination audit: the object is missing from the destination");
            return;
        }
        ObjectInfo copy = found.get();
        if (copy.size() != status.size()) {
            different++;
            repair(status, "destination audit: the destination holds " + copy.size() + " bytes, " + status.size() + " were verified");
            return;
        }
        if (status.treeHash() == null || !consistentChunks(status) || percentile.getAsDouble() >= job.settings().auditRehashPercent()) {
            return;
        }
        List<Checksum> chunks;
        try {
            chunks = ChunkDigests.of(destination, copy, status.chunkSize(), READ_BUFFER, rehashBytes::pace);
        } catch (ObjectNotFoundException | SourceChangedException e) {
            // Replaced or deleted while read: someone else writes there; the next audit looks again.
            return;
        } catch (StorageException e) {
            if (e.retryable()) {
                throw e;
            }
            // This object cannot be read (an archived one is readable only once restored): its
            // existence and size were checked; one object must not stop the audit of the others.
            unreadable++;
            LOG.warnf("%s %s: not re-hashed, the destination refuses to read it back: %s", job.key(), status.objectKey(),
                    e.getMessage());
            return;
        } catch (IOException e) {
            throw new StorageException("cannot read back " + status.objectKey() + " from the destination: " + e.getMessage(), true, e);
        }
        rehashed++;
        bytesRehashed += copy.size();
        if (!Checksum.treeHash(chunks).equals(status.treeHash())) {
            different++;
            repair(status, "destination audit: the destination's content does not hash to what was verified");
        }
    }

    /**
     * Whether the status's chunk size cuts its size into its own chunk count: a status read from a
     * topic is input like any other, and a chunk size of 1 byte on a 10 GB object would otherwise
     * mean ten billion range reads.
     */
    static boolean consistentChunks(ObjectStatus status) {
        if (status.chunkSize() <= 0 || status.chunksTotal() < 1) {
            return false;
        }
        return ChunkDigests.count(status.size(), status.chunkSize()) == status.chunksTotal();
    }

    private void repair(ObjectStatus status, String reason) throws StorageException {
        LOG.warnf("%s %s: %s; copying it again", job.key(), status.objectKey(), reason);
        repairs.replan(job, new ObjectTrigger(job.key(), status.objectKey(), generation, 0, reason));
    }
}
