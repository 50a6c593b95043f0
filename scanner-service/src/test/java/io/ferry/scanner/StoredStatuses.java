package io.ferry.scanner;

import io.ferry.schemas.events.ObjectStatus;
import java.util.List;

/** Statuses as a {@link StatusPages} fake hands them out. */
final class StoredStatuses {
    private StoredStatuses() {
    }

    /** The status, already read. */
    static StatusPages.Stored of(ObjectStatus status) {
        return of(status, null);
    }

    /** The status, each read of it noted in {@code reads} (by object key) when that is not null. */
    static StatusPages.Stored of(ObjectStatus status, List<String> reads) {
        return new StatusPages.Stored() {
            @Override
            public String objectKey() {
                return status.objectKey();
            }

            @Override
            public ObjectStatus status() {
                if (reads != null) {
                    reads.add(status.objectKey());
                }
                return status;
            }
        };
    }
}
