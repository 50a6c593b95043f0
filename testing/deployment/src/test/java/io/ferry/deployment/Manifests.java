package io.ferry.deployment;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A kustomize tree rendered by {@code kubectl kustomize} and parsed into fabric8's typed objects. */
record Manifests(String tree, List<HasMetadata> objects) {
    static final Path K8S = ServiceConfig.HOME.resolve("k8s");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** k8s/base and every overlay under k8s/overlays. */
    static List<Path> trees() throws IOException {
        List<Path> trees = new ArrayList<>(List.of(K8S.resolve("base")));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.filter(Files::isDirectory).sorted().forEach(trees::add);
        }
        return trees;
    }

    static Manifests render(Path tree) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", tree.toString()).redirectErrorStream(false).start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + tree + " failed: " + err);
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : new String(out, StandardCharsets.UTF_8).split("(?m)^---$")) {
            if (!document.isBlank()) {
                objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
            }
        }
        return new Manifests(K8S.relativize(tree).toString(), objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The object of that name; a generated ConfigMap by its name before kustomize's content hash. */
    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .or(() -> all(type).stream().filter(o -> o.getMetadata().getName().matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"))
                        .findFirst())
                .orElseThrow(() -> new AssertionError(tree + " has no " + type.getSimpleName() + " " + name));
    }

    /** Custom resources (Strimzi, KEDA, Prometheus Operator) of a kind. */
    List<GenericKubernetesResource> custom(String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && o.getKind().equals(kind))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
