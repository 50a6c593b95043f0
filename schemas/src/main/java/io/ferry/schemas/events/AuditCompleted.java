package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/**
 * An audit of a job's destination finished: every Verified object's destination copy was checked
 * for existence and size, a sample re-hashed against its verified tree hash, and those found
 * missing or different planned again (in scan {@code generation}, whose settling then waits for
 * them). {@code objectsUnreadable} were drawn for a re-hash but could not be read back (an archived
 * object, say): only their existence and size were checked.
 */
public record AuditCompleted(String job, long generation, long jobGeneration, Instant startedAt, Instant completedAt,
        long objectsChecked, long objectsRehashed, long bytesRehashed, long objectsMissing, long objectsDifferent,
        long objectsUnreadable) implements ScanEvent {
    public AuditCompleted {
        Require.present(job, "job");
        Require.present(completedAt, "completedAt");
        Require.notNegative(objectsChecked, "objectsChecked");
        Require.notNegative(objectsRehashed, "objectsRehashed");
        Require.notNegative(objectsMissing, "objectsMissing");
        Require.notNegative(objectsDifferent, "objectsDifferent");
    }

    /** Objects planned again: missing from the destination or not what was verified. */
    public long objectsRepaired() {
        return objectsMissing + objectsDifferent;
    }
}
