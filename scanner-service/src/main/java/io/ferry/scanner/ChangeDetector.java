package io.ferry.scanner;

import io.ferry.schemas.events.ObjectState;
import io.ferry.storage.ObjectInfo;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Decides from a listing entry and the verifier's status whether an object needs copying, and
 * whether a key passes the job's include/exclude filters.
 */
final class ChangeDetector {
    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;
    private final List<Boolean> includeByName;
    private final List<Boolean> excludeByName;

    ChangeDetector(List<String> include, List<String> exclude) {
        this.include = include.stream().map(ChangeDetector::glob).toList();
        this.exclude = exclude.stream().map(ChangeDetector::glob).toList();
        this.includeByName = include.stream().map(g -> !g.contains("/")).toList();
        this.excludeByName = exclude.stream().map(g -> !g.contains("/")).toList();
    }

    /**
     * Whether the object at this version still needs a copy: true when the verifier knows nothing
     * of it, knows another version, knows it for another destination, or saw this version fail.
     * An object of this version that is verified or still on its way to this destination is left
     * alone, so a re-scan copies only what changed; unless it is stuck on its way: in flight and
     * not updated since {@code stuckBefore} (a lost task, a parked result, a re-plan that failed).
     *
     * @param stuckBefore null to trust every object in flight
     */
    static boolean needsCopy(ObjectInfo entry, KnownObject status, String destinationIdentity, Instant stuckBefore) {
        if (status == null || !entry.version().equals(status.version())
                || !destinationIdentity.equals(status.destination())) {
            return true;
        }
        if (!status.state().isFinal()) {
            return stuckBefore != null && status.updatedAt() != null && status.updatedAt().isBefore(stuckBefore);
        }
        return status.state() == ObjectState.FAILED || status.state() == ObjectState.GONE;
    }

    /**
     * Whether the key passes the filters: it matches an include (when there are any) and no
     * exclude. Like rclone, a pattern without '/' matches the file name at any depth; one with
     * '/' matches the whole key. A key that is no path here (a NUL in an object store's key)
     * matches no pattern: it is selected when there are no includes, and refused, naming the key,
     * by whichever store cannot take it, instead of failing the whole scan here.
     */
    boolean selected(String key) {
        if (include.isEmpty() && exclude.isEmpty()) {
            // the common case, asked of every listed key and every status a scan walks: nothing to match
            return true;
        }
        Path whole;
        try {
            whole = Path.of(key);
        } catch (InvalidPathException e) {
            return include.isEmpty();
        }
        Path name = whole.getFileName();
        if (!include.isEmpty() && !matchesAny(include, includeByName, whole, name)) {
            return false;
        }
        return !matchesAny(exclude, excludeByName, whole, name);
    }

    private static boolean matchesAny(List<PathMatcher> matchers, List<Boolean> byName, Path whole, Path name) {
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).matches(byName.get(i) ? name : whole)) {
                return true;
            }
        }
        return false;
    }

    private static PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }
}
