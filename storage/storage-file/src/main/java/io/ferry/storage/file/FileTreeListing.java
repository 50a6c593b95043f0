package io.ferry.storage.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The regular files under a directory, depth first in directory order as {@link Files#walk}
 * lists them, each with the attributes read once. {@code Files.walk} reads every entry's
 * attributes to tell a directory and hands on only the path, so a listing that needs size and
 * time read them twice: half of a no-op re-scan's listing cost. Symbolic links are not followed.
 * One directory stream per level is open at a time, so memory is bounded by the tree's depth.
 */
final class FileTreeListing implements Iterator<FileTreeListing.Entry> {
    /** A regular file and its attributes. */
    record Entry(Path path, BasicFileAttributes attributes) {
    }

    private final Deque<DirectoryStream<Path>> open = new ArrayDeque<>();
    private final Deque<Iterator<Path>> levels = new ArrayDeque<>();
    private Entry next;

    private FileTreeListing(Path root) throws IOException {
        descend(root);
    }

    /**
     * The files under {@code root}, lazily; closing the stream closes the directories still open.
     * An entry that vanished before its attributes were read is skipped, as is a directory that
     * vanished before it was opened; any other error is an {@link UncheckedIOException}.
     */
    static Stream<Entry> of(Path root) throws IOException {
        FileTreeListing listing = new FileTreeListing(root);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listing, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(listing::close);
    }

    private void descend(Path dir) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
        open.push(stream);
        levels.push(stream.iterator());
    }

    @Override
    public boolean hasNext() {
        while (next == null && !levels.isEmpty()) {
            Iterator<Path> level = levels.peek();
            if (!level.hasNext()) {
                levels.pop();
                closeQuietly(open.pop());
                continue;
            }
            Path p;
            try {
                p = level.next();
            } catch (DirectoryIteratorException e) {
                throw new UncheckedIOException(e.getCause());
            }
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    descend(p);
                } else if (a.isRegularFile()) {
                    next = new Entry(p, a);
                }
            } catch (NoSuchFileException e) {
                // gone between the directory's listing and now: not there to list
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry e = next;
        next = null;
        return e;
    }

    private void close() {
        while (!open.isEmpty()) {
            closeQuietly(open.pop());
        }
        levels.clear();
    }

    private static void closeQuietly(DirectoryStream<Path> stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // a directory stream only releases its handle: nothing was written
        }
    }
}
