package io.ferry.checksum;

/** Checksum algorithms a store may supply or a confirmation may carry. A multipart ETag is none of these. */
public enum ChecksumType {
    SHA256
}
