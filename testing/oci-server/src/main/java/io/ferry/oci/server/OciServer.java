package io.ferry.oci.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.kafka.broker.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OCI Object Storage server: the part of the REST API (20160918) Ferry uses, over a directory,
 * on 127.0.0.1. Every request must carry a valid OCI signature ({@link RequestSignatures}); one that
 * does not gets 401 NotAuthenticated, so the client's authentication is really exercised. Faults on
 * demand: throttling (429 / 503 with Retry-After) for the next requests or for a while, and response
 * bodies cut off mid-way.
 *
 * <p>Objects are files named by their ETag, so a GET in flight keeps reading the version it started
 * on when a PUT replaces the object, as on the real service. Object listings, metadata and multipart
 * uploads are held in memory: the server lives as long as the test or benchmark that started it.
 */
public final class OciServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final int COPY_BUFFER = 256 << 10;
    /** Parts but the last must be at least this large, as the OCI SDK's upload manager keeps them. */
    static final long MIN_PART_SIZE = 1L << 20;

    private final HttpServer http;
    private final ExecutorService workers;
    private final Path dataDir;
    private final String namespace;
    private final RequestSignatures signatures = new RequestSignatures();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile Fault fault = new Fault(503, 1);
    private volatile Instant throttleUntil = Instant.MIN;
    private final AtomicInteger cutNextReads = new AtomicInteger();
    private final AtomicLong readsCut = new AtomicLong();
    private final AtomicLong requestsRefused = new AtomicLong();
    private final AtomicLong federatedTokens = new AtomicLong();
    private volatile InstanceIdentity instanceIdentity;

    private record Fault(int status, int retryAfterSeconds) {
    }

    private record InstanceIdentity(String region, String certificatePem, String privateKeyPem, PublicKey publicKey) {
    }

    private record StoredObject(String etag, long size, Path file, String md5, String contentType,
            Map<String, String> metadata, Instant modified, String storageTier) {
    }

    private record Bucket(String name, String compartmentId, NavigableMap<String, StoredObject> objects) {
    }

    private record Upload(String bucket, String object, Path dir, String contentType, Map<String, String> metadata,
            String storageTier, Map<Integer, StoredObject> parts) {
    }

    private OciServer(Path dataDir, int port, String namespace) throws IOException {
        this.dataDir = dataDir;
        this.namespace = namespace;
        Files.createDirectories(dataDir);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        this.workers = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "oci-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        http.createContext("/", this::handle);
        http.start();
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param dataDir where object bytes go; the caller removes it
     * @param port the port, or 0 for any free one
     * @param namespace the tenancy's Object Storage namespace
     */
    public static OciServer start(Path dataDir, int port, String namespace) throws IOException {
        return new OciServer(dataDir, port, namespace);
    }

    /** The base URL clients use as their endpoint. */
    public String endpoint() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public String namespace() {
        return namespace;
    }

    /**
     * Plays an instance's metadata service ({@code /opc/v2/}) and the federation endpoint
     * ({@code /v1/x509}) for instance principals, with this identity certificate and key.
     *
     * @param certificatePem the instance's leaf certificate, whose subject carries
     *     {@code OU=opc-tenant:<tenancy>}
     */
    public void playInstance(String region, String certificatePem, String privateKeyPem, PublicKey publicKey) {
        instanceIdentity = new InstanceIdentity(region, certificatePem, privateKeyPem, publicKey);
    }

    /** How many session tokens the federation endpoint issued. */
    public long federatedTokens() {
        return federatedTokens.get();
    }

    /** Accepts requests signed with this key from now on. */
    public void trust(OciCredentials credentials) {
        signatures.trustApiKey(credentials.keyId(), credentials.keyPair().getPublic());
    }

    /**
     * A session token (the {@code ST$} kind: security tokens, resource principal and workload identity
     * tokens) binding {@code key}, that this server accepts until it expires.
     */
    public String mintSessionToken(PublicKey key, Duration lifetime, Map<String, String> claims) {
        return signatures.mintSessionToken(key, lifetime, claims);
    }

    public void createBucket(String name, String compartmentId) {
        buckets.putIfAbsent(name, new Bucket(name, compartmentId, new ConcurrentSkipListMap<>()));
    }

    /** The next {@code count} requests get {@code status} (429 or 503) with Retry-After. */
    public void failNextRequests(int count, int status, int retryAfterSeconds) {
        fault = new Fault(status, retryAfterSeconds);
        failNext.set(count);
    }

    /** Every request for {@code window} from now gets {@code status} with Retry-After: a throttling storm. */
    public void throttleFor(Duration window, int status, int retryAfterSeconds) {
        fault = new Fault(status, retryAfterSeconds);
        throttleUntil = Instant.now().plus(window);
    }

    /** The next {@code count} object reads send half their body and then drop the connection. */
    public void cutNextReads(int count) {
        cutNextReads.set(count);
    }

    /** The storage tier of an object, as a test checks what a writer asked for; null if there is none. */
    public String storageTier(String bucket, String objectName) {
        Bucket b = buckets.get(bucket);
        StoredObject o = b == null ? null : b.objects.get(objectName);
        return o == null ? null : o.storageTier;
    }

    /** How many object reads were cut off mid-body so far. */
    public long readsCut() {
        return readsCut.get();
    }

    /** How many requests were refused by a fault so far. */
    public long requestsRefused() {
        return requestsRefused.get();
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = "ferry-oci-" + requestIds.incrementAndGet();
        exchange.getResponseHeaders().set("opc-request-id", requestId);
        try (exchange) {
            try {
                route(exchange);
            } catch (ApiError e) {
                drain(exchange.getRequestBody());
                if (e.retryAfterSeconds > 0) {
                    exchange.getResponseHeaders().set("retry-after", Integer.toString(e.retryAfterSeconds));
                }
                error(exchange, e.status, e.code, e.getMessage());
            } catch (RuntimeException e) {
                drain(exchange.getRequestBody());
                error(exchange, 500, "InternalServerError", String.valueOf(e.getMessage()));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        if (rawPath.startsWith("/opc/v2/")) {
            instanceMetadata(exchange, rawPath.substring("/opc/v2/".length()));
            return;
        }
        if (rawPath.equals("/v1/x509") && method.equals("POST")) {
            federate(exchange);
            return;
        }
        // Object names may hold '/', which arrives percent-encoded: split on the raw path, then decode.
        String[] segments = exchange.getRequestURI().getRawPath().split("/", -1);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        boolean jsonBody = method.equals("POST");
        byte[] body = jsonBody ? exchange.getRequestBody().readAllBytes() : null;
        String problem = signatures.check(exchange, jsonBody, body == null ? null : sha256Base64(body));
        if (problem != null) {
            throw new ApiError(401, "NotAuthenticated", "The required information to complete authentication was not"
                    + " provided or was incorrect: " + problem);
        }
        refuseIfFaulted();

        // /n/  |  /n/{ns}/b/{bucket}  |  /n/{ns}/b/{bucket}/o[/{name}]  |  /n/{ns}/b/{bucket}/u[/{name}]
        if (segments.length >= 2 && segments[1].equals("n") && (segments.length == 2 || segments.length == 3 && segments[2].isEmpty())) {
            json(exchange, 200, JSON.getNodeFactory().textNode(namespace));
            return;
        }
        if (segments.length < 5 || !segments[1].equals("n") || !segments[3].equals("b")) {
            throw new ApiError(404, "NotFound", "no such API path");
        }
        if (!decode(segments[2]).equals(namespace)) {
            throw new ApiError(404, "NamespaceNotFound", "namespace '" + decode(segments[2]) + "' not found");
        }
        Bucket bucket = buckets.get(decode(segments[4]));
        if (bucket == null) {
            throw new ApiError(404, "BucketNotFound", "Either the bucket named '" + decode(segments[4])
                    + "' does not exist in the namespace '" + namespace + "' or you are not authorized to access it");
        }
        if (segments.length == 5) {
            getBucket(exchange, bucket);
            return;
        }
        String kind = segments[5];
        String name = segments.length > 6 ? decode(String.join("/", List.of(segments).subList(6, segments.length))) : null;
        switch (kind + ":" + method + ":" + (name == null ? "bucket" : "object")) {
            case "o:GET:bucket" -> list(exchange, bucket, query);
            case "o:HEAD:object", "o:GET:object" -> get(exchange, bucket, name, method.equals("HEAD"));
            case "o:PUT:object" -> put(exchange, bucket, name);
            case "o:DELETE:object" -> delete(exchange, bucket, name);
            case "u:POST:bucket" -> createUpload(exchange, bucket, body);
            case "u:PUT:object" -> uploadPart(exchange, require(query, "uploadId"), require(query, "uploadPartNum"));
            case "u:GET:object" -> listParts(exchange, require(query, "uploadId"), query);
            case "u:POST:object" -> commit(exchange, bucket, name, require(query, "uploadId"), body);
            case "u:DELETE:object" -> abort(exchange, require(query, "uploadId"));
            case "actions:POST:object" -> {
                if (!name.equals("updateObjectStorageTier")) {
                    throw new ApiError(404, "NotFound", "no action " + name);
                }
                updateTier(exchange, bucket, body);
            }
            default -> throw new ApiError(405, "MethodNotAllowed", method + " is not supported here");
        }
    }

    /**
     * Plays an OCI compute instance's metadata service for instance principals: the instance's region
     * and its identity certificate and key, which the SDK exchanges at {@code /v1/x509} for a token.
     */
    private void instanceMetadata(HttpExchange exchange, String path) throws IOException {
        InstanceIdentity identity = instanceIdentity;
        if (identity == null) {
            throw new ApiError(404, "NotFound", "this server plays no instance");
        }
        if (!"Bearer Oracle".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            throw new ApiError(401, "NotAuthenticated", "metadata v2 requests need Authorization: Bearer Oracle");
        }
        String body = switch (path) {
            case "instance/region", "instance/canonicalRegionName" -> identity.region;
            case "identity/cert.pem", "identity/intermediate.pem" -> identity.certificatePem;
            case "identity/key.pem" -> identity.privateKeyPem;
            default -> throw new ApiError(404, "NotFound", "no metadata at " + path);
        };
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /**
     * Plays OCI's federation service: a request signed with the instance's certificate key gets a
     * session token binding the public key it sent, which then signs Object Storage requests.
     */
    private void federate(HttpExchange exchange) throws IOException {
        InstanceIdentity identity = instanceIdentity;
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (identity == null) {
            throw new ApiError(404, "NotFound", "this server plays no instance");
        }
        String problem = signatures.checkFederation(exchange, identity.publicKey, sha256Base64(body));
        if (problem != null) {
            throw new ApiError(401, "NotAuthenticated", "federation request refused: " + problem);
        }
        JsonNode request = JSON.readTree(body);
        PublicKey sessionKey;
        try {
            String pem = request.path("publicKey").asText().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            sessionKey = java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new ApiError(400, "InvalidParameter", "publicKey is not an RSA public key: " + e.getMessage());
        }
        String token = mintSessionToken(sessionKey, Duration.ofMinutes(20),
                Map.of("sub", "ocid1.instance.oc1..ferrytest", "tenant", OciCredentials.TENANCY, "ptype", "instance"));
        federatedTokens.incrementAndGet();
        json(exchange, 200, JSON.createObjectNode().put("token", token));
    }

    private void refuseIfFaulted() {
        boolean storm = Instant.now().isBefore(throttleUntil);
        if (storm || failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            requestsRefused.incrementAndGet();
            Fault f = fault;
            throw new ApiError(f.status, f.status == 429 ? "TooManyRequests" : "ServiceUnavailable",
                    "throttled by the test; retry after " + f.retryAfterSeconds + " s", f.retryAfterSeconds);
        }
    }

    private void getBucket(HttpExchange exchange, Bucket bucket) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("namespace", namespace);
        node.put("name", bucket.name);
        node.put("compartmentId", bucket.compartmentId);
        node.put("createdBy", OciCredentials.USER);
        node.put("timeCreated", Instant.EPOCH.toString());
        node.put("etag", "bucket-" + bucket.name);
        node.put("publicAccessType", "NoPublicAccess");
        node.put("storageTier", "Standard");
        node.putObject("metadata");
        json(exchange, 200, node);
    }

    private void list(HttpExchange exchange, Bucket bucket, Map<String, String> query) throws IOException {
        String prefix = query.getOrDefault("prefix", "");
        String start = query.get("start");
        int limit = Math.min(Integer.parseInt(query.getOrDefault("limit", "1000")), 1000);
        ObjectNode node = JSON.createObjectNode();
        ArrayNode objects = node.putArray("objects");
        var tail = start == null ? bucket.objects.tailMap(prefix, true) : bucket.objects.tailMap(start, true);
        for (var e : tail.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                if (e.getKey().compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            if (objects.size() == limit) {
                node.put("nextStartWith", e.getKey());
                break;
            }
            StoredObject o = e.getValue();
            ObjectNode summary = objects.addObject();
            summary.put("name", e.getKey());
            summary.put("size", o.size);
            summary.put("etag", o.etag);
            summary.put("md5", o.md5);
            summary.put("timeModified", o.modified.toString());
            summary.put("storageTier", o.storageTier);
        }
        json(exchange, 200, node);
    }

    private void get(HttpExchange exchange, Bucket bucket, String name, boolean headOnly) throws IOException {
        StoredObject o = bucket.objects.get(name);
        if (o == null) {
            throw new ApiError(404, "ObjectNotFound", "The object '" + name + "' was not found in the bucket '"
                    + bucket.name + "'");
        }
        String ifMatch = exchange.getRequestHeaders().getFirst("if-match");
        if (ifMatch != null && !ifMatch.equals(o.etag) && !ifMatch.equals("*")) {
            throw new ApiError(412, "IfMatchFailed", "The If-Match header is '" + ifMatch + "' but the current entity tag"
                    + " is '" + o.etag + "'");
        }
        var headers = exchange.getResponseHeaders();
        headers.set("ETag", o.etag);
        headers.set("Content-MD5", o.md5);
        headers.set("Last-Modified", HTTP_DATE.format(o.modified));
        headers.set("storage-tier", o.storageTier);
        headers.set("Accept-Ranges", "bytes");
        if (o.contentType != null) {
            headers.set("Content-Type", o.contentType);
        }
        o.metadata.forEach((k, v) -> headers.set("opc-meta-" + k, v));
        long from = 0;
        long length = o.size;
        String range = exchange.getRequestHeaders().getFirst("range");
        int status = 200;
        if (range != null && !headOnly) {
            long[] r = range(range, o.size);
            from = r[0];
            length = r[1] - r[0] + 1;
            status = 206;
            headers.set("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + o.size);
        }
        if (headOnly) {
            headers.set("Content-Length", Long.toString(o.size));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        // Open before answering: the file of this version stays readable even if a PUT replaces it now.
        try (InputStream in = Files.newInputStream(o.file)) {
            in.skipNBytes(from);
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
            long send = cutNextReads.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? length / 2 : length;
            if (send < length) {
                readsCut.incrementAndGet();
            }
            OutputStream out = exchange.getResponseBody();
            copy(in, out, send);
            if (send < length) {
                // Drop the connection mid-body: the client sees the body end short of Content-Length.
                throw new IOException("cut off by the test");
            }
        }
    }

    private void put(HttpExchange exchange, Bucket bucket, String name) throws IOException {
        var h = exchange.getRequestHeaders();
        long length = contentLength(exchange);
        StoredObject stored = store(exchange.getRequestBody(), length, h.getFirst("Content-Type"), metadata(exchange),
                tier(h.getFirst("storage-tier")));
        StoredObject previous = bucket.objects.put(name, stored);
        deleteVersion(previous);
        var out = exchange.getResponseHeaders();
        out.set("ETag", stored.etag);
        out.set("opc-content-md5", stored.md5);
        out.set("Last-Modified", HTTP_DATE.format(stored.modified));
        exchange.sendResponseHeaders(200, -1);
    }

    private void delete(HttpExchange exchange, Bucket bucket, String name) throws IOException {
        StoredObject removed = bucket.objects.remove(name);
        if (removed == null) {
            throw new ApiError(404, "ObjectNotFound", "The object '" + name + "' does not exist in bucket '"
                    + bucket.name + "'");
        }
        deleteVersion(removed);
        exchange.sendResponseHeaders(204, -1);
    }

    private void updateTier(HttpExchange exchange, Bucket bucket, byte[] body) throws IOException {
        JsonNode details = JSON.readTree(body);
        String name = details.path("objectName").asText();
        String tier = details.path("storageTier").asText();
        if (!List.of("Standard", "InfrequentAccess", "Archive").contains(tier)) {
            throw new ApiError(400, "InvalidParameter", "storageTier must be Standard, InfrequentAccess or Archive");
        }
        StoredObject o = bucket.objects.computeIfPresent(name, (k, v) -> new StoredObject(v.etag, v.size, v.file, v.md5,
                v.contentType, v.metadata, v.modified, tier));
        if (o == null) {
            throw new ApiError(404, "ObjectNotFound", "The object '" + name + "' was not found in the bucket '"
                    + bucket.name + "'");
        }
        exchange.sendResponseHeaders(200, -1);
    }

    private void createUpload(HttpExchange exchange, Bucket bucket, byte[] body) throws IOException {
        JsonNode details = JSON.readTree(body);
        String object = details.path("object").asText(null);
        if (object == null || object.isEmpty()) {
            throw new ApiError(400, "InvalidParameter", "object is required");
        }
        String uploadId = UUID.randomUUID().toString();
        Path dir = dataDir.resolve("uploads").resolve(uploadId);
        Files.createDirectories(dir);
        var meta = new HashMap<String, String>();
        details.path("metadata").fields().forEachRemaining(e -> meta.put(stripMetaPrefix(e.getKey()), e.getValue().asText()));
        uploads.put(uploadId, new Upload(bucket.name, object, dir, details.path("contentType").asText(null), meta,
                tier(details.path("storageTier").asText(null)), new ConcurrentHashMap<>()));
        ObjectNode node = JSON.createObjectNode();
        node.put("namespace", namespace);
        node.put("bucket", bucket.name);
        node.put("object", object);
        node.put("uploadId", uploadId);
        node.put("timeCreated", Instant.now().toString());
        node.put("storageTier", tier(details.path("storageTier").asText(null)));
        json(exchange, 200, node);
    }

    private void uploadPart(HttpExchange exchange, String uploadId, String partNumText) throws IOException {
        Upload upload = upload(uploadId);
        int partNum = Integer.parseInt(partNumText);
        if (partNum < 1 || partNum > 10_000) {
            throw new ApiError(400, "InvalidParameter", "uploadPartNum must be 1..10000");
        }
        StoredObject part = store(exchange.getRequestBody(), contentLength(exchange), null, Map.of(), "Standard");
        deleteVersion(upload.parts.put(partNum, part));
        if (!uploads.containsKey(uploadId)) {
            // aborted or committed while this part was on its way
            deleteVersion(part);
            throw new ApiError(404, "NoSuchUpload", "upload " + uploadId + " is no longer in progress");
        }
        exchange.getResponseHeaders().set("ETag", part.etag);
        exchange.getResponseHeaders().set("opc-content-md5", part.md5);
        exchange.sendResponseHeaders(200, -1);
    }

    private void listParts(HttpExchange exchange, String uploadId, Map<String, String> query) throws IOException {
        Upload upload = upload(uploadId);
        int limit = Math.min(Integer.parseInt(query.getOrDefault("limit", "1000")), 1000);
        int after = Integer.parseInt(query.getOrDefault("page", "0"));
        ArrayNode items = JSON.createArrayNode();
        var sorted = new java.util.TreeMap<>(upload.parts);
        for (var e : sorted.tailMap(after, false).entrySet()) {
            if (items.size() == limit) {
                exchange.getResponseHeaders().set("opc-next-page", Integer.toString(items.get(items.size() - 1)
                        .path("partNumber").asInt()));
                break;
            }
            ObjectNode item = items.addObject();
            item.put("partNumber", e.getKey());
            item.put("etag", e.getValue().etag);
            item.put("md5", e.getValue().md5);
            item.put("size", e.getValue().size);
        }
        json(exchange, 200, items);
    }

    private void commit(HttpExchange exchange, Bucket bucket, String name, String uploadId, byte[] body) throws IOException {
        Upload upload = upload(uploadId);
        if (!upload.object.equals(name) || !upload.bucket.equals(bucket.name)) {
            throw new ApiError(400, "InvalidParameter", "upload " + uploadId + " is not for " + name);
        }
        JsonNode commit = JSON.readTree(body);
        var chosen = new java.util.TreeMap<Integer, StoredObject>();
        for (JsonNode p : commit.path("partsToCommit")) {
            int num = p.path("partNum").asInt();
            StoredObject part = upload.parts.get(num);
            if (part == null || !part.etag.equals(p.path("etag").asText())) {
                throw new ApiError(400, "InvalidUploadPart", "part " + num + " with etag " + p.path("etag").asText()
                        + " is not in upload " + uploadId);
            }
            chosen.put(num, part);
        }
        if (chosen.isEmpty()) {
            throw new ApiError(400, "InvalidParameter", "partsToCommit is empty");
        }
        for (var part : chosen.headMap(chosen.lastKey()).entrySet()) {
            if (part.getValue().size < MIN_PART_SIZE) {
                throw new ApiError(400, "InvalidUploadPart", "part " + part.getKey() + " has " + part.getValue().size
                        + " bytes; every part but the last needs at least " + MIN_PART_SIZE);
            }
        }
        if (uploads.remove(uploadId) == null) {
            throw new ApiError(404, "NoSuchUpload", "upload " + uploadId + " is no longer in progress");
        }
        String etag = UUID.randomUUID().toString();
        Path file = dataDir.resolve("objects").resolve(etag);
        Files.createDirectories(file.getParent());
        MessageDigest partMd5s = md5();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (StoredObject part : chosen.values()) {
                Files.copy(part.file, out);
                size += part.size;
                partMd5s.update(Base64.getDecoder().decode(part.md5));
            }
        }
        String multipartMd5 = Base64.getEncoder().encodeToString(partMd5s.digest()) + "-" + chosen.size();
        var stored = new StoredObject(etag, size, file, multipartMd5, upload.contentType, upload.metadata, Instant.now(),
                upload.storageTier);
        deleteVersion(bucket.objects.put(name, stored));
        ChildProcesses.deleteTree(upload.dir);
        var out = exchange.getResponseHeaders();
        out.set("ETag", etag);
        out.set("opc-multipart-md5", multipartMd5);
        out.set("Last-Modified", HTTP_DATE.format(stored.modified));
        exchange.sendResponseHeaders(200, -1);
    }

    private void abort(HttpExchange exchange, String uploadId) throws IOException {
        Upload upload = uploads.remove(uploadId);
        if (upload == null) {
            throw new ApiError(404, "NoSuchUpload", "upload " + uploadId + " is not in progress");
        }
        ChildProcesses.deleteTree(upload.dir);
        exchange.sendResponseHeaders(204, -1);
    }

    private Upload upload(String uploadId) {
        Upload upload = uploads.get(uploadId);
        if (upload == null) {
            throw new ApiError(404, "NoSuchUpload", "upload " + uploadId + " is not in progress");
        }
        return upload;
    }

    /** Streams a body into a new version file, hashing it; fails if it is shorter than announced. */
    private StoredObject store(InputStream body, long length, String contentType, Map<String, String> metadata,
            String tier) throws IOException {
        String etag = UUID.randomUUID().toString();
        Path file = dataDir.resolve("objects").resolve(etag);
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(etag + ".partial");
        MessageDigest md5 = md5();
        long copied = 0;
        try (OutputStream out = Files.newOutputStream(partial)) {
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = body.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                md5.update(buffer, 0, n);
                copied += n;
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        if (copied != length) {
            Files.deleteIfExists(partial);
            throw new ApiError(400, "InvalidParameter", "the body had " + copied + " bytes, Content-Length said " + length);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return new StoredObject(etag, copied, file, Base64.getEncoder().encodeToString(md5.digest()), contentType,
                metadata, Instant.now(), tier);
    }

    private static void deleteVersion(StoredObject o) throws IOException {
        if (o != null) {
            Files.deleteIfExists(o.file);
        }
    }

    private static Map<String, String> metadata(HttpExchange exchange) {
        var meta = new LinkedHashMap<String, String>();
        exchange.getRequestHeaders().forEach((k, v) -> {
            if (k.toLowerCase(java.util.Locale.ROOT).startsWith("opc-meta-")) {
                meta.put(stripMetaPrefix(k), v.get(0));
            }
        });
        return meta;
    }

    private static String stripMetaPrefix(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("opc-meta-") ? lower.substring("opc-meta-".length()) : lower;
    }

    private static String tier(String requested) {
        return requested == null || requested.isEmpty() ? "Standard" : requested;
    }

    private static long contentLength(HttpExchange exchange) {
        String text = exchange.getRequestHeaders().getFirst("Content-Length");
        if (text == null) {
            throw new ApiError(411, "LengthRequired", "Content-Length is required");
        }
        return Long.parseLong(text);
    }

    private static long[] range(String header, long size) {
        if (!header.startsWith("bytes=") || header.contains(",")) {
            throw new ApiError(400, "InvalidRange", "unsupported range " + header);
        }
        String[] ends = header.substring(6).split("-", -1);
        long first = Long.parseLong(ends[0]);
        long last = ends[1].isEmpty() ? size - 1 : Math.min(Long.parseLong(ends[1]), size - 1);
        if (first > last || first >= size) {
            throw new ApiError(416, "InvalidRange", "range " + header + " is outside the object (" + size + " bytes)");
        }
        return new long[] {first, last};
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("object file ended early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void drain(InputStream body) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the client went away; nothing to answer
        }
    }

    private static void json(HttpExchange exchange, int status, JsonNode node) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(node);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("code", code);
        node.put("message", message);
        try {
            json(exchange, status, node);
        } catch (IOException alreadyAnswering) {
            // headers were sent before the failure (a cut-off read): the connection just closes
        }
    }

    private static Map<String, String> query(String raw) {
        var params = new HashMap<String, String>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            } else if (!pair.isEmpty()) {
                params.put(decode(pair), "");
            }
        }
        return params;
    }

    private static String require(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw new ApiError(400, "MissingParameter", name + " is required");
        }
        return value;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String sha256Base64(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** An error answered as OCI answers one: a status and a JSON {@code {code, message}}. */
    private static final class ApiError extends RuntimeException {
        final int status;
        final String code;
        final int retryAfterSeconds;

        ApiError(int status, String code, String message) {
            this(status, code, message, 0);
        }

        ApiError(int status, String code, String message, int retryAfterSeconds) {
            super(message);
            this.status = status;
            this.code = Objects.requireNonNull(code);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}
