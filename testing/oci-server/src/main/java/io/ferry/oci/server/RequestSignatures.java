package io.ferry.oci.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks OCI request signatures (draft-cavage HTTP signatures, rsa-sha256) as Object Storage does:
 * the signed headers must include {@code date}, {@code (request-target)} and {@code host}, and for a
 * request with a JSON body also {@code content-length}, {@code content-type} and
 * {@code x-content-sha256}, which must be the body's hash. Object and part uploads sign no body.
 *
 * <p>Two kinds of key id: {@code tenancy/user/fingerprint} for an API key registered with
 * {@link #trustApiKey}, and {@code ST$<token>} for a session token this server minted
 * ({@link #mintSessionToken}): a JWT whose {@code jwk} claim is the public key requests are signed with,
 * as OCI's security tokens, resource principal tokens and workload identity tokens are.
 */
final class RequestSignatures {
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, PublicKey> apiKeys = new ConcurrentHashMap<>();
    private final byte[] tokenSecret = new byte[32];

    RequestSignatures() {
        new SecureRandom().nextBytes(tokenSecret);
    }

    void trustApiKey(String keyId, PublicKey key) {
        apiKeys.put(keyId, key);
    }

    /** A session token binding {@code key}, valid for {@code lifetime}, with the given extra claims. */
    String mintSessionToken(PublicKey key, Duration lifetime, Map<String, String> claims) {
        RSAPublicKey rsa = (RSAPublicKey) key;
        var jwk = new LinkedHashMap<String, Object>();
        jwk.put("kid", "ferry-test");
        jwk.put("kty", "RSA");
        jwk.put("alg", "RS256");
        jwk.put("use", "sig");
        jwk.put("n", base64Url(unsigned(rsa.getModulus())));
        jwk.put("e", base64Url(unsigned(rsa.getPublicExponent())));
        var payload = new LinkedHashMap<String, Object>(claims);
        long now = Instant.now().getEpochSecond();
        payload.put("iat", now);
        payload.put("exp", now + lifetime.toSeconds());
        payload.put("jwk", jwk);
        try {
            String header = base64Url(JSON.writeValueAsBytes(Map.of("alg", "HS256", "typ", "JWT", "kid", "ferry-test")));
            String body = base64Url(JSON.writeValueAsBytes(payload));
            return header + "." + body + "." + base64Url(hmac(header + "." + body));
        } catch (Exception e) {
            throw new IllegalStateException("cannot mint a token", e);
        }
    }

    /**
     * Checks a federation request: signed like any other, but with an instance certificate's key,
     * named {@code <tenancy>/fed-x509.../<fingerprint>}.
     */
    String checkFederation(HttpExchange exchange, PublicKey certificateKey, String bodySha256) {
        return check(exchange, true, bodySha256, keyId -> keyId.contains("/fed-x509") ? certificateKey : null);
    }

    /**
     * Checks the request's signature.
     *
     * @param bodySha256 base64 SHA-256 of the body when it is covered (JSON bodies), or null
     * @return null when the request is properly signed, else why not (for a 401 message)
     */
    String check(HttpExchange exchange, boolean bodyCovered, String bodySha256) {
        return check(exchange, bodyCovered, bodySha256, null);
    }

    private interface KeyLookup {
        PublicKey find(String keyId) throws GeneralSecurityException;
    }

    private String check(HttpExchange exchange, boolean bodyCovered, String bodySha256, KeyLookup lookup) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Signature ")) {
            return "no Signature authorization header";
        }
        Map<String, String> params = parameters(authorization.substring("Signature ".length()));
        String keyId = params.get("keyId");
        String signature = params.get("signature");
        String headerList = params.getOrDefault("headers", "date");
        if (keyId == null || signature == null) {
            return "the signature names no keyId or signature";
        }
        if (!"rsa-sha256".equals(params.get("algorithm"))) {
            return "algorithm must be rsa-sha256";
        }
        List<String> headers = List.of(headerList.toLowerCase(Locale.ROOT).split(" "));
        List<String> required = new ArrayList<>(List.of("date", "(request-target)", "host"));
        if (bodyCovered) {
            required.addAll(List.of("content-length", "content-type", "x-content-sha256"));
        }
        for (String h : required) {
            if (!headers.contains(h) && !(h.equals("date") && headers.contains("x-date"))) {
                return "the signature does not cover " + h;
            }
        }
        String date = exchange.getRequestHeaders().getFirst(headers.contains("x-date") ? "x-date" : "date");
        try {
            Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            if (Duration.between(sent, Instant.now()).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
                return "the request's date is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes off";
            }
        } catch (DateTimeParseException | NullPointerException e) {
            return "the request has no readable date";
        }
        if (bodyCovered && !String.valueOf(bodySha256).equals(exchange.getRequestHeaders().getFirst("x-content-sha256"))) {
            return "x-content-sha256 is not the body's SHA-256";
        }
        PublicKey key;
        try {
            key = lookup != null ? lookup.find(keyId) : keyFor(keyId);
        } catch (GeneralSecurityException | RuntimeException e) {
            return "the key id is not trusted: " + e.getMessage();
        }
        if (key == null) {
            return "unknown key id";
        }
        StringBuilder signing = new StringBuilder();
        for (String h : headers) {
            if (signing.length() > 0) {
                signing.append('\n');
            }
            if (h.equals("(request-target)")) {
                String query = exchange.getRequestURI().getRawQuery();
                signing.append("(request-target): ").append(exchange.getRequestMethod().toLowerCase(Locale.ROOT)).append(' ')
                        .append(exchange.getRequestURI().getRawPath()).append(query == null ? "" : "?" + query);
            } else {
                String value = exchange.getRequestHeaders().getFirst(h);
                if (value == null) {
                    return "signed header " + h + " is missing";
                }
                signing.append(h).append(": ").append(value);
            }
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(signing.toString().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(signature)) ? null : "the signature does not match";
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "the signature cannot be checked: " + e.getMessage();
        }
    }

    private PublicKey keyFor(String keyId) throws GeneralSecurityException {
        if (!keyId.startsWith("ST$")) {
            return apiKeys.get(keyId);
        }
        String[] jwt = keyId.substring(3).split("\\.");
        if (jwt.length != 3 || !MessageDigest.isEqual(Base64.getUrlDecoder().decode(jwt[2]), hmac(jwt[0] + "." + jwt[1]))) {
            throw new GeneralSecurityException("the session token was not issued here");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("unreadable token");
        }
        if (claims.path("exp").asLong() < Instant.now().getEpochSecond()) {
            throw new GeneralSecurityException("the session token has expired");
        }
        JsonNode jwk = claims.path("jwk");
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()))));
    }

    private byte[] hmac(String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(tokenSecret, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    }

    /** The comma-separated {@code name="value"} pairs of a Signature header. */
    private static Map<String, String> parameters(String text) {
        var params = new LinkedHashMap<String, String>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = text.substring(i, eq).trim();
            int open = text.indexOf('"', eq);
            int close = open < 0 ? -1 : text.indexOf('"', open + 1);
            if (close < 0) {
                break;
            }
            params.put(name, text.substring(open + 1, close));
            int comma = text.indexOf(',', close);
            i = comma < 0 ? text.length() : comma + 1;
        }
        return params;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
