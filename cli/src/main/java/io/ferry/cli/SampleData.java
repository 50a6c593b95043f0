package io.ferry.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Generates a model-like tree: many small files in nested directories plus a few large shards. */
public final class SampleData {
    private SampleData() {
    }

    /**
     * Writes {@code smallFiles} files of 1–64 KiB under {@code dir} in nested directories and
     * {@code largeFiles} files of {@code largeSize} bytes; the same seed gives the same bytes.
     */
    public static void generate(Path dir, int smallFiles, int largeFiles, long largeSize, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buf = new byte[1 << 20];
        for (int i = 0; i < smallFiles; i++) {
            Path p = dir.resolve("tokenizer/part-" + (i % 10) + "/shard-" + (i / 100) + "/file-" + i + ".json");
            Files.createDirectories(p.getParent());
            int size = 1024 + random.nextInt(63 * 1024);
            random.nextBytes(buf);
            Files.write(p, java.util.Arrays.copyOf(buf, size));
        }
        for (int i = 0; i < largeFiles; i++) {
            Path p = dir.resolve("weights/model-" + String.format("%05d", i + 1) + "-of-" + String.format("%05d", largeFiles) + ".safetensors");
            Files.createDirectories(p.getParent());
            try (OutputStream out = Files.newOutputStream(p)) {
                long left = largeSize;
                while (left > 0) {
                    random.nextBytes(buf);
                    int n = (int) Math.min(buf.length, left);
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }

    /** Writes {@code files} files of exactly {@code size} bytes in nested directories, 1,000 to a directory. */
    public static void generateFixed(Path dir, int files, int size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buf = new byte[size];
        for (int i = 0; i < files; i++) {
            Path p = dir.resolve("dataset/shard-" + (i / 1000) + "/sample-" + i + ".bin");
            Files.createDirectories(p.getParent());
            random.nextBytes(buf);
            Files.write(p, buf);
        }
    }
}
