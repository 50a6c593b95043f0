package io.ferry.kafka.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** Starting and stopping the child JVMs Ferry runs (the broker, the services in local mode). */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** A port free on 127.0.0.1 right now, for a child to listen on. */
    public static int freeLoopbackPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
