package io.ferry.schemas.job;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as job documents write them: {@code 134217728}, {@code "50MB"}, {@code "64MiB"},
 * {@code "1G"}. Like the AWS CLI's {@code multipart_chunksize}, K/M/G/T suffixes are binary
 * (1 MB = 1,048,576 bytes) with or without the {@code i}.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(I?B?)?");

    private Sizes() {
    }

    /** Parses a size; throws IllegalArgumentException with a readable message. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 8388608, 50MB, 64MiB)");
        }
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return (long) (n * (1L << shift));
    }

    /** Human-readable size with one decimal, in binary units labelled as the OME document does (GB). */
    public static String format(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }
}
