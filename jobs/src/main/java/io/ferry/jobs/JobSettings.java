package io.ferry.jobs;

import io.ferry.schemas.events.CopyOptions;
import io.ferry.schemas.job.Bandwidths;
import io.ferry.schemas.job.Durations;
import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobMode;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.schemas.job.ReplicationJobSpec;
import io.ferry.schemas.job.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The typed reading of everything in a job that changes Ferry's behaviour, with defaults in one
 * place. Built by {@link #of}, which reports every bad field at once.
 *
 * @param multipartThreshold objects at least this large are copied in chunks; smaller ones are
 *     batched and written whole
 * @param chunkSize planned part size before the 10,000-part raise
 * @param maxRetries how often a source that changed mid-copy is re-planned before the object fails
 * @param bandwidthLimit bytes per second per transfer instance, 0 for none
 * @param auditInterval how often a continuous job's destination is audited against what was
 *     verified ({@code ferry.io/audit-interval}), zero for never
 * @param auditRehashPercent the share of Verified objects an audit reads back and re-hashes
 *     ({@code ferry.io/audit-rehash-percent}); the others are checked for existence and size
 * @param schedule a scheduled job's cron expression ({@link Schedules}), null for the other modes
 * @param propagateDeletes {@code spec.deletePolicy: propagate}: an object gone at the source is
 *     deleted at the destination; with {@code keep} (the default) it is kept there and reported gone
 * @param maxDelete the most deletes one scan may make ({@code ome.io/max-delete})
 */
public record JobSettings(
        JobMode mode,
        Duration scanInterval,
        long multipartThreshold,
        long chunkSize,
        int maxRetries,
        boolean verifyAfterCopy,
        boolean preserveTimestamps,
        long bandwidthLimit,
        boolean suspended,
        List<String> include,
        List<String> exclude,
        Duration auditInterval,
        double auditRehashPercent,
        String schedule,
        boolean propagateDeletes,
        DeleteLimit maxDelete) {

    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(60);
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;
    public static final long DEFAULT_CHUNK_SIZE = 64L << 20;
    public static final long MIN_CHUNK_SIZE = 64L << 10;
    public static final int DEFAULT_MAX_RETRIES = 3;

    public static final String ANNOTATION_CHUNK_SIZE = "ome.io/chunk-size";
    public static final String ANNOTATION_MAX_RETRIES = "ome.io/max-retries";
    public static final String ANNOTATION_CHECKSUM_VERIFICATION = "ome.io/checksum-verification";
    public static final String ANNOTATION_BANDWIDTH_LIMIT = "ome.io/bandwidth-limit";
    public static final String ANNOTATION_REPLICATION_MODE = "ome.io/replication-mode";
    public static final String ANNOTATION_AUDIT_INTERVAL = "ferry.io/audit-interval";
    public static final String ANNOTATION_AUDIT_REHASH_PERCENT = "ferry.io/audit-rehash-percent";
    public static final String ANNOTATION_MAX_DELETE = "ome.io/max-delete";
    public static final Duration DEFAULT_AUDIT_INTERVAL = Duration.ofHours(24);
    public static final double DEFAULT_AUDIT_REHASH_PERCENT = 1;

    /** The {@code ome.io/} and {@code ferry.io/} annotations Ferry acts on; any other is reported as not honoured. */
    public static final Set<String> ANNOTATIONS = Set.of(ANNOTATION_CHUNK_SIZE, ANNOTATION_MAX_RETRIES,
            ANNOTATION_CHECKSUM_VERIFICATION, ANNOTATION_BANDWIDTH_LIMIT, ANNOTATION_REPLICATION_MODE,
            ANNOTATION_AUDIT_INTERVAL, ANNOTATION_AUDIT_REHASH_PERCENT, ANNOTATION_MAX_DELETE);

    /**
     * Endpoint parameters that are the job's rather than a store's: read from the destination side
     * first, then the source side. Each store honours its own besides (ObjectStoreProvider#parameters).
     */
    public static final Set<String> PARAMETERS = Set.of("multipart_threshold", "multipart_chunksize",
            "verify_after_copy", "preserve_timestamps", "checksum_algorithm", "sync_mode");

    /** Reads and checks the settings of a structurally valid job ({@link JobDocuments#parse}); throws {@link InvalidJobException} naming each bad field. */
    public static JobSettings of(ReplicationJob job) {
        var errors = new ArrayList<FieldError>();
        ReplicationJobSpec spec = job.spec();
        Map<String, String> annotations = job.metadata().annotations();

        JobMode mode = JobMode.ONCE;
        if (spec.mode() != null) {
            switch (spec.mode().toLowerCase(Locale.ROOT)) {
                case "once" -> mode = JobMode.ONCE;
                case "continuous" -> mode = JobMode.CONTINUOUS;
                case "scheduled" -> mode = JobMode.SCHEDULED;
                default -> errors.add(new FieldError("spec.mode", "must be once, continuous or scheduled, not '" + spec.mode() + "'"));
            }
        }
        if (mode == JobMode.SCHEDULED) {
            if (spec.schedule() == null) {
                errors.add(new FieldError("spec.schedule", "is required with spec.mode: scheduled (e.g. \"0 2 * * *\": 02:00 UTC daily)"));
            } else {
                try {
                    Schedules.check(spec.schedule());
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("spec.schedule", e.getMessage()));
                }
            }
        } else if (spec.schedule() != null) {
            // never silently ignored: a schedule on a job that would not follow it is a mistake
            errors.add(new FieldError("spec.schedule", "is read only with spec.mode: scheduled"));
        }
        Duration interval = read(errors, "spec.scanInterval", spec.scanInterval(), Durations::parse, DEFAULT_SCAN_INTERVAL);
        if (interval.isNegative() || interval.isZero()) {
            errors.add(new FieldError("spec.scanInterval", "must be positive"));
        }
        boolean propagate = false;
        if (spec.deletePolicy() != null) {
            switch (spec.deletePolicy().toLowerCase(Locale.ROOT)) {
                case "keep" -> propagate = false;
                case "propagate" -> propagate = true;
                default -> errors.add(new FieldError("spec.deletePolicy",
                        "must be keep or propagate, not '" + spec.deletePolicy() + "'"));
            }
        }
        DeleteLimit maxDelete = read(errors, "metadata.annotations." + ANNOTATION_MAX_DELETE,
                annotations.get(ANNOTATION_MAX_DELETE), DeleteLimit::parse, DeleteLimit.DEFAULT);

        long threshold = sideParameter(errors, spec, "multipart_threshold", Sizes::parse, DEFAULT_MULTIPART_THRESHOLD);
        long chunkDefault = read(errors, "metadata.annotations." + ANNOTATION_CHUNK_SIZE,
                annotations.get(ANNOTATION_CHUNK_SIZE), Sizes::parse, DEFAULT_CHUNK_SIZE);
        long chunk = sideParameter(errors, spec, "multipart_chunksize", Sizes::parse, chunkDefault);
        if (chunk < MIN_CHUNK_SIZE) {
            errors.add(new FieldError("multipart_chunksize", "must be at least " + MIN_CHUNK_SIZE + " bytes"));
        }
        int retries = read(errors, "metadata.annotations." + ANNOTATION_MAX_RETRIES,
                annotations.get(ANNOTATION_MAX_RETRIES), Integer::valueOf, DEFAULT_MAX_RETRIES);
        boolean verify = sideParameter(errors, spec, "verify_after_copy", JobSettings::bool, true);
        boolean preserve = sideParameter(errors, spec, "preserve_timestamps", JobSettings::bool, false);
        long bandwidth = read(errors, "metadata.annotations." + ANNOTATION_BANDWIDTH_LIMIT,
                annotations.get(ANNOTATION_BANDWIDTH_LIMIT), Bandwidths::parse, 0L);
        // Ferry only ever copies what changed since the last verified copy: incremental is all it does.
        sideParameter(errors, spec, "sync_mode", JobSettings::incremental, true);
        read(errors, "metadata.annotations." + ANNOTATION_REPLICATION_MODE, annotations.get(ANNOTATION_REPLICATION_MODE),
                JobSettings::incremental, true);
        read(errors, "metadata.annotations." + ANNOTATION_CHECKSUM_VERIFICATION,
                annotations.get(ANNOTATION_CHECKSUM_VERIFICATION), JobSettings::checksumsOn, true);
        String algorithm = sideParameter(errors, spec, "checksum_algorithm", s -> s, "sha256");
        if (!algorithm.equalsIgnoreCase("sha256")) {
            errors.add(new FieldError("checksum_algorithm", "only sha256 is supported, not '" + algorithm + "'"));
        }
        Duration auditInterval = read(errors, "metadata.annotations." + ANNOTATION_AUDIT_INTERVAL,
                annotations.get(ANNOTATION_AUDIT_INTERVAL), JobSettings::interval, DEFAULT_AUDIT_INTERVAL);
        double rehash = read(errors, "metadata.annotations." + ANNOTATION_AUDIT_REHASH_PERCENT,
                annotations.get(ANNOTATION_AUDIT_REHASH_PERCENT), JobSettings::percent, DEFAULT_AUDIT_REHASH_PERCENT);
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        return new JobSettings(mode, interval, threshold, chunk, retries, verify, preserve, bandwidth,
                Boolean.TRUE.equals(spec.suspend()), spec.include(), spec.exclude(), auditInterval, rehash,
                mode == JobMode.SCHEDULED ? spec.schedule().strip() : null, propagate, maxDelete);
    }

    /** The copy options every task of the job carries. */
    public CopyOptions copyOptions() {
        return new CopyOptions(verifyAfterCopy, preserveTimestamps, bandwidthLimit);
    }

    /** A positive duration, or {@code off} (or 0) for never. */
    private static Duration interval(String s) {
        if (s.equalsIgnoreCase("off") || s.trim().equals("0")) {
            return Duration.ZERO;
        }
        Duration d = Durations.parse(s);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be a positive duration or 'off', not '" + s + "'");
        }
        return d;
    }

    /** 0 to 100, with or without a trailing %. */
    private static double percent(String s) {
        String t = s.trim();
        t = t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t;
        double p;
        try {
            p = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a percentage (examples: 1, 0.5%, 100)");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("must be between 0 and 100, not '" + s + "'");
        }
        return p;
    }

    private static boolean incremental(String s) {
        if (!s.equalsIgnoreCase("incremental")) {
            throw new IllegalArgumentException("only incremental is supported (Ferry copies what changed since the last"
                    + " verified copy), not '" + s + "'");
        }
        return true;
    }

    private static boolean checksumsOn(String s) {
        if (!bool(s)) {
            throw new IllegalArgumentException("Ferry never reports an object synced without a checksum; to let a"
                    + " server's checksum stand in for reading the copy back, set verify_after_copy: false");
        }
        return true;
    }

    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "enabled", "1" -> true;
            case "false", "no", "disabled", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not a boolean");
        };
    }

    /** A parameter read from the destination side first, then the source side (the OME examples set both). */
    private static <T> T sideParameter(List<FieldError> errors, ReplicationJobSpec spec, String name,
            Function<String, T> parser, T fallback) {
        for (var side : List.of(Map.entry("destination", spec.destination()), Map.entry("source", spec.source()))) {
            String value = side.getValue() == null ? null : side.getValue().parameter(name);
            if (value != null) {
                return read(errors, "spec." + side.getKey() + ".parameters." + name, value, parser, fallback);
            }
        }
        return fallback;
    }

    private static <T> T read(List<FieldError> errors, String field, String value, Function<String, T> parser,
            T fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return fallback;
        }
    }
}
