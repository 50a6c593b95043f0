package io.ferry.storage;

import io.ferry.checksum.Checksum;
import io.ferry.checksum.ChecksumType;
import java.util.Optional;

/**
 * The whole-object tree hash ({@link Checksum#treeHash}) with the chunk size it was taken over,
 * written {@code sha256-tree/<chunk bytes>/<hex>}: the same bytes give the same stamp only at the same
 * chunk size, so the size is part of it.
 */
public record TreeHashStamp(long chunkSize, Checksum treeHash) {
    private static final String PREFIX = "sha256-tree/";

    public static Optional<TreeHashStamp> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = text.substring(PREFIX.length()).split("/");
        if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TreeHashStamp(Long.parseLong(parts[0]), new Checksum(ChecksumType.SHA256, parts[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return PREFIX + chunkSize + "/" + treeHash.value();
    }
}
