package dev.kerbex.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kerbex.bootstrap.BootstrapFile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * deploy/kubernetes read as an operator's tools would, offline: the example overlay rendered (and compared with
 * {@code kubectl kustomize} where kubectl is installed), every object read strictly into the Kubernetes API types
 * fabric8 generates from the Kubernetes OpenAPI (an unknown or misplaced field fails), the Pod Security
 * "restricted" rules checked on the pod, and the references between the objects followed.
 */
class DeployManifestsTest {
    private static final Path BASE = Path.of("deploy/kubernetes/base");
    private static final Path OVERLAY = Path.of("deploy/kubernetes/overlays/example");
    private static final Path SECRETS = Path.of("deploy/kubernetes/secrets");
    /** Kubernetes types by apiVersion/kind; a kind not here fails the test. */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class, "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class, "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    /** fabric8's types keep unknown fields in a map; without that map an unknown field is an error. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                }

                @Override
                public boolean hasAnySetterAnnotation(com.fasterxml.jackson.databind.introspect.AnnotatedMethod m) {
                    return false;
                }
            });
    private static List<ObjectNode> rendered;
    private static List<HasMetadata> objects;
    private static List<Secret> secretTemplates;

    @BeforeAll
    static void render() throws IOException {
        rendered = Kustomize.render(OVERLAY);
        objects = new ArrayList<>();
        for (ObjectNode o : rendered) {
            objects.add(typed(o));
        }
        secretTemplates = new ArrayList<>();
        try (var files = Files.list(SECRETS)) {
            for (Path f : files.sorted().toList()) {
                for (ObjectNode o : Kustomize.readAll(f)) {
                    secretTemplates.add((Secret) typed(o));
                }
            }
        }
    }

    static HasMetadata typed(ObjectNode o) throws IOException {
        Class<? extends HasMetadata> type = TYPES.get(o.path("apiVersion").asText() + "/" + o.path("kind").asText());
        assertThat(type).as("a known Kubernetes kind: " + o.path("apiVersion") + " " + o.path("kind")).isNotNull();
        return STRICT.treeToValue(o, type);
    }

    private static <T> T only(Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    @Test
    void theOverlayRendersEveryKindOnceInItsNamespace() {
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "ConfigMap/kerbex-config", "ConfigMap/kerbex-tenants", "ConfigMap/kerbex-krb5", "Deployment/kerbex",
                "Service/kerbex", "PodDisruptionBudget/kerbex", "HorizontalPodAutoscaler/kerbex", "NetworkPolicy/kerbex");
        assertThat(objects).allSatisfy(o -> {
            assertThat(o.getMetadata().getNamespace()).isEqualTo("kerbex");
            assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "kerbex");
        });
        Deployment d = only(Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/platform/kerbex:0.1.0");
        assertThat(only(HorizontalPodAutoscaler.class).getSpec().getMinReplicas()).isEqualTo(3);
        Map<String, String> config = configMap("kerbex-config").getData();
        assertThat(config).containsEntry("KERBEX_PUBLIC_URL", "https://kerbex.corp.example")
                .containsEntry("KERBEX_KERBEROS_KEYTABS", "/etc/kerbex/keytab/http.keytab");
    }

    @Test
    void renderMatchesKubectlKustomizeWhereKubectlIsInstalled() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(kubectl), "kubectl is not installed");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", OVERLAY.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Path tmp = Files.createTempFile("kustomize", ".yaml");
        try {
            Files.write(tmp, out);
            Set<JsonNode> theirs = new HashSet<>(Kustomize.readAll(tmp));
            assertThat(new HashSet<JsonNode>(rendered)).isEqualTo(theirs);
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void anUnknownFieldIsRefused() {
        ObjectNode d = rendered.stream().filter(o -> o.path("kind").asText().equals("Deployment")).findFirst()
                .orElseThrow();
        ObjectNode typo = d.deepCopy();
        ((ObjectNode) typo.at("/spec/template/spec/containers/0/securityContext")).put("readOnlyRootFileSystem", true);
        assertThatThrownBy(() -> typed(typo)).hasMessageContaining("Unrecognized field \"readOnlyRootFileSystem\"");
        // fsGroup belongs to the pod's securityContext, not to the pod spec itself
        ObjectNode misplaced = d.deepCopy();
        ((ObjectNode) misplaced.at("/spec/template/spec")).put("fsGroup", 185);
        assertThatThrownBy(() -> typed(misplaced)).hasMessageContaining("Unrecognized field \"fsGroup\"");
    }

    @Test
    void podPassesPodSecurityRestricted() {
        PodSpec pod = only(Deployment.class).getSpec().getTemplate().getSpec();
        // https://kubernetes.io/docs/concepts/security/pod-security-standards/ (baseline and restricted)
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getConfigMap() != null || v.getSecret() != null
                || v.getEmptyDir() != null || v.getProjected() != null || v.getDownwardAPI() != null
                || v.getPersistentVolumeClaim() != null || v.getCsi() != null || v.getEphemeral() != null)
                .as("volume type of " + v.getName()).isTrue());
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(185L);
        List<Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        assertThat(all).allSatisfy(c -> {
            var sc = c.getSecurityContext();
            assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
            assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).contains("ALL");
            assertThat(sc.getCapabilities().getAdd() == null ? List.of() : sc.getCapabilities().getAdd())
                    .isSubsetOf("NET_BIND_SERVICE");
            assertThat(sc.getRunAsUser() == null || sc.getRunAsUser() != 0).as("runAsUser not 0").isTrue();
            assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
            assertThat(c.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/tmp");
                assertThat(volume(pod, m.getName()).getEmptyDir()).isNotNull();
            });
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");
        });
    }

    @Test
    void uid185CanReadTheKeytab() {
        PodSpec pod = only(Deployment.class).getSpec().getTemplate().getSpec();
        Volume keytab = volume(pod, "keytab");
        int mode = keytab.getSecret().getDefaultMode();
        // The kubelet writes Secret files as root with group fsGroup: the group bits must allow reading.
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(185L);
        assertThat(mode & 0040).as("group read bit of defaultMode %o", mode).isNotZero();
        assertThat(mode & 0007).as("no access for others, mode %o", mode).isZero();
        Container c = pod.getContainers().get(0);
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("keytab");
            assertThat(configMap("kerbex-config").getData().get("KERBEX_KERBEROS_KEYTABS")).startsWith(m.getMountPath() + "/");
        });
    }

    @Test
    void probesUseTheManagementPort() {
        Container c = only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("management");
            assertThat(p.getContainerPort()).isEqualTo(
                    Integer.valueOf(configMap("kerbex-config").getData().get("QUARKUS_MANAGEMENT_PORT")));
        });
        assertThat(List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()))
                .extracting(Probe::getHttpGet).extracting(h -> h.getPath() + " " + h.getPort().getStrVal())
                .containsExactly("/q/health/started management", "/q/health/ready management",
                        "/q/health/live management");
        assertThat(only(Service.class).getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
                .containsExactly("http");
    }

    @Test
    void selectorsAndReferencesMeetTheirObjects() throws IOException {
        Deployment d = only(Deployment.class);
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(only(Service.class).getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(only(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(only(NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels());
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getTopologySpreadConstraints()).extracting(t -> t.getTopologyKey())
                .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(pod.getTopologySpreadConstraints()).allSatisfy(
                t -> assertThat(podLabels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels()));
        var target = only(HorizontalPodAutoscaler.class).getSpec().getScaleTargetRef();
        assertThat(target.getKind() + "/" + target.getName()).isEqualTo("Deployment/kerbex");
        assertThat(only(NetworkPolicy.class).getSpec().getIngress()).flatExtracting(r -> r.getPorts())
                .extracting(p -> p.getPort().getIntVal()).containsExactlyInAnyOrder(8080, 9000);

        Set<String> configMaps = objects.stream().filter(ConfigMap.class::isInstance).map(o -> o.getMetadata().getName())
                .collect(Collectors.toSet());
        Map<String, Secret> secrets = secretTemplates.stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        Container c = pod.getContainers().get(0);
        c.getEnvFrom().forEach(e -> {
            if (e.getConfigMapRef() != null) {
                assertThat(configMaps).contains(e.getConfigMapRef().getName());
            } else {
                assertThat(secrets).containsKey(e.getSecretRef().getName());
            }
        });
        c.getEnv().forEach(e -> {
            var ref = e.getValueFrom().getSecretKeyRef();
            assertThat(secrets).containsKey(ref.getName());
            assertThat(keys(secrets.get(ref.getName()))).as(ref.getName()).contains(ref.getKey());
        });
        pod.getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .forEach(v -> assertThat(configMaps).contains(v.getConfigMap().getName()));
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> {
            assertThat(secrets).containsKey(v.getSecret().getSecretName());
            assertThat(keys(secrets.get(v.getSecret().getSecretName()))).contains("http.keytab");
        });
        // The tenants file is valid for Kerbex itself (client secrets from the kerbex-clients Secret).
        Path tenants = Files.createTempFile("tenants", ".json");
        try {
            Files.writeString(tenants, configMap("kerbex-tenants").getData().get("tenants.json"));
            Set<String> clientSecrets = keys(secrets.get("kerbex-clients"));
            assertThat(BootstrapFile.read(tenants, new ObjectMapper().findAndRegisterModules(),
                    name -> clientSecrets.contains(name) ? "a-long-enough-client-secret" : null, t -> Set.of()))
                    .hasSize(1);
        } finally {
            Files.delete(tenants);
        }
    }

    @Test
    void secretTemplatesHoldNoValues() {
        assertThat(secretTemplates).extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder(
                "kerbex-keytab", "kerbex-key-encryption-keys", "kerbex-database", "kerbex-clients");
        assertThat(secretTemplates).allSatisfy(s -> {
            if (s.getData() != null) {
                assertThat(s.getData().values()).allSatisfy(v -> assertThat(v).isEmpty());
            }
            if (s.getStringData() != null) {
                assertThat(s.getStringData().values()).allSatisfy(v -> assertThat(v).isEmpty());
            }
        });
    }

    private static Set<String> keys(Secret s) {
        Set<String> keys = new HashSet<>();
        if (s.getData() != null) {
            keys.addAll(s.getData().keySet());
        }
        if (s.getStringData() != null) {
            keys.addAll(s.getStringData().keySet());
        }
        return keys;
    }

    private static ConfigMap configMap(String name) {
        return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }
}
