package io.ferry.storage.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a byte range of a file and, before it reports the end, checks the file is still at the
 * version the read was pinned to. A reader that saw the end without an exception read bytes of
 * one version only.
 */
final class PinnedRangeStream extends InputStream {
    /** Throws SourceChangedException when the file moved on. */
    interface VersionCheck {
        void verify() throws IOException;
    }

    private final FileChannel channel;
    private final VersionCheck check;
    private long position;
    private long remaining;
    private boolean checked;

    PinnedRangeStream(FileChannel channel, long offset, long length, VersionCheck check) {
        this.channel = channel;
        this.position = offset;
        this.remaining = length;
        this.check = check;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return end();
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)), position);
        if (n < 0) {
            // The file got shorter than the pinned version: it changed.
            check.verify();
            throw new IOException("file ended early at " + position);
        }
        position += n;
        remaining -= n;
        if (remaining == 0) {
            verifyOnce();
        }
        return n;
    }

    private int end() throws IOException {
        verifyOnce();
        return -1;
    }

    /** Checked when the last byte is handed out, so callers that stop at the length are covered too. */
    private void verifyOnce() throws IOException {
        if (!checked) {
            checked = true;
            check.verify();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
