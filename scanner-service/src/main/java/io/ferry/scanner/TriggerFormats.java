package io.ferry.scanner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.storage.StorageUri;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a record of {@code ferry.triggers.v1} in any of the formats it takes: Ferry's own re-plan
 * requests, the S3 event notification format (AWS S3, MinIO, Ceph RGW), OCI Object Storage events
 * as OCI Events delivers them (CloudEvents 1.0), and the plain producer format ({@code {job}},
 * {@code {job, key}}, {@code {job, prefix}}, {@code {storageUri, key}}). A record that is none of
 * them, or breaks one, is an {@link IllegalArgumentException} naming the field: the caller parks it.
 */
final class TriggerFormats {
    /** S3 allows keys up to 1,024 bytes; anything longer is not an object of any store. */
    static final int MAX_KEY_BYTES = 1024;
    /** One S3 notification carries one record in practice; more than this is not a notification. */
    static final int MAX_RECORDS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSerde<ObjectTrigger> OWN = JsonSerde.of(ObjectTrigger.class);
    private static final String OCI_EVENT = "com.oraclecloud.objectstorage.";

    /** What a trigger asks for. */
    sealed interface Request permits Replan, WholeJob, JobKey, JobPrefix, Located {
    }

    /** Ferry's own re-plan of one object (a source that changed mid-copy, an audit's repair). */
    record Replan(ObjectTrigger trigger) implements Request {
    }

    /** Re-sync the whole job now. */
    record WholeJob(String job) implements Request {
    }

    /** One object of a job, by its key relative to the job's source. */
    record JobKey(String job, String key) implements Request {
    }

    /** Every object of a job under a prefix of its source. */
    record JobPrefix(String job, String prefix) implements Request {
    }

    /**
     * An object known by where it is ({@code s3://bucket/key}, {@code oci://namespace/bucket/name},
     * {@code file:///dir/name}), for every job whose source covers it.
     *
     * @param removed the store says it was deleted
     */
    record Located(String location, boolean removed) implements Request {
    }

    private TriggerFormats() {
    }

    static List<Request> parse(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("a trigger needs a value (a tombstone is no trigger)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("a trigger is JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a trigger is a JSON object");
        }
        if (root.has("Records")) {
            return s3(root.get("Records"));
        }
        if (root.has("specversion") || root.has("cloudEventsVersion")) {
            return List.of(oci(root));
        }
        if (root.has("generation") || root.has("attempt")) {
            return List.of(own(value));
        }
        if (root.has("job")) {
            String job = text(root, "job");
            boolean hasKey = root.has("key");
            boolean hasPrefix = root.has("prefix");
            if (hasKey && hasPrefix) {
                throw new IllegalArgumentException("a trigger names a key or a prefix, not both");
            }
            if (hasKey) {
                return List.of(new JobKey(job, key(root, "key")));
            }
            if (hasPrefix) {
                return List.of(new JobPrefix(job, key(root, "prefix")));
            }
            return List.of(new WholeJob(job));
        }
        if (root.has("storageUri")) {
            StorageUri uri;
            try {
                uri = StorageUri.parse(text(root, "storageUri"));
            } catch (IllegalArgumentException e) {
                // not echoed: a URI may carry user info
                throw new IllegalArgumentException("storageUri is not a URI");
            }
            if (uri.authority().contains("@")) {
                throw new IllegalArgumentException("storageUri has user info: credentials never travel in a trigger (not echoed)");
            }
            return List.of(new Located(root(uri) + key(root, "key"), false));
        }
        throw new IllegalArgumentException("not a trigger: expected an S3 event (Records), an OCI event (CloudEvents"
                + " specversion), {job}, {job, key}, {job, prefix} or {storageUri, key}");
    }

