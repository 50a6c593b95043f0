package io.ferry.cli;

import io.ferry.auth.SigningKey;
import io.ferry.jobs.JobDocuments;
import io.ferry.jobs.JobKernel;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.Durations;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.Sizes;
import io.ferry.storage.StorageUri;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code ferry} command: {@code local}, {@code submit}, {@code status}, {@code wait}, {@code token}. Errors are
 * one line on standard error without a stack trace; a usage error exits 2, a failure 1.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = Ferry.Version.class,
        description = "Event-driven, Kafka-based continuous sync of AI/ML artifacts between storage systems.",
        subcommands = {Ferry.Local.class, Ferry.Submit.class, Ferry.Status.class, Ferry.Wait.class, Ferry.Token.class,
                Ferry.AuthInit.class, Ferry.Sync.class})
public final class Ferry implements Runnable {
    private static final PrintStream OUT = System.out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Ferry's converters and one-line error reporting, for main and for tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Ferry());
        cli.registerConverter(Duration.class, Durations::parse);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("ferry " + command.getCommandName() + ": " + oneLine(e));
            return 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("ferry: " + e.getMessage());
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cli;
    }

    /** The message of an error and of its causes, on one line; the class name only when there is no message. */
    static String oneLine(Throwable e) {
        var sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
        }
        return sb.toString().replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void run() {
        spec.commandLine().usage(OUT);
    }

    /** The version the build stamped into the CLI. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            var p = new Properties();
            try (InputStream in = Ferry.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"ferry " + p.getProperty("version", "unknown")};
        }
    }

    /** A size such as 8MiB, 64KiB or 1048576. */
    public static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Sizes.parse(value);
        }
    }

    @Command(name = "local", mixinStandardHelpOptions = true,
            description = {"Start a Kafka broker and the three services on 127.0.0.1, sync SOURCE into DESTINATION,",
                "and show progress until Completed and Verified (a continuous job: until in sync, then keep watching)."})
    static final class Local implements Callable<Integer> {
        @Option(names = "--source", paramLabel = "DIR", description = "directory to sync (default: a generated sample model)")
        Path source;

        @Option(names = "--destination", paramLabel = "DIR", description = "where to copy it (default: DATA_DIR/destination)")
        Path destination;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "broker data, service state and logs (default: .ferry)")
        Path dataDir;

        @Option(names = "--transfers", paramLabel = "N", defaultValue = "2", description = "transfer instances (default: ${DEFAULT-VALUE})")
        int transfers;

        @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "8MiB", converter = SizeConverter.class,
                description = "multipart threshold and chunk size (default: ${DEFAULT-VALUE})")
        long chunkSize;

        @Option(names = "--continuous", description = "keep syncing changes until Ctrl-C")
        boolean continuous;

        @Option(names = "--exit-when-done", description = "stop everything once a one-off sync has finished")
        boolean exitWhenDone;

        @Override
        public Integer call() throws Exception {
            if (transfers < 1) {
                throw new IllegalArgumentException("--transfers must be at least 1");
            }
            Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
            Path data = (dataDir == null ? home.resolve(".ferry") : dataDir).toAbsolutePath().normalize();
            Path from;
            if (source == null) {
                from = data.resolve("sample");
                if (!Files.exists(from)) {
                    OUT.println("Generating a sample model tree in " + from + " ...");
                    SampleData.generate(from, 500, 3, 40L << 20, 42);
                }
            } else {
                from = source.toAbsolutePath().normalize();
                if (!Files.isDirectory(from)) {
                    throw new IllegalArgumentException("--source " + from + " is not a directory");
                }
            }
            Path to = (destination == null ? data.resolve("destination") : destination).toAbsolutePath().normalize();
            OUT.println("Starting a Kafka broker and scanner, verifier and " + transfers + " transfer services (logs in "
                    + data.resolve("logs") + ") ...");
            // what the local job may reach: its two directories, nothing else
            LocalCluster cluster = LocalCluster.start(home, data, transfers, Map.of(LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots",
                    StorageUri.directory(from) + "," + StorageUri.directory(to)));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                OUT.println("\nStopping Ferry ...");
                cluster.close();
                stopped.countDown();
            }));
            String name = "local-sync-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            OUT.println("API token (every namespace; kept in " + cluster.tokenFile() + "; ferry submit/status/wait read it with"
                    + " --token-file, by default from " + TokenFile.LOCAL_MODE_TOKEN + "):");
            OUT.println(cluster.token());
            var client = cluster.client();
            client.submit(job(name, continuous, from, to, chunkSize));
            String key = "default/" + name;
            OUT.println("Submitted job " + key + ": " + from + " -> " + to);
            JobStatus last = JobFollower.follow(client, key, continuous, Duration.ofDays(365), OUT);
            OUT.println(last.message());
            OUT.println("Verified: " + (last.isTrue(ConditionType.Verified) ? "True" : "False") + " - "
                    + (last.condition(ConditionType.Verified) == null ? "" : last.condition(ConditionType.Verified).message()));
            OUT.println("Status API: " + cluster.verifierUrl() + "/jobs/" + key + "/status");
            OUT.println("Objects:    " + cluster.verifierUrl() + "/jobs/" + key + "/objects?state=VERIFIED");
            OUT.println("Jobs API:   " + cluster.scannerUrl() + "/jobs");
            boolean ok = last.phase() != JobPhase.Failed;
            if (exitWhenDone && !continuous) {
                return ok ? 0 : 1;
            }
            OUT.println(continuous ? "Watching " + from + " for changes; Ctrl-C stops Ferry." : "Ferry keeps running; Ctrl-C stops it.");
            if (continuous) {
                var bar = new ProgressBar(OUT, System.console() != null);
                while (!stopped.await(2, TimeUnit.SECONDS)) {
                    try {
                        client.status(key).ifPresent(bar::show);
                    } catch (IOException stopping) {
                        // Ctrl-C: the services are going away under us
                    }
                }
            }
            stopped.await();
            return ok ? 0 : 1;
        }

        /** The local job; any directory name works ({@link StorageUri#directory} encodes it). */
        static String job(String name, boolean continuous, Path source, Path destination, long chunkSize) {
            return JobBuilder.job("default", name).mode(continuous ? "continuous" : "once").scanInterval("10s")
                    .annotation("ome.io/checksum-verification", "enabled")
                    .source(StorageUri.directory(source)).destination(StorageUri.directory(destination))
                    .destinationParameter("multipart_threshold", Long.toString(chunkSize))
                    .destinationParameter("multipart_chunksize", Long.toString(chunkSize))
                    .json();
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit the ReplicationJobs in FILE (YAML or JSON; several separated by ---).")
    static final class Submit implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--scanner", paramLabel = "URL", defaultValue = "${env:FERRY_SCANNER_URL:-http://127.0.0.1:8081}",
                description = "the scanner's job API (default: $FERRY_SCANNER_URL or ${DEFAULT-VALUE})")
        URI scanner;

        @CommandLine.Mixin
        TokenFile token;

        @Override
        public Integer call() throws Exception {
            var client = new FerryClient(scanner.toString(), null, token.read());
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            // Each document is checked here first, so a bad one is named before anything is sent.
            var documents = JobDocuments.split(text);
            documents.forEach(JobKernel::checkDocument);
            for (String document : documents) {
                OUT.println(client.submit(document));
            }
            return 0;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Start a run of the job now, whatever its mode: a continuous job scans now, a once job that",
                "finished runs again. Follow it with ferry wait."})
    static final class Sync implements Callable<Integer> {
        @Parameters(paramLabel = "NAMESPACE/NAME")
        String job;

        @Option(names = "--scanner", paramLabel = "URL", defaultValue = "${env:FERRY_SCANNER_URL:-http://127.0.0.1:8081}",
                description = "the scanner's job API (default: $FERRY_SCANNER_URL or ${DEFAULT-VALUE})")
        URI scanner;

        @CommandLine.Mixin
        TokenFile token;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String key;
            try {
                key = JobFollower.checkKey(job);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            OUT.println(new FerryClient(scanner.toString(), null, token.read()).sync(key));
            return 0;
        }
    }

    /** The bearer token the services are called with. */
    static final class TokenFile {
        static final String LOCAL_MODE_TOKEN = ".ferry/" + LocalAuth.DIR + "/" + LocalAuth.TOKEN;

        @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:FERRY_TOKEN_FILE:-" + LOCAL_MODE_TOKEN + "}",
                description = "a file holding the bearer token (default: $FERRY_TOKEN_FILE or ${DEFAULT-VALUE}, local mode's)")
        Path file;

        /** The token, or null when the default file is absent (the service then answers 401, saying so). */
        String read() {
            if (!Files.exists(file) && file.equals(Path.of(LOCAL_MODE_TOKEN))) {
                return null;
            }
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token file " + file, e);
            }
        }
    }

    /** A job named on the command line, and the verifier that knows its status. */
    static final class JobAtVerifier {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        private String key;

        /** Checked as it is parsed: a malformed name is a usage error (exit 2), as a bad option is. */
        @Parameters(paramLabel = "NAMESPACE/NAME")
        void job(String job) {
            try {
                key = JobFollower.checkKey(job);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        @Option(names = "--verifier", paramLabel = "URL", defaultValue = "${env:FERRY_VERIFIER_URL:-http://127.0.0.1:8083}",
                description = "the verifier's status API (default: $FERRY_VERIFIER_URL or ${DEFAULT-VALUE})")
        URI verifier;

        @CommandLine.Mixin
        TokenFile token;

        FerryClient client() {
            return new FerryClient(null, verifier.toString(), token.read());
        }

        String key() {
            return key;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Print a job's status as JSON.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        JobAtVerifier target;

        @Override
        public Integer call() throws Exception {
            OUT.println(target.client().get(target.verifier + "/jobs/" + target.key() + "/status"));
            return 0;
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = {"Block until a once job is Completed and Verified, or a continuous job is in sync (exit 0),",
                "the job Failed (exit 1), or the timeout passed (exit 2). For a Kubernetes init container (README)."})
    static final class Wait implements Callable<Integer> {
        @CommandLine.Mixin
        JobAtVerifier target;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "24h",
                description = "give up after this long, e.g. 90s, 30m (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            JobStatus s;
            try {
                // statuses read from now on: a continuous job's InSync is as of a status at or after the wait started
                s = target.client().awaitStatus(target.key(), JobFollower::ready, timeout);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.println("ferry wait: " + e.getMessage());
                return 2;
            }
            OUT.println(s.message());
            return s.phase() == JobPhase.Failed ? 1 : 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Print a bearer token signed with a Ferry signing key (local mode's is .ferry/auth/signing-key.pem),",
                "for services configured with its public key. Groups: read:NS, submit:NS, delete:NS (* for any), metrics."})
    static final class Token implements Callable<Integer> {
        @Option(names = "--signing-key", paramLabel = "FILE", required = true, description = "PKCS#8 PEM RSA private key")
        Path signingKey;

        @Option(names = "--subject", paramLabel = "NAME", required = true, description = "who the token is for")
        String subject;

        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "a grant, e.g. submit:ml (repeatable)")
        List<String> groups;

        @Option(names = "--lifetime", paramLabel = "DURATION", defaultValue = "30d",
                description = "how long the token is valid (default: ${DEFAULT-VALUE})")
        Duration lifetime;

        @Override
        public Integer call() throws Exception {
            OUT.println(SigningKey.read(signingKey).token(subject, groups, java.time.Instant.now(), lifetime));
            return 0;
        }
    }

    @Command(name = "auth-init", mixinStandardHelpOptions = true,
            description = {"Make a signing key in DIR (kept when there), its public half for the services (DIR/public-key.pem),",
                "an administrator's token (DIR/token, owner-only) and a metrics-only token for Prometheus (DIR/metrics-token).",
                "docker-compose.yml mounts DIR=compose/auth."})
    static final class AuthInit implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "where the key and tokens go")
        Path dir;

        @Override
        public Integer call() throws Exception {
            LocalAuth.prepare(dir);
            Path metricsToken = LocalAuth.writeMetricsToken(dir);
            OUT.println("Signing key:   " + dir.resolve(LocalAuth.SIGNING_KEY) + " (keep it private; ferry token signs with it)");
            OUT.println("Public key:    " + dir.resolve(LocalAuth.PUBLIC_KEY) + " (the services verify tokens with it)");
            OUT.println("Admin token:   " + dir.resolve(LocalAuth.TOKEN) + " (ferry --token-file)");
            OUT.println("Metrics token: " + metricsToken + " (Prometheus; grants only the metrics group)");
            return 0;
        }
    }
}
