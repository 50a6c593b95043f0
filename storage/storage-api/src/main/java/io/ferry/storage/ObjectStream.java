package io.ferry.storage;

import java.io.FilterInputStream;
import java.io.InputStream;

/** The bytes of an object being read, with the attributes the store returned alongside them. */
public class ObjectStream extends FilterInputStream {
    private final ObjectAttributes attributes;

    public ObjectStream(InputStream in, ObjectAttributes attributes) {
        super(in);
        this.attributes = attributes;
    }

    /** Content type and user metadata as read with the bytes; {@link ObjectAttributes#NONE} if the store has none. */
    public ObjectAttributes attributes() {
        return attributes;
    }

}
