package io.ferry.storage.oci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.Region;
import com.oracle.bmc.auth.BasicAuthenticationDetailsProvider;
import com.oracle.bmc.http.client.jersey3.ApacheClientProperties;
import com.oracle.bmc.http.client.jersey3.ClientBuilderDecorator;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.util.CircuitBreakerUtils;
import io.ferry.storage.Backoff;
import io.ferry.storage.StorageException;
import io.ferry.storage.ThrottledException;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One Object Storage client per store, with the SDK's own retries and circuit breaker off: upload
 * bodies are streams that cannot be replayed, and a breaker would turn a throttling storm into
 * failures of its own. Instead, calls without a body retry here ({@link #control}), and calls with
 * one fail with a {@link ThrottledException} carrying the server's Retry-After, which the transfer
 * worker's back-off and adaptive limit act on.
 */
final class OciClients implements AutoCloseable {
    private static final int CONTROL_ATTEMPTS = 6;
    private static final Duration CONTROL_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_CONTROL_BACKOFF = Duration.ofSeconds(10);

    final ObjectStorageClient client;
    private final BasicAuthenticationDetailsProvider auth;
    private final OciOptions options;
    private final RetryAfters retryAfters = new RetryAfters();

    OciClients(OciOptions options, Map<String, String> settings, Function<String, String> environment)
            throws StorageException {
        this.options = options;
        this.auth = OciAuth.provider(options, settings, environment);
        var connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(options.maxConnections());
        connections.setDefaultMaxPerRoute(options.maxConnections());
        ClientBuilderDecorator recordRetryAfter = builder -> builder.register(retryAfters).build();
        ObjectStorageClient.Builder builder = ObjectStorageClient.builder()
                .isStreamWarningEnabled(false)
                .configuration(ClientConfiguration.builder()
                        .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                        .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration())
                        // Stream upload bodies; the SDK would otherwise buffer them to be able to retry.
                        .disableDataBufferingOnUpload(true)
                        .connectionTimeoutMillis(10_000)
                        .readTimeoutMillis(120_000)
                        .build())
                .additionalClientConfigurator(http -> http
                        .property(ApacheClientProperties.CONNECTION_MANAGER, connections)
                        .property(ClientBuilderDecorator.PROPERTY, recordRetryAfter));
        if (options.endpoint() != null) {
            builder.endpoint(options.endpoint().toString());
        } else if (options.region() != null) {
            builder.region(Region.fromRegionCodeOrId(options.region()));
        }
        try {
            this.client = builder.build(auth);
        } catch (RuntimeException e) {
            closeAuth();
            // Mostly the signing key failing to load; the SDK's text and cause may quote what it read.
            throw new StorageException("cannot set up an Object Storage client for " + options.location() + " ("
                    + e.getClass().getSimpleName() + "): check the key_file and pass_phrase the OCI config file names"
                    + " (parameters.config_file, parameters.profile)", false);
        }
        if (client.getEndpoint() == null) {
            close();
            throw new StorageException(options.location() + ": no region; set parameters.region (or parameters.endpoint)",
                    false);
        }
    }

    /** A call without a request body, which can simply be made again. */
    interface ControlCall<T> {
        T call();
    }

    /**
     * Runs a call without a body, retrying what the server or the network says is temporary with
     * jittered back-off, never sooner than a throttling server's Retry-After.
     */
    <T> T control(ControlCall<T> call, String action, String key, String version) throws StorageException {
        var pause = new Backoff(CONTROL_BACKOFF, MAX_CONTROL_BACKOFF);
        for (int attempt = 1;; attempt++) {
            StorageException failure;
            try {
                return call.call();
            } catch (BmcException e) {
                failure = translate(e, action, key, version);
            }
            if (!failure.retryable() || attempt >= CONTROL_ATTEMPTS) {
                throw failure;
            }
            try {
                Thread.sleep(pause.nextMillis(failure));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    StorageException translate(BmcException e, String action, String key, String version) {
        return OciErrors.translate(e, options, action, key, version, retryAfters.take(e.getOpcRequestId()));
    }

    @Override
    public void close() {
        client.close();
        closeAuth();
    }

    private void closeAuth() {
        if (auth instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // only a refresh scheduler to stop
            }
        }
    }

    /**
     * The SDK's exceptions keep no response headers, so Retry-After is noted here by the response's
     * opc-request-id, which the exception does keep, and taken back when the exception is translated.
     */
    static final class RetryAfters implements ClientResponseFilter {
        private static final int MAX_REMEMBERED = 1024;
        private final Map<String, Duration> byRequestId = new ConcurrentHashMap<>();

        @Override
        public void filter(ClientRequestContext request, ClientResponseContext response) {
            int status = response.getStatus();
            if (status != 429 && status != 503) {
                return;
            }
            String requestId = response.getHeaderString("opc-request-id");
            Duration wait = ThrottledException.parseRetryAfter(response.getHeaderString("retry-after"));
            if (requestId != null && !wait.isZero()) {
                if (byRequestId.size() >= MAX_REMEMBERED) {
                    // Entries whose exception was never translated; losing them only loses a hint.
                    byRequestId.clear();
                }
                byRequestId.put(requestId, wait);
            }
        }

        Duration take(String requestId) {
            Duration wait = requestId == null ? null : byRequestId.remove(requestId);
            return wait == null ? Duration.ZERO : wait;
        }
    }
}
