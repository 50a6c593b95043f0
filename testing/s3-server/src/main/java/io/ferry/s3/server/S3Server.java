package io.ferry.s3.server;

import io.ferry.kafka.broker.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real S3-compatible server: S3Proxy over a directory ({@code filesystem-nio2}: one directory per
 * bucket), SigV4 authentication enforced, listening on 127.0.0.1 only, in a child JVM whose class path
 * was recorded at build time. Closing it stops the process.
 */
public final class S3Server implements AutoCloseable {
    public static final String REGION = "us-east-1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dataDir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private final boolean deleteOnClose;

    private S3Server(Process process, Path dataDir, int port, String accessKey, String secretKey, boolean deleteOnClose) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.deleteOnClose = deleteOnClose;
    }

    /** A server over a fresh temporary directory, deleted on close. */
    public static S3Server startForTests() throws IOException {
        return start(Files.createTempDirectory("ferry-s3"), 0, "ferry-test", "ferry-test-secret-" + System.nanoTime(), true);
    }

    /**
     * Starts a server keeping buckets under {@code dataDir/buckets}.
     *
     * @param port the port to listen on, 0 for any free one
     */
    public static S3Server start(Path dataDir, int port, String accessKey, String secretKey, boolean deleteOnClose)
            throws IOException {
        Path buckets = dataDir.resolve("buckets");
        Files.createDirectories(buckets);
        int listen = port > 0 ? port : ChildProcesses.freeLoopbackPort();
        var p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + listen);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", accessKey);
        p.setProperty("s3proxy.credential", secretKey);
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.filesystem.basedir", buckets.toString());
        Path config = dataDir.resolve("s3proxy.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "written by Ferry's S3Server");
        }
        Path log = dataDir.resolve("s3proxy.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-DLOG_LEVEL=warn");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add("org.gaul.s3proxy.Main");
        cmd.add("--properties");
        cmd.add(config.toString());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        var server = new S3Server(process, dataDir, listen, accessKey, secretKey, deleteOnClose);
        try {
            server.awaitReady(log);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static String classpath() throws IOException {
        try (InputStream in = S3Server.class.getResourceAsStream("s3proxy.classpath")) {
            if (in == null) {
                throw new IllegalStateException("s3proxy.classpath missing: build the s3-server module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see " + log);
            }
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while S3Proxy started", e);
                }
            }
        }
        throw new IllegalStateException("S3Proxy not listening after " + READY_TIMEOUT + "; see " + log);
    }

    /** Creates a bucket: S3Proxy's directory backend serves every directory under buckets/ as one. */
    public void createBucket(String name) throws IOException {
        Files.createDirectories(dataDir.resolve("buckets").resolve(name));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
        if (deleteOnClose) {
            ChildProcesses.deleteTree(dataDir);
        }
    }
}
