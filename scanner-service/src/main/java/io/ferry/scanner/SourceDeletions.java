package io.ferry.scanner;

import io.ferry.jobs.JobSettings;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.StorageException;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What a scan that listed the whole source does about the objects the verifier holds that the
 * listing no longer had. Each is confirmed gone by a stat of the source first (the listing is
 * only a {@link ListedKeys} filter, and an object may come back). With {@code deletePolicy: keep}
 * each is marked gone (a DELETE: state GONE, "SourceGone"), its copy kept. With {@code propagate}
 * its copy is deleted at the destination and it leaves the job (REMOVED), unless more are gone
 * than {@code ome.io/max-delete} allows: then none is deleted, the new ones are marked gone and
 * the scan reports the deletes it withheld. Objects in flight are left to their copy (it ends
 * GONE, and the next scan takes it); objects the job's filters no longer select are not the
 * source's deletions and are left alone, as {@code rclone sync} leaves excluded files.
 *
 * <p>Runs only after a listing that completed: a listing that failed or was cut short never
 * deletes anything, since it never gets here.
 */
final class SourceDeletions {
    private static final Logger LOG = Logger.getLogger(SourceDeletions.class);
    static final int PAGE = 1000;

    /**
     * @param gone objects newly marked gone (each a DELETE of this scan: the verifier counts them as planned)
     * @param deleted copies deleted at the destination
     * @param withheld deletes not made because they were over {@code limit}; 0 when none were held back
     * @param limit the most deletes this scan allowed
     */
    record Outcome(long gone, long deleted, long withheld, long limit) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0);
    }

    private final ValidatedJob job;
    private final JobSettings settings;
    private final long generation;
    private final ListedKeys listed;
    private final StatusPages statuses;
    private final Consumer<ObjectChanged> sink;
    private final Clock clock;
    private final long withdrawnAt;
    private final ChangeDetector filters;

    /**
     * @param withdrawnAt statuses of scans before it (epoch ms) belong to a deleted job of the same name
     * @param sink writes a DELETE or REMOVED; when it returns the record is in Kafka
     */
    SourceDeletions(ValidatedJob job, long generation, ListedKeys listed, StatusPages statuses, Consumer<ObjectChanged> sink,
            Clock clock, long withdrawnAt) {
        this.job = job;
        this.settings = job.settings();
        this.generation = generation;
        this.listed = listed;
        this.statuses = statuses;
        this.sink = sink;
        this.clock = clock;
        this.withdrawnAt = withdrawnAt;
        this.filters = new ChangeDetector(settings.include(), settings.exclude());
    }

    Outcome run(ObjectStore source, ObjectStore destination, BooleanSupplier cancelled) throws StorageException {
        if (!settings.propagateDeletes()) {
            return new Outcome(markGone(source, cancelled), 0, 0, 0);
        }
        long[] objectsAndGone = new long[2];
        boolean walked = walk(cancelled, stored -> {
            if (listed.mightContain(stored.objectKey()) && withdrawnAt == 0) {
                objectsAndGone[0]++; // no deleted job of the name left statuses: every one is this job's
                return;
            }
            ObjectStatus s = ours(stored);
            if (s != null) {
                objectsAndGone[0]++;
                if (goneAtSource(s, source)) {
                    objectsAndGone[1]++;
                }
            }
        });
        if (!walked) {
            return Outcome.NONE;
        }
        long objects = objectsAndGone[0];
        long candidates = objectsAndGone[1];
        long limit = settings.maxDelete().allowed(objects);
        if (candidates > limit) {
            LOG.warnf("job %s: %d of %d objects are gone at the source, more than ome.io/max-delete %s allows (%d):"
                    + " nothing deleted", job.key(), candidates, objects, settings.maxDelete(), limit);
            return new Outcome(markGone(source, cancelled), 0, candidates, limit);
        }
        // a second stat before each delete: an object written again since the count keeps its copy
        long[] deleted = new long[1];
        walk(cancelled, stored -> {
            if (deleted[0] >= limit || listed.mightContain(stored.objectKey())) {
                return;
            }
            ObjectStatus s = ours(stored);
            if (s != null && goneAtSource(s, source) && delete(destination, s.objectKey())) {
                deleted[0]++;
            }
        });
        return new Outcome(0, deleted[0], 0, limit);
    }

    /** Marks each object gone at the source that is not marked yet, its copy kept. */
    private long markGone(ObjectStore source, BooleanSupplier cancelled) throws StorageException {
        long[] marked = new long[1];
        walk(cancelled, stored -> {
            if (listed.mightContain(stored.objectKey())) {
                return;
            }
            ObjectStatus s = ours(stored);
            if (s != null && s.state() != ObjectState.GONE && goneAtSource(s, source)) {
                sink.accept(gone(job, s.objectKey(), generation, clock));
                marked[0]++;
            }
        });
        return marked[0];
    }

    /**
     * What is done with one stored status of the job. An object the listing passed is not gone
     * whatever its status says: a visit looks at its key first and reads the status only when it
     * must, so a scan that found nothing deleted reads almost no status twice.
     */
    private interface Visit {
        void accept(StatusPages.Stored stored) throws StorageException;
    }

    /**
     * Visits each stored status of the job whose key its filters select, a page at a time, so
     * neither heap nor one RocksDB iterator holds them all. False when cancelled before the end.
     */
    private boolean walk(BooleanSupplier cancelled, Visit visit) throws StorageException {
        String after = null;
        while (true) {
            List<StatusPages.Stored> page = statuses.after(job.key(), after, PAGE);
            if (page.isEmpty()) {
                return true;
            }
            for (StatusPages.Stored stored : page) {
                if (cancelled.getAsBoolean()) {
                    return false;
                }
                if (filters.selected(stored.objectKey())) {
                    visit.accept(stored);
                }
            }
            after = page.get(page.size() - 1).objectKey();
        }
    }

    /**
     * Deletes the copy, then writes REMOVED. A delete that fails leaves the object as it was: the
     * next scan finds it gone again and tries again.
     */
    private boolean delete(ObjectStore destination, String key) {
        try {
            destination.delete(key);
        } catch (StorageException | RuntimeException e) {
            LOG.warnf("job %s: could not delete %s at the destination (%s); the next scan tries again", job.key(), key,
                    e.getMessage());
            return false;
        }
        sink.accept(removed(job, key, generation, clock));
        return true;
    }

    /** The status, when it is this job's (not a deleted job's of the same name) and can be read; else null. */
    private ObjectStatus ours(StatusPages.Stored stored) {
        ObjectStatus s = stored.status();
        return s != null && s.generation() >= withdrawnAt ? s : null;
    }

    /**
     * Gone at the source: in a final state (an object in flight is its copy's to settle), not
     * passed by the listing, and not there now. A GONE object counts under propagate only: its
     * copy is still to be deleted.
     */
    private boolean goneAtSource(ObjectStatus s, ObjectStore source) throws StorageException {
        if (!s.state().isFinal() || s.state() == ObjectState.GONE && !settings.propagateDeletes()) {
            return false;
        }
        return !listed.mightContain(s.objectKey()) && source.stat(s.objectKey()).isEmpty();
    }

    /** The source object is gone; its copy is kept (or not deleted yet). */
    static ObjectChanged gone(ValidatedJob job, String key, long generation, Clock clock) {
        return change(job, key, ObjectChanged.Change.DELETE, generation, clock);
    }

    /** The source object is gone and its copy was deleted at the destination. */
    static ObjectChanged removed(ValidatedJob job, String key, long generation, Clock clock) {
        return change(job, key, ObjectChanged.Change.REMOVED, generation, clock);
    }

    private static ObjectChanged change(ValidatedJob job, String key, ObjectChanged.Change change, long generation, Clock clock) {
        return new ObjectChanged(job.key(), key, PlanIds.next(), change, 0, null,
                clock.instant(), generation, 0, job.settings().maxRetries(), job.endpoints(), CopyPlan.singlePut(0));
    }
}
