package io.ferry.kafka.broker;

import java.util.concurrent.TimeUnit;

/** Stopping the child JVMs Ferry starts (the broker, the services in local mode). */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** SIGTERM, up to 20 s for a clean shutdown, then SIGKILL. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
