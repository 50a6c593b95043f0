package io.ferry.scanner;

import io.ferry.schemas.events.ObjectStatus;
import java.util.List;

/**
 * Pages of a job's object statuses in key order, after a key (null: from the first); fewer than
 * {@code limit}, even none, only at the end. A walk of a whole job (the destination audit, the
 * check for deletions) takes page after page, so neither heap nor one RocksDB iterator holds a
 * job's statuses. {@link VerifiedState#objectsAfter} in production.
 */
interface StatusPages {
    List<Stored> after(String jobKey, String objectKey, int limit);

    /**
     * One object's stored status: its key at once, the status read only when asked. Most of a
     * deletion check needs keys only (an object the listing passed is not gone, whatever its
     * status says), and reading a status's JSON costs more than the rest of its visit.
     */
    interface Stored {
        String objectKey();

        /** The status, read anew on each call; null when the stored value cannot be read. */
        ObjectStatus status();
    }
}
