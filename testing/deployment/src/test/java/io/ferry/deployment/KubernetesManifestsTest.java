package io.ferry.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.ferry.schemas.ConsumerGroups;
import io.ferry.schemas.TopicSettings;
import io.ferry.schemas.Topics;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * k8s/ against the code: every tree (the base and each overlay) is rendered by {@code kubectl
 * kustomize}, parsed into fabric8's typed objects, and checked against what the services read,
 * create and name: topics, ports, probe paths, environment variables and properties, consumer
 * groups, ACLs, images, the alert rules and the dashboard.
 */
class KubernetesManifestsTest {
    static final Map<String, ServiceConfig> WORKLOADS = Map.of("ferry-scanner", ServiceConfig.SCANNER,
            "ferry-transfer", ServiceConfig.TRANSFER, "ferry-verifier", ServiceConfig.VERIFIER);

    static List<Path> trees() throws Exception {
        return Manifests.trees();
    }

    @ParameterizedTest
    @MethodSource("trees")
    void shouldDeclareTheTopicsTheServicesCreateWithTheSameSettings(Path tree) throws Exception {
        Manifests m = Manifests.render(tree);
        TopicSettings settings = topicSettings(m);
        Map<String, GenericKubernetesResource> topics = m.custom("KafkaTopic").stream()
                .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t));
        assertThat(topics.keySet()).as(m.tree()).containsExactlyInAnyOrderElementsOf(
                Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        for (Topics.TopicSpec spec : Topics.ALL) {
            Map<String, Object> topic = Manifests.spec(topics.get(spec.name()));
            assertThat(topic.get("partitions")).as("%s partitions of %s", m.tree(), spec.name()).isEqualTo(settings.partitionsOf(spec));
            assertThat(topic.get("replicas")).as("%s replicas of %s", m.tree(), spec.name())
                    .isEqualTo((int) settings.replicationFactor());
            assertThat(strings(topic.get("config"))).as("%s config of %s", m.tree(), spec.name()).isEqualTo(settings.configsOf(spec));
            assertThat(topics.get(spec.name()).getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "ferry");
        }
    }

    @ParameterizedTest
    @MethodSource("trees")
    void shouldRunEachServiceWithItsImagePortProbesAndOnlySettingsItReads(Path tree) throws Exception {
        Manifests m = Manifests.render(tree);
        Properties shared = sharedConfig(m);
        Set<String> serviceAccounts = m.all(ServiceAccount.class).stream().map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
        for (var entry : WORKLOADS.entrySet()) {
            String name = entry.getKey();
            ServiceConfig service = entry.getValue();
            PodTemplateSpec pod = name.equals("ferry-verifier") ? m.one(StatefulSet.class, name).getSpec().getTemplate()
                    : m.one(Deployment.class, name).getSpec().getTemplate();
            String where = m.tree() + " " + name;
            assertThat(pod.getMetadata().getLabels()).as(where).containsEntry("app.kubernetes.io/part-of", "ferry");
            assertThat(pod.getSpec().getServiceAccountName()).as(where).isEqualTo(name).isIn(serviceAccounts);
            assertThat(pod.getSpec().getAutomountServiceAccountToken()).as(where).isFalse();
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
            assertThat(pod.getSpec().getContainers()).as(where).hasSize(1);
            Container c = pod.getSpec().getContainers().get(0);
            assertThat(c.getImage()).as(where).isEqualTo(service.image());
            assertThat(c.getPorts()).as(where).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(service.httpPort());
            });
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(where).isEqualTo("/q/health/ready");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(where).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).as(where).isEqualTo("http");
            assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).as(where).isEqualTo("http");
            assertThat(c.getResources().getRequests()).as(where).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(where).containsKey("memory");
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();

            Map<String, String> env = new HashMap<>();
            for (EnvVar v : c.getEnv()) {
                env.put(v.getName(), v.getValue());
            }
            String allValues = String.join(" ", env.values().stream().filter(v -> v != null).toList());
            for (EnvVar v : c.getEnv()) {
                if (v.getName().equals("POD_NAME")) {
                    assertThat(v.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
                    assertThat(allValues).as("%s uses POD_NAME", where).contains("$(POD_NAME)");
                } else {
                    assertThat(service.readsVariable(v.getName())).as("%s: does %s read %s?", where, service.module(), v.getName()).isTrue();
                }
            }
            for (String option : Optional.ofNullable(env.get("JAVA_OPTS_APPEND")).orElse("").split("\\s+")) {
                if (option.startsWith("-D") && !option.startsWith("-Djava.")) {
                    String property = option.substring(2, option.indexOf('='));
                    assertThat(service.reads(property)).as("%s: does %s read -D%s?", where, service.module(), property).isTrue();
                }
            }
            for (var from : c.getEnvFrom()) {
                ConfigMap map = m.one(ConfigMap.class, from.getConfigMapRef().getName());
                for (String key : map.getData().keySet()) {
                    assertThat(service.readsVariable(key)).as("%s: does %s read %s (from %s)?", where, service.module(), key,
                            map.getMetadata().getName()).isTrue();
                }
            }
            String jaas = c.getEnv().stream().filter(v -> v.getName().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst()
                    .map(v -> v.getValueFrom().getSecretKeyRef().getName() + "/" + v.getValueFrom().getSecretKeyRef().getKey()).orElse(null);
            assertThat(jaas).as("%s: its Kafka credentials are its KafkaUser's", where).isEqualTo(name + "/sasl.jaas.config");
            assertThat(m.custom("KafkaUser")).extracting(u -> u.getMetadata().getName()).contains(name);

            Map<String, Volume> volumes = pod.getSpec().getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
            Map<String, String> mounts = c.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
            assertThat(volumes.get(mounts.get("/deployments/config")).getConfigMap().getName()).as(where)
                    .isEqualTo(m.one(ConfigMap.class, "ferry-config").getMetadata().getName());
            for (String key : shared.stringPropertyNames()) {
                assertThat(service.reads(key)).as("%s: does %s read %s (ferry-config)?", where, service.module(), key).isTrue();
            }
            String locations = env.get(ServiceConfig.environmentName("quarkus.config.locations"));
            if (locations != null) {
                Path file = Path.of(locations);
                Volume policy = volumes.get(mounts.get(file.getParent().toString()));
                assertThat(policy).as("%s mounts %s", where, locations).isNotNull();
                ConfigMap map = m.one(ConfigMap.class, "ferry-policy");
                assertThat(policy.getConfigMap().getName()).isEqualTo(map.getMetadata().getName());
                Properties rules = new Properties();
                rules.load(new StringReader(map.getData().get(file.getFileName().toString())));
                assertThat(rules.stringPropertyNames()).as(where).isNotEmpty().allSatisfy(key ->
                        assertThat(service.reads(key)).as("%s: does %s read %s (ferry-policy)?", where, service.module(), key).isTrue());
                Map<String, String> policyRules = new HashMap<>();
                rules.stringPropertyNames().forEach(k -> policyRules.put(k.substring("ferry.policy.".length()), rules.getProperty(k)));
                io.ferry.jobs.JobPolicy.of(policyRules, Map.of()); // every key a rule the services know

            }
            assertThat(locations != null).as("%s applies a job policy", where).isEqualTo(service != ServiceConfig.VERIFIER);
            Path publicKey = Path.of(service.defaults().getProperty("mp.jwt.verify.publickey.location",
                    authDefault("mp.jwt.verify.publickey.location")));
            Volume auth = volumes.get(mounts.get(publicKey.getParent().toString()));
            assertThat(auth).as("%s mounts the token-verifying key at %s", where, publicKey.getParent()).isNotNull();
            assertThat(auth.getSecret().getItems()).extracting(i -> i.getPath()).contains(publicKey.getFileName().toString());
            String truststore = shared.getProperty("kafka.ssl.truststore.location");
            assertThat(mounts).as(where).containsKey(Path.of(truststore).getParent().toString());
            if (service != ServiceConfig.TRANSFER) {
                assertThat(mounts).as("%s keeps its state on the data volume", where).containsEntry(service.referencedDefault("ferry.data-dir"), "data");
            }
            Service svc = m.one(Service.class, name);
            assertThat(svc.getSpec().getSelector()).isEqualTo(Map.of("app.kubernetes.io/name", name));
            assertThat(svc.getSpec().getPorts()).as(where).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getPort()).isEqualTo(service.httpPort());
            });
        }
        StatefulSet verifier = m.one(StatefulSet.class, "ferry-verifier");
        assertThat(verifier.getSpec().getVolumeClaimTemplates()).extracting(p -> p.getMetadata().getName()).containsExactly("data");
        String verifierOptions = verifier.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(v -> v.getName().equals("JAVA_OPTS_APPEND")).findFirst().orElseThrow().getValue();
        assertThat(verifierOptions).as("the Streams member is named after its pod").contains("-Dkafka-streams.group.instance.id=$(POD_NAME)");
        assertThat(m.one(Deployment.class, "ferry-scanner").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(v -> {
                    assertThat(v.getName()).isEqualTo(ServiceConfig.environmentName("ferry.scanner.instance-id"));
                    assertThat(v.getValue()).isEqualTo("$(POD_NAME)");
                });
    }

    @ParameterizedTest
    @MethodSource("trees")
    void shouldScaleTheWorkersOnTheLagOfTheirGroupOnTheTaskTopicUpToItsPartitions(Path tree) throws Exception {
        Manifests m = Manifests.render(tree);
        assertThat(m.custom("ScaledObject")).as(m.tree()).singleElement().satisfies(scaled -> {
            Map<String, Object> spec = Manifests.spec(scaled);
            assertThat(strings(spec.get("scaleTargetRef"))).containsEntry("name", "ferry-transfer");
            m.one(Deployment.class, "ferry-transfer");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec.get("triggers");
            assertThat(triggers).singleElement().satisfies(trigger -> {
                assertThat(trigger.get("type")).isEqualTo("kafka");
                Map<String, String> metadata = strings(trigger.get("metadata"));
                assertThat(metadata).containsEntry("consumerGroup", ConsumerGroups.TRANSFER)
                        .containsEntry("topic", Topics.CHUNK_TASKS)
                        .containsEntry("bootstrapServers", sharedConfig(m).getProperty("kafka.bootstrap.servers"));
                String auth = strings(trigger.get("authenticationRef")).get("name");
                assertThat(m.custom("TriggerAuthentication")).extracting(a -> a.getMetadata().getName()).contains(auth);
            });
            int partitions = topicSettings(m).partitionsOf(Topics.ALL.stream().filter(t -> t.name().equals(Topics.CHUNK_TASKS))
                    .findFirst().orElseThrow());
            assertThat((Integer) spec.get("maxReplicaCount")).as("%s: no more workers than task partitions", m.tree())
                    .isBetween(1, partitions);
            assertThat((Integer) spec.get("minReplicaCount")).isBetween(1, (Integer) spec.get("maxReplicaCount"));
        });
    }

    @ParameterizedTest
    @MethodSource("trees")
    void shouldGrantEachKafkaPrincipalWhatItsServiceUsesAndNoMore(Path tree) throws Exception {
        Manifests m = Manifests.render(tree);
        Map<String, Set<String>> acls = new TreeMap<>();
        for (GenericKubernetesResource user : m.custom("KafkaUser")) {
            Map<String, Object> spec = Manifests.spec(user);
            assertThat(strings(spec.get("authentication"))).containsEntry("type", "scram-sha-512");
            Set<String> granted = new TreeSet<>();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("authorization")).get("acls");
            for (Map<String, Object> rule : rules) {
                Map<String, String> resource = strings(rule.get("resource"));
                for (Object op : (List<?>) rule.get("operations")) {
                    granted.add(resource.get("type") + ":" + resource.get("name") + ":" + resource.get("patternType") + ":" + op);
                }
            }
            acls.put(user.getMetadata().getName(), granted);
        }
        assertThat(acls.keySet()).containsExactlyInAnyOrder("ferry-scanner", "ferry-transfer", "ferry-verifier", "ferry-keda");
        String scannerApp = ServiceConfig.SCANNER.defaults().getProperty("quarkus.kafka-streams.application-id");
        String verifierApp = ServiceConfig.VERIFIER.defaults().getProperty("quarkus.kafka-streams.application-id");

        assertThat(who(acls, "topic", Topics.CHUNK_RESULTS, "Write")).as("only workers may make objects look copied")
                .containsExactly("ferry-transfer");
        assertThat(who(acls, "topic", Topics.CHUNK_TASKS, "Write")).as("only the scanner and verifier may make workers copy")
                .containsExactlyInAnyOrder("ferry-scanner", "ferry-verifier");
        assertThat(who(acls, "group", ConsumerGroups.TRANSFER, "Read")).containsExactly("ferry-transfer");
        assertThat(who(acls, "group", ConsumerGroups.SCANNER_JOBS, "Read")).containsExactly("ferry-scanner");
        assertThat(who(acls, "group", ConsumerGroups.SCANNER_TRIGGERS, "Read")).containsExactly("ferry-scanner");
        assertThat(who(acls, "group", scannerApp, "Read")).contains("ferry-scanner");
        assertThat(who(acls, "group", verifierApp, "Read")).containsExactly("ferry-verifier");
        assertThat(acls.get("ferry-verifier")).contains("topic:" + verifierApp + "-:prefix:All", "transactionalId:" + verifierApp + "-:prefix:Write");
        assertThat(acls.get("ferry-scanner")).contains("topic:" + scannerApp + "-:prefix:All", "transactionalId:ferry-scanner-:prefix:Write");
        assertThat(acls.get("ferry-transfer")).contains("transactionalId:ferry-transfer-:prefix:Write");
        Map<String, List<String>> reads = Map.of(
                "ferry-scanner", List.of(Topics.JOBS, Topics.TRIGGERS, Topics.OBJECT_STATUS, Topics.JOB_STATUS),
                "ferry-transfer", List.of(Topics.CHUNK_TASKS, Topics.JOBS),
                "ferry-verifier", List.of(Topics.OBJECT_CHANGES, Topics.CHUNK_RESULTS, Topics.SCANS, Topics.JOBS, Topics.DEAD_LETTERS));
        reads.forEach((user, topics) -> {
            for (Topics.TopicSpec t : Topics.ALL) {
                boolean read = acls.get(user).contains("topic:" + t.name() + ":literal:Read");
                assertThat(read).as("%s %s reads %s", m.tree(), user, t.name()).isEqualTo(topics.contains(t.name()));
                // every service creates the topics it finds missing
                for (String op : List.of("Create", "Describe", "DescribeConfigs")) {
                    assertThat(acls.get(user).contains("topic:" + t.name() + ":literal:" + op)
                            || acls.get(user).contains("topic:ferry.:prefix:" + op)).as("%s %s %s %s", m.tree(), user, op, t.name()).isTrue();
                }
                assertThat(acls.get(user).contains("topic:" + t.name() + ":literal:Write")).as("%s %s writes %s", m.tree(), user, t.name())
                        .isEqualTo(writes(user).contains(t.name()));
            }
        });
        assertThat(acls.get("ferry-keda")).containsExactlyInAnyOrder("topic:" + Topics.CHUNK_TASKS + ":literal:Describe",
                "group:" + ConsumerGroups.TRANSFER + ":literal:Describe");
    }

    /** What README's Security table says each service writes. */
    static List<String> writes(String user) {
        return switch (user) {
            case "ferry-scanner" -> List.of(Topics.JOBS, Topics.OBJECT_CHANGES, Topics.CHUNK_TASKS, Topics.SCANS, Topics.DEAD_LETTERS);
            case "ferry-transfer" -> List.of(Topics.CHUNK_RESULTS, Topics.DEAD_LETTERS);
            case "ferry-verifier" -> List.of(Topics.OBJECT_STATUS, Topics.JOB_STATUS, Topics.JOB_EVENTS, Topics.CHUNK_TASKS, Topics.TRIGGERS,
                    Topics.DEAD_LETTERS);
            default -> List.of();
        };
    }

    @ParameterizedTest
    @MethodSource("trees")
    void shouldScrapeEveryServiceOnceAndShipTheRulesAndTheDashboardAsTheyAre(Path tree) throws Exception {
        Manifests m = Manifests.render(tree);
        assertThat(m.custom("ServiceMonitor")).singleElement().satisfies(monitor -> {
            Map<String, Object> spec = Manifests.spec(monitor);
            @SuppressWarnings("unchecked")
            Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
            assertThat(endpoint.get("path")).isEqualTo("/q/metrics");
            assertThat(endpoint.get("port")).isEqualTo("http");
            assertThat(endpoint).containsKey("authorization");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> expressions = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("selector")).get("matchExpressions");
            Set<Object> selected = new HashSet<>((List<?>) expressions.get(0).get("values"));
            List<String> scraped = m.all(Service.class).stream()
                    .filter(s -> selected.contains(s.getMetadata().getLabels().get("app.kubernetes.io/name")))
                    .map(s -> s.getMetadata().getName()).toList();
            assertThat(scraped).as("%s: each service once, named as the dashboard's job label expects", m.tree())
                    .containsExactlyInAnyOrderElementsOf(WORKLOADS.keySet());
        });
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Object rules = yaml.readValue(ServiceConfig.HOME.resolve("monitoring/prometheus/ferry-alerts.yml").toFile(), Map.class).get("groups");
        assertThat(m.custom("PrometheusRule")).singleElement()
                .satisfies(rule -> assertThat(Manifests.spec(rule).get("groups")).as("PrometheusRule = ferry-alerts.yml").isEqualTo(rules));
        ConfigMap dashboard = m.one(ConfigMap.class, "ferry-grafana-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("ferry-dashboard.json"))
                .isEqualTo(Files.readString(ServiceConfig.HOME.resolve("monitoring/grafana/ferry-dashboard.json")));
    }

    @ParameterizedTest
    @MethodSource("trees")
    void shouldGiveNoKubernetesRightsHoldNoSecretValueAndDenyTrafficByDefault(Path tree) throws Exception {
        Manifests m = Manifests.render(tree);
        assertThat(m.objects()).extracting(o -> o.getKind()).doesNotContain("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");
        assertThat(m.all(ServiceAccount.class)).hasSize(3).allSatisfy(a -> assertThat(a.getAutomountServiceAccountToken()).isFalse());
        assertThat(m.all(Secret.class)).as("%s: no secret values, only how KEDA connects", m.tree()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).isEqualTo("ferry-keda-kafka-settings");
            assertThat(s.getData().keySet()).containsExactlyInAnyOrder("sasl", "tls", "username");
        });
        NetworkPolicy deny = m.one(NetworkPolicy.class, "ferry-default-deny");
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/part-of", "ferry"));
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        NetworkPolicy kafka = m.one(NetworkPolicy.class, "ferry-to-kafka");
        int kafkaPort = Integer.parseInt(sharedConfig(m).getProperty("kafka.bootstrap.servers").replaceAll(".*:", ""));
        assertThat(kafka.getSpec().getEgress()).anySatisfy(rule -> assertThat(rule.getPorts())
                .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(kafkaPort)));
    }

    static TopicSettings topicSettings(Manifests m) {
        Map<String, String> data = m.one(ConfigMap.class, "ferry-topics").getData();
        return TopicSettings.of(Optional.of(Integer.parseInt(data.get("FERRY_TOPICS_PARTITIONS"))),
                Optional.of(Short.parseShort(data.get("FERRY_TOPICS_REPLICATION_FACTOR"))),
                Optional.of(Integer.parseInt(data.get("FERRY_TOPICS_MIN_INSYNC_REPLICAS"))), Optional.empty(), Optional.empty());
    }

    static Properties sharedConfig(Manifests m) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(m.one(ConfigMap.class, "ferry-config").getData().get("application.properties")));
        return p;
    }

    private static String authDefault(String property) throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(ServiceConfig.HOME.resolve("auth/src/main/resources/META-INF/microprofile-config.properties"))) {
            p.load(r);
        }
        return p.getProperty(property);
    }

    private static Set<String> who(Map<String, Set<String>> acls, String type, String name, String op) {
        return acls.entrySet().stream().filter(e -> e.getValue().contains(type + ":" + name + ":literal:" + op)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object map) {
        Map<String, String> out = new TreeMap<>();
        ((Map<String, Object>) map).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
