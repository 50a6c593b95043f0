package io.ferry.storage;

/** The object (or the upload) does not exist. Not retryable. */
public class ObjectNotFoundException extends StorageException {
    public ObjectNotFoundException(String key) {
        super("no such object: " + key, false);
    }
}
