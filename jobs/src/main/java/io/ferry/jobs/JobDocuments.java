package io.ferry.jobs;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.ferry.schemas.Json;
import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.schemas.job.StorageEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads ReplicationJob documents (YAML or JSON; JSON is YAML) and checks the structure every job
 * needs. The settings and the storage sides are {@link JobKernel}'s to read.
 */
public final class JobDocuments {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private JobDocuments() {
    }

    /** Parses one document and checks its structure; throws {@link InvalidJobException} naming each field at fault. */
    public static ReplicationJob parse(byte[] document) {
        JsonNode tree = readTree(document);
        ReplicationJob job;
        try {
            job = Json.MAPPER.treeToValue(tree, ReplicationJob.class);
        } catch (MismatchedInputException e) {
            throw new InvalidJobException(path(e), "wrong type: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidJobException("document", e.getMessage());
        }
        validate(job);
        return job;
    }

    public static ReplicationJob parse(String document) {
        return parse(document.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Splits a file of YAML documents separated by {@code ---} (as {@code kubectl apply -f} takes them)
     * into one JSON document each, skipping empty ones, so each can be submitted on its own.
     *
     * @throws InvalidJobException if the text is not YAML
     */
    public static List<String> split(String text) {
        var documents = new ArrayList<String>();
        try (var values = Json.YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            while (values.hasNextValue()) {
                JsonNode document = values.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(Json.MAPPER.writeValueAsString(document));
                }
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (documents.isEmpty()) {
            throw new InvalidJobException("document", "is empty");
        }
        return documents;
    }

    private static JsonNode readTree(byte[] document) {
        if (document == null || document.length == 0) {
            throw new InvalidJobException("document", "is empty");
        }
        try {
            JsonNode tree = Json.YAML.readTree(document);
            if (tree == null || !tree.isObject()) {
                throw new InvalidJobException("document", "must be a YAML or JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** A parse failure as a field error on the document, with the line and column where there is one. */
    private static InvalidJobException unreadable(IOException e) {
        if (e instanceof JacksonException j) {
            JsonLocation loc = j.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            return new InvalidJobException("document", "malformed YAML/JSON" + where + ": " + j.getOriginalMessage());
        }
        return new InvalidJobException("document", "unreadable: " + e.getMessage());
    }

    private static String path(MismatchedInputException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "document" : p.replace(".[", "[");
    }

    /** Structural checks every job must pass; collects all errors before throwing. */
    static void validate(ReplicationJob job) {
        var errors = new ArrayList<FieldError>();
        if (job.apiVersion() != null && !job.apiVersion().equals(ReplicationJob.API_VERSION)) {
            errors.add(new FieldError("apiVersion", "must be " + ReplicationJob.API_VERSION + ", not '" + job.apiVersion() + "'"));
        }
        if (job.kind() != null && !job.kind().equals(ReplicationJob.KIND)) {
            errors.add(new FieldError("kind", "must be " + ReplicationJob.KIND + ", not '" + job.kind() + "'"));
        }
        if (job.metadata() == null || job.metadata().name() == null || job.metadata().name().isBlank()) {
            errors.add(new FieldError("metadata.name", "is required"));
        } else {
            checkName(errors, "metadata.name", job.metadata().name());
            if (job.metadata().namespace() != null) {
                checkName(errors, "metadata.namespace", job.metadata().namespace());
            }
        }
        if (job.spec() == null) {
            errors.add(new FieldError("spec", "is required"));
        } else {
            checkEndpoint(errors, "spec.source", job.spec().source());
            checkEndpoint(errors, "spec.destination", job.spec().destination());
        }
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
    }

    /** Whether {@code name} is a valid job name or namespace (a Kubernetes name). */
    public static boolean isName(String name) {
        return name != null && DNS_LABEL.matcher(name).matches();
    }

    private static void checkName(List<FieldError> errors, String field, String name) {
        if (!isName(name)) {
            errors.add(new FieldError(field, "'" + name + "' must be lower-case letters, digits, '-' or '.' (a Kubernetes name)"));
        }
    }

    private static void checkEndpoint(List<FieldError> errors, String field, StorageEndpoint endpoint) {
        if (endpoint == null) {
            errors.add(new FieldError(field, "is required"));
            return;
        }
        String uri = endpoint.storageUri();
        if (uri == null || uri.isBlank()) {
            errors.add(new FieldError(field + ".storageUri", "is required"));
            return;
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getRawUserInfo() != null) {
                // the part before '@' is a credential (s3://KEY:SECRET@bucket/): never echoed
                errors.add(new FieldError(field + ".storageUri", "must not carry credentials before '@' (the URI is not"
                        + " echoed); name a secret in parameters instead"));
            } else if (parsed.getPath() != null && List.of(parsed.getPath().split("/")).contains("..")) {
                errors.add(new FieldError(field + ".storageUri", "'" + uri + "' must not contain '..' segments"));
            } else if (parsed.getScheme() == null) {
                errors.add(new FieldError(field + ".storageUri", "'" + uri + "' has no scheme (e.g. file:///data/, s3://bucket/prefix/)"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field + ".storageUri", uri.contains("@")
                    ? "is not a URI (not echoed: it may carry credentials before '@'): " + e.getReason()
                    : "'" + uri + "' is not a URI: " + e.getReason()));
        }
        endpoint.parameters().keySet().stream().filter(InlineCredentials::named).sorted()
                .forEach(name -> errors.add(new FieldError(field + ".parameters." + name, InlineCredentials.ADVICE)));
        // a URL parameter (endpoint) with user info carries a credential as surely as a storageUri does
        endpoint.parameters().entrySet().stream()
                .filter(e -> e.getValue() instanceof String v && InlineCredentials.inUserInfo(v)).map(java.util.Map.Entry::getKey).sorted()
                .forEach(name -> errors.add(new FieldError(field + ".parameters." + name, "must not carry credentials before '@'"
                        + " (the value is not echoed); name a secret in parameters instead")));
        endpoint.extra().keySet().stream().filter(InlineCredentials::named).sorted()
                .forEach(name -> errors.add(new FieldError(field + "." + name, InlineCredentials.ADVICE)));
    }
}
