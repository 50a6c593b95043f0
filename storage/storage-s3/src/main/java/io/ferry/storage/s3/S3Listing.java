package io.ferry.storage.s3;

import io.ferry.storage.ObjectInfo;
import io.ferry.storage.StorageException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjectsV2, page by page as the stream is consumed. The first page is fetched before
 * {@link #list} returns, so a missing bucket or bad credentials fail the call itself; a later page
 * that fails ends the stream with an {@link UncheckedIOException} around the {@link StorageException}.
 * Folder markers (keys ending in '/') are not objects and are skipped.
 */
final class S3Listing {
    private final S3Options options;
    private final S3Clients clients;

    S3Listing(S3Options options, S3Clients clients) {
        this.options = options;
        this.clients = clients;
    }

    Stream<ObjectInfo> list(String prefix) throws StorageException {
        String full = options.objectKey(prefix);
        Iterator<ListObjectsV2Response> pages;
        ListObjectsV2Response first;
        try {
            pages = clients.control.listObjectsV2Paginator(b -> b.bucket(options.bucket()).prefix(full)).iterator();
            first = pages.next();
        } catch (SdkException e) {
            throw S3Errors.translate(e, options, "list", null, null);
        }
        Iterator<ListObjectsV2Response> checked = new Iterator<>() {
            ListObjectsV2Response pending = first;

            @Override
            public boolean hasNext() {
                if (pending != null) {
                    return true;
                }
                try {
                    return pages.hasNext();
                } catch (SdkException e) {
                    throw new UncheckedIOException(S3Errors.translate(e, options, "list", null, null));
                }
            }

            @Override
            public ListObjectsV2Response next() {
                if (pending != null) {
                    var page = pending;
                    pending = null;
                    return page;
                }
                try {
                    return pages.next();
                } catch (SdkException e) {
                    throw new UncheckedIOException(S3Errors.translate(e, options, "list", null, null));
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(checked, Spliterator.ORDERED), false)
                .flatMap(page -> page.contents().stream())
                .filter(o -> !o.key().endsWith("/"))
                .map(this::info);
    }

    private ObjectInfo info(S3Object o) {
        return new ObjectInfo(o.key().substring(options.prefix().length()), o.size(), S3Metadata.version(o.eTag()),
                o.lastModified());
    }
}
