package io.ferry.transfer;

import java.io.IOException;

/** An error reading the source, told apart from an error writing the destination while both stream. */
final class SourceReadException extends IOException {
    SourceReadException(IOException cause) {
        super(cause.getMessage(), cause);
    }

    IOException source() {
        return (IOException) getCause();
    }
}
