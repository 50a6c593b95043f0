package io.ferry.cli;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the tails of the cluster's logs when a test fails: the services run in a temporary
 * directory that is gone by the time anyone reads a CI log, and "did not get there" alone does not
 * say whether a service stalled, died or never saw the job.
 */
final class ClusterLogsOnFailure implements TestWatcher {
    private static final int LINES = 60;
    private final Supplier<LocalCluster> cluster;

    ClusterLogsOnFailure(Supplier<LocalCluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        LocalCluster c = cluster.get();
        if (c != null) {
            System.err.println("---- " + context.getDisplayName() + " failed; the last " + LINES + " lines of each log ----");
            System.err.println(c.logTails(LINES));
        }
    }
}