    private static Request own(byte[] value) {
        try {
            ObjectTrigger trigger = OWN.deserialize("", value);
            if (trigger == null || trigger.job() == null || trigger.objectKey() == null) {
                throw new IllegalArgumentException("trigger needs job and objectKey");
            }
            return new Replan(trigger);
        } catch (org.apache.kafka.common.errors.SerializationException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * AWS writes keys form-encoded ('+' for a space) and MinIO percent-encodes them: both decode the
     * same way. Ceph RGW (eventSource {@code ceph:s3}) writes them as they are: decoding would turn
     * a '+' of the name into a space.
     */
    private static List<Request> s3(JsonNode records) {
        if (!records.isArray() || records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("Records is an array of 1 to " + MAX_RECORDS + " S3 event records");
        }
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            String field = "Records[" + i + "]";
            String event = text(r, "eventName", field);
            String name = event.startsWith("s3:") ? event.substring(3) : event;
            boolean removed;
            if (name.startsWith("ObjectCreated:")) {
                removed = false;
            } else if (name.startsWith("ObjectRemoved:")) {
                removed = true;
            } else {
                throw new IllegalArgumentException(field + ".eventName " + quote(event) + " is not an ObjectCreated or ObjectRemoved event");
            }
            String bucket = name(r.path("s3").path("bucket"), "name", field + ".s3.bucket");
            String encoded = text(r.path("s3").path("object"), "key", field + ".s3.object");
            String key;
            if ("ceph:s3".equals(r.path("eventSource").asText())) {
                key = encoded;
            } else {
                try {
                    key = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(field + ".s3.object.key is not URL-encoded");
                }
            }
            checkKey(key, field + ".s3.object.key");
            out.add(new Located("s3://" + bucket + "/" + key, removed));
        }
        return out;
    }

    private static Request oci(JsonNode root) {
        String type = text(root, "eventType", "type", "");
        if (!type.startsWith(OCI_EVENT)) {
            throw new IllegalArgumentException("eventType " + quote(type) + " is not an OCI Object Storage event");
        }
        String action = type.substring(OCI_EVENT.length()).toLowerCase(Locale.ROOT);
        boolean removed = switch (action) {
            case "createobject", "updateobject" -> false;
            case "deleteobject" -> true;
            default -> throw new IllegalArgumentException("eventType " + quote(type) + " is not an object created, updated or deleted");
        };
        JsonNode data = root.path("data");
        JsonNode details = data.path("additionalDetails");
        String namespace = name(details, "namespace", "data.additionalDetails");
        String bucket = name(details, "bucketName", "data.additionalDetails");
        String name = text(data, "resourceName", "data");
        checkKey(name, "data.resourceName");
        return new Located("oci://" + namespace + "/" + bucket + "/" + name, removed);
    }

    /** OCI Events writes CloudEvents 1.0 with {@code eventType}; plain CloudEvents say {@code type}. */
    private static String text(JsonNode node, String name, String alternative, String where) {
        return node.has(name) ? text(node, name, where) : text(node, alternative, where);
    }

    /** Where a store's objects start, as a location: {@code scheme://authority/path/}. */
    static String root(StorageUri uri) {
        return uri.scheme() + "://" + uri.authority() + (uri.path().isEmpty() ? "/" : uri.path());
    }

    /** Why a location reached no job, as the dead letter and the HTTP answer say it. */
    static String uncovered(Located located) {
        return "no continuous job's source covers " + located.location();
    }

    /** Why a job named in a trigger does not take it. */
    static String notContinuous(String job) {
        return "job '" + job + "' is not continuous: triggers re-sync continuous jobs";
    }

    /** Why a suspended job takes no run and no trigger; nothing is lost, its first scan on resuming lists it all. */
    static String suspended(String job) {
        return "job '" + job + "' is suspended (spec.suspend: true): nothing is copied until it is resumed, and its first"
                + " scan then picks up every change";
    }

    /** The job a plain trigger names, or null for a located one or Ferry's own. */
    static String namedJob(Request request) {
        if (request instanceof WholeJob w) {
            return w.job();
        } else if (request instanceof JobKey k) {
            return k.job();
        } else if (request instanceof JobPrefix p) {
            return p.job();
        }
        return null;
    }

    /** A bucket or namespace: one path segment. */
    private static String name(JsonNode node, String name, String where) {
        String value = text(node, name, where);
        if (value.contains("/")) {
            throw new IllegalArgumentException(where + "." + name + " is not a bucket or namespace name");
        }
        return value;
    }

    private static String key(JsonNode node, String name) {
        String key = text(node, name);
        checkKey(key, name);
        return key;
    }

    private static void checkKey(String key, String field) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_KEY_BYTES + " bytes");
        }
        if (key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " holds a NUL character");
        }
    }

    private static String text(JsonNode node, String name) {
        return text(node, name, "");
    }

    private static String text(JsonNode node, String name, String where) {
        String field = where.isEmpty() ? name : where + "." + name;
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + shown + "'";
    }

    private static String firstLine(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? "unreadable" : m.lines().findFirst().orElse("unreadable");
    }
}
