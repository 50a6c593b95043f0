package io.ferry.scanner;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Iterates a stream that its own thread reads ahead, at most {@code capacity} elements ahead of
 * the iterator: a source's listing (a stat per file, a page of keys per S3 request) runs beside
 * what the scan does per object (a status lookup, a plan) instead of between them. An exception
 * the stream throws is thrown by {@link #hasNext} where the element would have been, as if the
 * stream were iterated directly. {@link #close} stops the reading thread, waits for it and closes
 * the stream on it.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread reader;
    private volatile boolean closed;
    /** The element {@link #hasNext} took and {@link #next} hands out; null when none is taken. */
    private Object taken;

    /** What ended the stream: thrown to the iterating thread. */
    private record Failure(Throwable error) {
    }

    private ReadAhead(Stream<T> stream, int capacity, String threadName) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.reader = new Thread(() -> read(stream), threadName);
        reader.setDaemon(true);
    }

    static <T> ReadAhead<T> of(Stream<T> stream, int capacity, String threadName) {
        ReadAhead<T> ahead = new ReadAhead<>(stream, capacity, threadName);
        ahead.reader.start();
        return ahead;
    }

    private void read(Stream<T> stream) {
        Object last = END;
        try (stream) {
            Iterator<T> it = stream.iterator();
            while (!closed && it.hasNext()) {
                if (!put(it.next())) {
                    return;
                }
            }
        } catch (Throwable e) {
            // handed on, not swallowed: the iterating thread throws it
            last = new Failure(e);
        }
        put(last);
    }

    /** Queues an element, waiting for room; false once closed (nobody will take it). */
    private boolean put(Object element) {
        try {
            while (!closed) {
                if (queue.offer(element, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * @throws UncheckedIOException with an {@link InterruptedIOException} when the iterating
     *     thread is interrupted while it waits for the next element
     */
    @Override
    public boolean hasNext() {
        if (taken == null) {
            try {
                taken = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for the listing"));
            }
        }
        if (taken instanceof Failure f) {
            if (f.error() instanceof RuntimeException r) {
                throw r;
            }
            if (f.error() instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f.error()); // a stream throws nothing checked: unreachable in practice
        }
        return taken != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T element = (T) taken;
        taken = null;
        return element;
    }

    /** Stops the reading thread and waits for it to close the stream. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the stream must be closed before its store is: wait on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
