package io.ferry.oci.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's signature check on its own, with requests signed here by hand as draft-cavage
 * describes: a good signature is served, and a signature that does not match, covers too little, is
 * stale, or names an unknown key gets 401.
 */
class OciServerSignatureTest {
    @TempDir
    static Path dir;
    static OciServer server;
    static OciCredentials credentials = OciCredentials.generate();
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = OciServer.start(dir, 0, "ns");
        server.trust(credentials);
        server.createBucket("b", "ocid1.compartment.oc1..x");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldServeAProperlySignedRequest() throws Exception {
        assertThat(send("/n/ns/b/b/o", "/n/ns/b/b/o", "date (request-target) host", ZonedDateTime.now(), credentials.keyId())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseASignatureOverAnotherPath() throws Exception {
        var response = send("/n/ns/b/b/o", "/n/ns/b/other/o", "date (request-target) host", ZonedDateTime.now(),
                credentials.keyId());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("NotAuthenticated").contains("does not match");
    }

    @Test
    void shouldRefuseASignatureThatLeavesOutTheHost() throws Exception {
        var response = send("/n/ns/b/b/o", "/n/ns/b/b/o", "date (request-target)", ZonedDateTime.now(), credentials.keyId());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("does not cover host");
    }

    @Test
    void shouldRefuseAStaleRequest() throws Exception {
        var response = send("/n/ns/b/b/o", "/n/ns/b/b/o", "date (request-target) host", ZonedDateTime.now().minusMinutes(10),
                credentials.keyId());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("minutes off");
    }

    @Test
    void shouldRefuseAnUnknownKey() throws Exception {
        var response = send("/n/ns/b/b/o", "/n/ns/b/b/o", "date (request-target) host", ZonedDateTime.now(),
                credentials.keyId().replace(credentials.fingerprint(), "00:11:22"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("unknown key id");
    }

    /** A GET of {@code path}, signed as if it were for {@code signedPath}. */
    static HttpResponse<String> send(String path, String signedPath, String headers, ZonedDateTime when, String keyId)
            throws Exception {
        URI uri = URI.create(server.endpoint() + path);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(when.withZoneSameInstant(ZoneOffset.UTC));
        String host = uri.getHost() + ":" + uri.getPort();
        var signing = new StringBuilder();
        for (String h : headers.split(" ")) {
            if (signing.length() > 0) {
                signing.append('\n');
            }
            signing.append(switch (h) {
                case "date" -> "date: " + date;
                case "(request-target)" -> "(request-target): get " + signedPath;
                case "host" -> "host: " + host;
                default -> throw new IllegalArgumentException(h);
            });
        }
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(credentials.keyPair().getPrivate());
        rsa.update(signing.toString().getBytes(StandardCharsets.UTF_8));
        String authorization = "Signature version=\"1\",keyId=\"" + keyId + "\",algorithm=\"rsa-sha256\",headers=\""
                + headers + "\",signature=\"" + Base64.getEncoder().encodeToString(rsa.sign()) + "\"";
        // The JDK client sends Host as host:port itself.
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", authorization).header("Date", date).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
