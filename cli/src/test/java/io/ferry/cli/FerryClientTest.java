package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.schemas.Json;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the client follows a job's status: waiting at the verifier when it can, polling when it cannot. */
class FerryClientTest {
    /** One scripted answer of the fake verifier. */
    record Answer(int code, JobPhase phase, Map<String, String> headers) {
    }

    final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    /** The If-None-Match and Prefer headers of each request, "-" when absent. */
    final List<String> asked = new ArrayList<>();
    HttpServer verifier;

    FerryClient client() throws IOException {
        verifier = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        verifier.createContext("/jobs/ml/llama/status", this::answer);
        verifier.start();
        String url = "http://127.0.0.1:" + verifier.getAddress().getPort();
        return new FerryClient(url, url, "t");
    }

    private void answer(HttpExchange exchange) throws IOException {
        synchronized (asked) {
            asked.add(header(exchange, "If-None-Match") + " " + header(exchange, "Prefer"));
        }
        Answer a = script.poll();
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] body = a.phase() == null ? new byte[0]
                : Json.MAPPER.writeValueAsBytes(new JobStatus("ml/llama", a.phase(), null, null, null, 0, "m", null, 1, null));
        exchange.sendResponseHeaders(a.code(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String header(HttpExchange exchange, String name) {
        String v = exchange.getRequestHeaders().getFirst(name);
        return v == null ? "-" : v;
    }

    @AfterEach
    void stop() {
        if (verifier != null) {
            verifier.stop(0);
        }
    }

    @Test
    void shouldWaitAtTheVerifierWithTheLastStatusSeen() throws Exception {
        FerryClient client = client();
        script.add(new Answer(200, JobPhase.Running, Map.of("ETag", "\"a\"")));
        script.add(new Answer(304, null, Map.of("ETag", "\"a\"", "Preference-Applied", "wait=30")));
        script.add(new Answer(200, JobPhase.Running, Map.of("ETag", "\"b\"", "Preference-Applied", "wait=30")));
        script.add(new Answer(200, JobPhase.Completed, Map.of("ETag", "\"c\"", "Preference-Applied", "wait=30")));
        List<JobPhase> seen = new ArrayList<>();

        JobStatus done = client.awaitStatus("ml/llama", s -> s.phase() == JobPhase.Completed, Duration.ofMinutes(5),
                s -> seen.add(s.phase()));

        assertThat(done.phase()).isEqualTo(JobPhase.Completed);
        assertThat(seen).containsExactly(JobPhase.Running, JobPhase.Running, JobPhase.Completed);
        assertThat(asked).containsExactly("- -", "\"a\" wait=30", "\"a\" wait=30", "\"b\" wait=30");
    }

    @Test
    void shouldPollAVerifierThatSendsNoEntityTagOrHasNoStatusYet() throws Exception {
        FerryClient client = client();
        script.add(new Answer(503, null, Map.of()));
        script.add(new Answer(404, null, Map.of()));
        script.add(new Answer(200, JobPhase.Running, Map.of()));
        script.add(new Answer(200, JobPhase.Completed, Map.of()));

        JobStatus done = client.awaitStatus("ml/llama", s -> s.phase() == JobPhase.Completed, Duration.ofMinutes(5));

        assertThat(done.phase()).isEqualTo(JobPhase.Completed);
        assertThat(asked).containsExactly("- -", "- -", "- -", "- -");
    }

    @Test
    void shouldAskWithoutItsEntityTagOnceTheStatusIsGone() throws Exception {
        FerryClient client = client();
        script.add(new Answer(200, JobPhase.Running, Map.of("ETag", "\"a\"")));
        script.add(new Answer(404, null, Map.of()));
        script.add(new Answer(200, JobPhase.Completed, Map.of("ETag", "\"a\"")));

        client.awaitStatus("ml/llama", s -> s.phase() == JobPhase.Completed, Duration.ofMinutes(5));

        assertThat(asked).containsExactly("- -", "\"a\" wait=30", "- -");
    }
}
