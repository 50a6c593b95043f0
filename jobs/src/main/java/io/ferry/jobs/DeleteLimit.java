package io.ferry.jobs;

import java.util.Locale;

/**
 * How many objects one scan of a job with {@code deletePolicy: propagate} may delete at the
 * destination ({@code ome.io/max-delete}): a count, or a percentage of the job's objects. A scan
 * that finds more gone at the source deletes none of them: a source that looks emptied (an
 * unmounted volume, a wrong prefix, a bucket policy that hides objects) must not empty the copy.
 *
 * @param count the most deletes per scan when {@code percent} is negative
 * @param percent the most deletes per scan as a share of the job's objects, or -1 for a count
 */
public record DeleteLimit(long count, double percent) {
    /** Half the job's objects: a mistake that hides the whole source is caught, pruning is not. */
    public static final DeleteLimit DEFAULT = new DeleteLimit(0, 50);

    /** {@code 100} (objects) or {@code 10%} (of the job's objects); 0 allows no delete. */
    public static DeleteLimit parse(String s) {
        String t = s.trim();
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (!(p >= 0 && p <= 100)) {
                    throw new IllegalArgumentException("must be a count or a percentage between 0% and 100%, not '" + s + "'");
                }
                return new DeleteLimit(0, p);
            }
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new IllegalArgumentException("must not be negative, not '" + s + "'");
            }
            return new DeleteLimit(n, -1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is neither a count nor a percentage (examples: 100, 10%)");
        }
    }

    /** The most deletes one scan may make of a job that holds {@code objects} objects (rounded down). */
    public long allowed(long objects) {
        return percent < 0 ? count : (long) Math.floor(objects * percent / 100);
    }

    @Override
    public String toString() {
        return percent < 0 ? Long.toString(count) : String.format(Locale.ROOT, "%s%%", stripped(percent));
    }

    private static String stripped(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
