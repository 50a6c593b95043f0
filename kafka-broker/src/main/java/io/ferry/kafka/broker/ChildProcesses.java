package io.ferry.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starting and stopping the child JVMs Ferry runs (the broker, the services in local mode). */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** A port free on 127.0.0.1 right now, for a child to listen on. */
    public static int freeLoopbackPort() throws IOException {
        return freeLoopbackPorts(1)[0];
    }

    /**
     * {@code count} different ports free on 127.0.0.1 right now, for children started together.
     * Each is held until all are found: a port asked for on its own is free again as soon as it is
     * given, and the next ask may get it too while no child listens on it yet (a verifier and a
     * transfer worker were once both given 40027).
     */
    public static int[] freeLoopbackPorts(int count) throws IOException {
        var sockets = new ArrayList<ServerSocket>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Deletes a directory tree a stopped child left behind; an absent one is fine. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
