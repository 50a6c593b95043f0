package io.ferry.scanner;

import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.ObjectChanged;
import java.util.List;

/** Changes and the tasks that copy them, written to Kafka in one transaction. */
record PlanUnit(List<ObjectChanged> changes, List<ChunkTask> tasks) {
    long bytes() {
        return changes.stream().mapToLong(ObjectChanged::size).sum();
    }
}
