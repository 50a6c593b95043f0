package io.ferry.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetiredStoresTest {
    @TempDir
    Path state;

    @Test
    void shouldDeleteOnlyRetiredStoresInsideTheApplicationsTaskDirectories() throws Exception {
        Path task = state.resolve("ferry-verifier/1_0/rocksdb");
        Files.createDirectories(task.resolve("object-status"));
        Files.writeString(task.resolve("object-status/000042.sst"), "old statuses");
        Files.createDirectories(task.resolve("job-status"));
        Files.writeString(task.resolve("job-status/000007.sst"), "kept");
        Path otherApp = Files.createDirectories(state.resolve("other-app/1_0/rocksdb/object-status"));
        // a link named like a retired store is left alone, and so is what it points to
        Path outside = Files.createDirectories(state.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "x");
        Path linkTask = Files.createDirectories(state.resolve("ferry-verifier/2_0/rocksdb"));
        Files.createSymbolicLink(linkTask.resolve("object-status"), outside);

        assertThat(RetiredStores.delete(state, "ferry-verifier")).containsExactly(task.resolve("object-status"));

        assertThat(task.resolve("object-status")).doesNotExist();
        assertThat(task.resolve("job-status/000007.sst")).hasContent("kept");
        assertThat(otherApp).exists();
        assertThat(outside.resolve("precious")).hasContent("x");
    }

    @Test
    void shouldDoNothingWithoutState() throws Exception {
        assertThat(RetiredStores.delete(state.resolve("none"), "ferry-verifier")).isEmpty();
    }
}
