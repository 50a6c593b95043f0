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
    List<ObjectStatus> after(String jobKey, String objectKey, int limit);
}
