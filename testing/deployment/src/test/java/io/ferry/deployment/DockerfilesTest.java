package io.ferry.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No container engine runs here, so the images are not built; what can break them is checked
 * instead: every path a Dockerfile copies is produced by the build (the services are packaged
 * before this module), the port it exposes is the one the service listens on, and it runs as a
 * non-root user.
 */
class DockerfilesTest {
    private static final Pattern COPY = Pattern.compile("^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$");

    @Test
    void shouldCopyOnlyWhatTheBuildProducesAndExposeTheServicePortAsANonRootUser() throws IOException {
        for (ServiceConfig service : ServiceConfig.ALL) {
            Path module = ServiceConfig.HOME.resolve(service.module());
            List<String> lines = Files.readAllLines(module.resolve("src/main/docker/Dockerfile.jvm"));
            List<String> copied = new ArrayList<>();
            String user = null;
            List<String> exposed = new ArrayList<>();
            for (String line : lines) {
                Matcher copy = COPY.matcher(line.strip());
                if (copy.matches()) {
                    copied.add(copy.group(1));
                    assertThat(matches(module, copy.group(1))).as("%s copies %s: the build must produce it", service.module(),
                            copy.group(1)).isNotEmpty();
                } else if (line.startsWith("USER ")) {
                    user = line.substring(5).strip();
                } else if (line.startsWith("EXPOSE ")) {
                    exposed.add(line.substring(7).strip());
                }
            }
            assertThat(copied).as(service.module()).contains("target/quarkus-app/lib/", "target/quarkus-app/*.jar",
                    "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
            assertThat(matches(module, "target/quarkus-app/*.jar")).as(service.module())
                    .extracting(p -> p.getFileName().toString()).contains("quarkus-run.jar");
            assertThat(exposed).as(service.module()).containsExactly(Integer.toString(service.httpPort()));
            assertThat(user).as("the last USER of %s", service.module()).isNotNull().isNotIn("root", "0");
            assertThat(lines).as(service.module()).anyMatch(l -> l.startsWith("ENTRYPOINT"));
        }
    }

    /** The files or directories a COPY source names, relative to the module (the build context); globs in the last segment. */
    private static List<Path> matches(Path module, String source) throws IOException {
        Path path = module.resolve(source.endsWith("/") ? source.substring(0, source.length() - 1) : source);
        String last = path.getFileName().toString();
        if (!last.contains("*")) {
            return Files.exists(path) && (!source.endsWith("/") || Files.isDirectory(path)) ? List.of(path) : List.of();
        }
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(path.getParent())) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(path.getParent(), last)) {
                dir.forEach(found::add);
            }
        }
        return found;
    }
}
