package io.ferry.jobs;

import io.ferry.schemas.job.ReplicationJob;
import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.storage.ObjectStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields of a job Ferry accepts but does not act on: OME documents carry settings for other
 * implementations (node selectors, compression, deduplication, retry policies), and a user who wrote
 * one must learn that it does nothing here rather than believe it did. Reported when the job is
 * submitted, as Kubernetes reports unknown fields: a {@code Warning} per field, and in the log.
 */
final class NotHonoured {
    private static final String OME_PREFIX = "ome.io/";
    private static final String FERRY_PREFIX = "ferry.io/";

    private NotHonoured() {
    }

    /**
     * One line per field not acted on, each naming the field, for a job whose sides its stores
     * accepted.
     */
    static List<String> fields(ReplicationJob job, ObjectStores stores, String sourceScheme, String destinationScheme) {
        var ignored = new ArrayList<String>();
        job.metadata().annotations().keySet().stream().sorted()
                .filter(a -> (a.startsWith(OME_PREFIX) || a.startsWith(FERRY_PREFIX)) && !JobSettings.ANNOTATIONS.contains(a))
                .forEach(a -> ignored.add("metadata.annotations." + a + " is not honoured by Ferry"));
        job.spec().extra().keySet().stream().sorted()
                .forEach(f -> ignored.add("spec." + f + " is not honoured by Ferry"));
        side(ignored, "source", job.spec().source(), sourceScheme, stores);
        side(ignored, "destination", job.spec().destination(), destinationScheme, stores);
        return ignored;
    }

    private static void side(List<String> ignored, String side, StorageEndpoint endpoint, String scheme, ObjectStores stores) {
        endpoint.extra().keySet().stream().sorted()
                .forEach(f -> ignored.add("spec." + side + "." + f + " is not honoured by Ferry"));
        Set<String> honoured = stores.parameters(scheme);
        endpoint.parameters().keySet().stream().sorted()
                .filter(name -> !JobSettings.PARAMETERS.contains(name) && !honoured.contains(name))
                .forEach(name -> ignored.add("spec." + side + ".parameters." + name + " is not honoured by Ferry's "
                        + scheme + ":// backend"));
    }
}
