package io.ferry.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A benchmark's report, printed and saved under {@code bench/results/} named after the commit it measured. */
final class Results {
    private Results() {
    }

    /**
     * Prints what {@code report} writes to {@code out} and saves it as
     * {@code bench/results/<name>-<commit>.txt}, {@code -2}, {@code -3}, ... rather than overwrite
     * an earlier run's file.
     *
     * @param commit {@link #commit} when the run started: what it measured is what was built then
     */
    static Path printAndSave(Path home, String name, String commit, PrintStream out, Consumer<PrintStream> report)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream buffer = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            report.accept(buffer);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        out.print(text);
        Path dir = home.resolve("bench/results");
        Files.createDirectories(dir);
        String base = name + "-" + commit;
        Path saved = dir.resolve(base + ".txt");
        for (int n = 2; Files.exists(saved); n++) {
            saved = dir.resolve(base + "-" + n + ".txt");
        }
        Files.writeString(saved, text);
        out.println("saved in " + saved);
        return saved;
    }

    /**
     * The short id of HEAD, with {@code -dirty} when tracked files have changes (a run then measures
     * no commit exactly); {@code unknown} outside git.
     */
    static String commit(Path home) {
        String head = git(home, "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) {
            return "unknown";
        }
        return git(home, "status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "-dirty";
    }

    private static String git(Path home, String... args) {
        try {
            var command = new java.util.ArrayList<String>(java.util.List.of("git", "-C", home.toString()));
            command.addAll(java.util.List.of(args));
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String answer = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? answer : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
