package io.ferry.scanner;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ferry.schemas.Json;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What a scan compares of the verifier's status of an object: its state, version, destination,
 * generation and last update, read from the stored JSON without binding the rest. A re-scan reads
 * one per listed object, and binding whole statuses (their tree hash, an {@code Instant} parse
 * each) was half of a no-op scan's time.
 *
 * @param updatedAt null when the state is final: only an object still on its way is asked when it moved
 */
record KnownObject(ObjectState state, String version, String destination, long generation, Instant updatedAt) {

    static KnownObject of(ObjectStatus status) {
        return new KnownObject(status.state(), status.version(), status.destination(), status.generation(),
                status.state().isFinal() ? null : status.updatedAt());
    }

    /**
     * Reads a stored {@link ObjectStatus}; null for no value and for a value that is no status (not
     * JSON, no {@code job}, {@code objectKey} or {@code state}, a field of the wrong type): such a
     * value reads as absent, and the object is copied again, as when the whole status is read.
     */
    static KnownObject read(byte[] value) {
        if (value == null) {
            return null;
        }
        try (JsonParser p = Json.MAPPER.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String job = null;
            String objectKey = null;
            String state = null;
            String version = null;
            String destination = null;
            String updatedAt = null;
            long generation = 0;
            JsonToken field;
            while ((field = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "job" -> job = text(p, token);
                    case "objectKey" -> objectKey = text(p, token);
                    case "state" -> state = text(p, token);
                    case "version" -> version = text(p, token);
                    case "destination" -> destination = text(p, token);
                    case "updatedAt" -> updatedAt = text(p, token);
                    case "generation" -> {
                        if (token != JsonToken.VALUE_NUMBER_INT) {
                            return null;
                        }
                        generation = p.getLongValue();
                    }
                    default -> p.skipChildren();
                }
            }
            if (field != JsonToken.END_OBJECT || job == null || objectKey == null || state == null) {
                return null;
            }
            ObjectState s = ObjectState.valueOf(state);
            return new KnownObject(s, version, destination, generation,
                    s.isFinal() || updatedAt == null ? null : Instant.parse(updatedAt));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw new JsonParseException(p, "expected text, not " + token);
        };
    }
}
