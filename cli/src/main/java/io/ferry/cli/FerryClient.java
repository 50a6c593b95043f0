package io.ferry.cli;

import io.ferry.schemas.Json;
import io.ferry.schemas.job.JobStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** HTTP client for the scanner's job API and the verifier's status API, sending a bearer token. */
public final class FerryClient {
    /** A non-2xx answer; the message is the server's error text. */
    public static final class ApiException extends IOException {
        private final int status;

        ApiException(int status, String body) {
            super("HTTP " + status + ": " + (status == 401 && body.isBlank()
                    ? "no valid token (missing, expired, or not signed by a key the service trusts): see --token-file"
                    : body));
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** How often a verifier that does not wait for changes (or has no status yet) is asked again. */
    static final Duration POLL_EVERY = Duration.ofMillis(300);
    /** The longest wait asked of the verifier in one request (it takes at most 30 s). */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String scannerUrl;
    private final String verifierUrl;
    private final String token;

    /** @param token the bearer token every request carries; null for none (the services then answer 401) */
    public FerryClient(String scannerUrl, String verifierUrl, String token) {
        this.scannerUrl = scannerUrl;
        this.verifierUrl = verifierUrl;
        this.token = token;
    }

    private HttpRequest.Builder to(String url) {
        var builder = HttpRequest.newBuilder(URI.create(url));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** POSTs a job document (YAML or JSON); returns the stored job as JSON. */
    public String submit(String document) throws IOException, InterruptedException {
        var request = to(scannerUrl + "/jobs")
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(document)).build();
        HttpResponse<String> r = send(request);
        // Fields Ferry accepted but does not act on, one Warning each (as kubectl shows the API server's).
        r.headers().allValues("Warning").forEach(w -> System.err.println("Warning: " + warningText(w)));
        return r.body();
    }

    /** The quoted text of an RFC 7234 Warning value ({@code 299 agent "text"}), or the value as it is. */
    static String warningText(String warning) {
        int open = warning.indexOf('"');
        return open >= 0 && warning.endsWith("\"") ? warning.substring(open + 1, warning.length() - 1) : warning;
    }

    /** The job's status, or empty while the verifier has none yet. */
    public Optional<JobStatus> status(String jobKey) throws IOException, InterruptedException {
        return Optional.ofNullable(poll(jobKey).status());
    }

    /**
     * A status (null with 404 or 503: why there is none), its ETag, and whether the verifier took
     * the wait asked for (it then answers a status that has not changed only after waiting).
     */
    private record Polled(JobStatus status, int code, String body, String etag, boolean waited) {
    }

    private Polled poll(String jobKey) throws IOException, InterruptedException {
        return poll(jobKey, null, 0);
    }

    /**
     * The job's status; with {@code etag} (of the last status seen) and {@code waitSeconds}, the
     * verifier answers when it changes or the wait is over (304: unchanged, {@code status} null).
     */
    private Polled poll(String jobKey, String etag, int waitSeconds) throws IOException, InterruptedException {
        // a verifier that takes the request and never answers fails it, past the wait asked for
        var builder = to(verifierUrl + "/jobs/" + jobKey + "/status").GET().timeout(Duration.ofSeconds(waitSeconds + 30L));
        if (etag != null) {
            builder.header("If-None-Match", etag).header("Prefer", "wait=" + waitSeconds);
        }
        HttpResponse<String> r = exchange(builder.build());
        boolean waited = r.headers().firstValue("Preference-Applied").filter(p -> p.startsWith("wait=")).isPresent();
        String tag = r.headers().firstValue("ETag").orElse(null);
        if (r.statusCode() == 304) {
            return new Polled(null, 304, "", tag, waited);
        }
        if (r.statusCode() == 404 || r.statusCode() == 503) {
            return new Polled(null, r.statusCode(), r.body(), null, false);
        }
        if (r.statusCode() / 100 != 2) {
            throw new ApiException(r.statusCode(), r.body());
        }
        return new Polled(Json.MAPPER.readValue(r.body(), JobStatus.class), r.statusCode(), r.body(), tag, waited);
    }

    /**
     * Follows the job's status until {@code done} holds: each request after the first waits at the
     * verifier for the status to change (README, "Status"); a verifier that does not wait, or has
     * no status yet, is asked again every {@link #POLL_EVERY}.
     *
     * @throws java.util.concurrent.TimeoutException naming the last status seen, when {@code timeout} passes first
     */
    public JobStatus awaitStatus(String jobKey, java.util.function.Predicate<JobStatus> done, java.time.Duration timeout)
            throws IOException, InterruptedException, java.util.concurrent.TimeoutException {
        return awaitStatus(jobKey, done, timeout, status -> { });
    }

    /** As {@link #awaitStatus(String, java.util.function.Predicate, java.time.Duration)}, showing each status seen. */
    public JobStatus awaitStatus(String jobKey, java.util.function.Predicate<JobStatus> done, java.time.Duration timeout,
            java.util.function.Consumer<JobStatus> seen) throws IOException, InterruptedException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus last = null;
        Polled polled = null;
        String etag = null;
        while (System.nanoTime() < deadline) {
            long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
            polled = poll(jobKey, etag, (int) Math.max(1, Math.min(MAX_WAIT.toSeconds(), left)));
            if (polled.status() != null) {
                last = polled.status();
                etag = polled.etag();
                seen.accept(last);
                if (done.test(last)) {
                    return last;
                }
            } else if (polled.code() != 304) {
                etag = null; // no status now (404, 503): the next one is new, whatever the last was
            }
            if (!polled.waited() && (polled.status() == null || etag == null)) {
                Thread.sleep(POLL_EVERY.toMillis());
            }
        }
        throw new java.util.concurrent.TimeoutException(jobKey + " did not get there in " + timeout + "; last status: "
                + (last == null ? "none" : last.phase() + " " + last.message() + " " + last.progress())
                // "none" alone cannot tell a verifier that never heard of the job from one that is not running
                + (polled == null || polled.status() != null || polled.code() == 304 ? ""
                        : "; the verifier's last answer: " + polled.code() + " " + polled.body()));
    }

    /** Asks for a run of the job now, whatever its mode; returns the scanner's answer. */
    public String sync(String jobKey) throws IOException, InterruptedException {
        return send(to(scannerUrl + "/jobs/" + jobKey + "/sync").POST(HttpRequest.BodyPublishers.noBody()).build()).body();
    }

    /** Deletes a job: the scanner withdraws its objects and the verifier forgets them. */
    public void delete(String jobKey) throws IOException, InterruptedException {
        send(to(scannerUrl + "/jobs/" + jobKey).DELETE().build());
    }

    public String get(String url) throws IOException, InterruptedException {
        return send(to(url).GET().build()).body();
    }

    /** The response, if it is a success. */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = exchange(request);
        if (r.statusCode() / 100 != 2) {
            throw new ApiException(r.statusCode(), r.body());
        }
        return r;
    }

    /** Any answer; a service that cannot be reached is named by its address. */
    private HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            URI uri = request.uri();
            throw new java.net.ConnectException("cannot reach " + uri.getScheme() + "://" + uri.getAuthority()
                    + " (is the service running, and is the URL right?)");
        }
    }
}
