package dev.drover.server.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import dev.drover.server.testing.TemporaryDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart of {@code deploy/helm/drover}, rendered by Helm itself (helm-java), against the real kube-apiserver:
 * every object it renders is accepted by a server-side dry run (the Prometheus Operator's and cert-manager's CRDs
 * installed from their charts), its environment is a configuration Drover starts with, and its ServiceAccount may do
 * exactly what connected mode does on the management cluster.
 */
class HelmChartIT {

    private static final Path CHART = Path.of("../deploy/helm/drover");
    private static final Path CHARTS = Path.of("../../shared/charts");
    private static final String NAMESPACE = "drover-system";
    /** The testenv's kube-apiserver; helm template assumes an old one otherwise. */
    private static final String KUBE_VERSION = "v1.32.6";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String FEWEST = """
            database: {existingSecret: drover-db}
            tls: {existingSecret: drover-tls}
            git: {remoteUrl: "https://git.example.com/platform/fleet.git"}
            """;
    private static final String EVERYTHING = """
            replicaCount: 3
            image: {repository: registry.example.com/platform/drover, tag: 0.1.0}
            database: {existingSecret: fleet-db-app, userKey: username}
            tls:
              certManager:
                enabled: true
                issuerRef: {name: company-ca, kind: ClusterIssuer}
                dnsNames: [drover.example.com]
            git:
              remoteUrl: https://git.example.com/platform/fleet.git
              existingSecret: drover-git
              serve: true
            oidc: {issuerUrl: "https://login.example.com", clientId: drover, adminGroup: platform, caConfigMap: company-ca}
            networkPolicy:
              apiFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}}]
              gitFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: flux-system}}}]
            serviceMonitor: {enabled: true, tokenSecret: {name: drover-metrics-token}}
            prometheusRule: {enabled: true, labels: {release: monitoring}}
            extraArgs: ["--team-requests-per-second=100"]
            """;

    private static ManagementTestEnv cluster;
    private static Kubectl kubectl;
    private static TemporaryDirectory work;

    @BeforeAll
    static void start() throws IOException {
        cluster = ManagementTestEnv.startWorkloadOrSkip();
        kubectl = cluster.kubectl();
        work = new TemporaryDirectory("drover-chart-");
        Path monitoring = CHARTS.resolve("kube-prometheus-stack-79.5.0/charts/crds/crds");
        Path certManagerCrds = work.path().resolve("cert-manager-crds.yaml");
        Files.writeString(certManagerCrds, documents(new Helm(CHARTS.resolve("cert-manager-v1.19.1")).template()
                .withName("cert-manager").withNamespace("cert-manager").withKubeVersion(KUBE_VERSION).set("crds.enabled", true).call()).stream()
                .filter(object -> object.path("kind").asText().equals("CustomResourceDefinition"))
                .map(HelmChartIT::yaml).reduce("", (all, next) -> all + "---\n" + next));
        kubectl.run("apply", "--server-side", "-f", monitoring.resolve("crd-servicemonitors.yaml").toString(),
                "-f", monitoring.resolve("crd-prometheusrules.yaml").toString(), "-f", certManagerCrds.toString()).succeeded();
        kubectl.run("wait", "--for=condition=Established", "--timeout=60s", "crd/servicemonitors.monitoring.coreos.com",
                "crd/prometheusrules.monitoring.coreos.com", "crd/certificates.cert-manager.io").succeeded();
        kubectl.run("create", "namespace", NAMESPACE).succeeded();
        kubectl.run("create", "namespace", "argocd").succeeded();
    }

    @AfterAll
    static void stop() {
        if (work != null) {
            work.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theFewestValuesRenderADeploymentTheServerAccepts() throws IOException {
        List<JsonNode> objects = render(FEWEST);

        assertThat(objects).extracting(object -> object.path("kind").asText()).containsExactlyInAnyOrder("ServiceAccount",
                "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment", "PodDisruptionBudget",
                "NetworkPolicy");
        JsonNode pod = only(objects, "Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);
        assertThat(only(objects, "Deployment").path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(container.path("image").asText()).isEqualTo("drover:0.1.0");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/livez");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(pod.path("topologySpreadConstraints")).hasSize(2);
        assertThat(only(objects, "Role").path("metadata").path("namespace").asText()).isEqualTo("argocd");

        acceptedByDryRun(objects);
    }

    @Test
    void everyOptionalPartRendersAndIsAccepted() throws IOException {
        List<JsonNode> objects = render(EVERYTHING);

        assertThat(objects).extracting(object -> object.path("kind").asText()).contains("Certificate", "ServiceMonitor",
                "PrometheusRule");
        JsonNode certificate = only(objects, "Certificate");
        assertThat(certificate.path("spec").path("dnsNames")).extracting(JsonNode::asText)
                .contains("drover.drover-system.svc", "drover.example.com");
        JsonNode pod = only(objects, "Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("volumes").findValuesAsText("secretName")).contains(certificate.path("spec").path("secretName").asText());
        assertThat(only(objects, "Service").path("spec").path("ports")).hasSize(2);
        assertThat(only(objects, "PrometheusRule").path("spec").path("groups").path(0).path("rules").size()).isGreaterThan(5);
        assertThat(only(objects, "ServiceMonitor").path("spec").path("endpoints").path(0).path("authorization")
                .path("credentials").path("name").asText()).isEqualTo("drover-metrics-token");

        acceptedByDryRun(objects);
    }

    /** The container's environment, its secrets and $(VAR) references filled in, is a configuration Drover accepts. */
    @Test
    void theContainersEnvironmentIsAConfigurationDroverStartsWith() throws IOException {
        for (String values : List.of(FEWEST, EVERYTHING)) {
            JsonNode container = only(render(values), "Deployment").path("spec").path("template").path("spec")
                    .path("containers").path(0);
            Map<String, String> environment = new HashMap<>();
            Map<String, Path> mounted = Map.of("/etc/drover/admin/token", Files.writeString(work.path().resolve("token"),
                    "drover_" + "a".repeat(43)), "/etc/drover/oidc/ca.crt", Files.write(work.path().resolve("ca.crt"),
                    java.util.Base64.getDecoder().decode(YAML.readTree(cluster.kubeconfig().toFile()).path("clusters").path(0)
                            .path("cluster").path("certificate-authority-data").asText())));
            for (JsonNode variable : container.path("env")) {
                String value = variable.has("value") ? variable.path("value").asText() : "from-" + variable.path("valueFrom")
                        .path("secretKeyRef").path("key").asText();
                String expanded = expand(value, environment);
                environment.put(variable.path("name").asText(), mounted.containsKey(expanded) ? mounted.get(expanded).toString() : expanded);
            }
            Map<String, Option> byVariable = new HashMap<>();
            Arrays.stream(Option.values()).forEach(option -> byVariable.put(option.environmentVariable(), option));
            assertThat(environment.keySet().stream().filter(name -> name.startsWith("DROVER_")))
                    .as("every DROVER_ variable names an option").allSatisfy(name -> assertThat(byVariable).containsKey(name));

            Map<Option, String> flags = new HashMap<>();
            for (JsonNode argument : container.path("args")) {
                Matcher flag = Pattern.compile("--([a-z-]+)=(.*)").matcher(argument.asText());
                if (flag.matches()) {
                    flags.put(Arrays.stream(Option.values()).filter(option -> option.key().equals(flag.group(1))).findFirst()
                            .orElseThrow(() -> new AssertionError("no option --" + flag.group(1))), flag.group(2));
                }
            }
            Configuration configuration = Configuration.resolve(flags, environment, Optional.empty());
            assertThat(configuration.text(Option.DATABASE_URL)).startsWith("jdbc:postgresql://");
            assertThat(configuration.text(Option.MANAGEMENT_KUBECONFIG)).isEqualTo("in-cluster");
            assertThat(container.path("args").path(0).asText()).isEqualTo("server");
        }
        assertThat(only(render(EVERYTHING), "Deployment").toString())
                .contains("jdbc:postgresql://$(PG_HOST):$(PG_PORT)/$(PG_DATABASE)?sslmode=require");
    }

    @Test
    void missingAndMistypedValuesAreRefusedNamingWhatToSet() {
        String remote = "git: {remoteUrl: \"https://git.example.com/platform/fleet.git\"}\n";
        assertThatThrownBy(() -> render(remote + "tls: {existingSecret: drover-tls}\n")).hasMessageContaining("set database.url or "
                + "database.existingSecret");
        assertThatThrownBy(() -> render(remote + "database: {existingSecret: drover-db}\n")).hasMessageContaining("set tls.existingSecret");
        assertThatThrownBy(() -> render("database: {existingSecret: drover-db}\ntls: {existingSecret: drover-tls}\n"))
                .hasMessageContaining("set git.remoteUrl (or replicaCount: 1)");
        assertThatThrownBy(() -> render(FEWEST + "replicas: 3\n")).hasMessageContaining("replicas");
        assertThatThrownBy(() -> render(FEWEST.replace("https://git.example.com/platform/fleet.git", "git@example.com:fleet.git")))
                .hasMessageContaining("remoteUrl");
        assertThatThrownBy(() -> render(FEWEST + "serviceMonitor: {enabled: true}\n"))
                .hasMessageContaining("serviceMonitor.tokenSecret.name");
    }

    /**
     * The chart's ServiceAccount, with a token the API server issues for it, may get, list and watch every kind connected
     * mode observes in every namespace and write Secrets in Argo CD's namespace only; it may change nothing else.
     */
    @Test
    void theServiceAccountMayDoWhatConnectedModeDoesAndNoMore() throws IOException {
        Path rendered = work.path().resolve("rbac.yaml");
        Files.writeString(rendered, render(FEWEST).stream()
                .filter(object -> object.path("kind").asText().matches("ServiceAccount|ClusterRole|ClusterRoleBinding|Role|RoleBinding"))
                .map(HelmChartIT::yaml).reduce("", (all, next) -> all + "---\n" + next));
        kubectl.run("apply", "--server-side", "-f", rendered.toString()).succeeded();
        String token = kubectl.run("create", "token", "drover", "-n", NAMESPACE).succeeded().out().trim();

        List<String> refused = new ArrayList<>();
        for (ManagementCluster.Observed kind : ManagementCluster.Observed.values()) {
            for (String verb : List.of("get", "list", "watch")) {
                if (!allowed(token, verb, kind.resource(), "")) {
                    refused.add(verb + " " + kind.resource());
                }
            }
        }
        for (String verb : List.of("create", "patch", "delete")) {
            if (!allowed(token, verb, "secrets", "argocd")) {
                refused.add(verb + " secrets in argocd");
            }
        }
        // The IPAM provider (docs/integrations.md) and the Integrations' machine deletion hooks.
        Map<String, List<String>> provider = Map.of(
                "ipaddressclaims.ipam.cluster.x-k8s.io", List.of("get", "list", "watch", "patch"),
                "ipaddresses.ipam.cluster.x-k8s.io", List.of("get", "list", "watch", "create", "patch", "delete"),
                "ippools.ipam.drover.dev", List.of("get", "list", "watch", "create", "patch", "delete"),
                "machines.cluster.x-k8s.io", List.of("patch"));
        for (Map.Entry<String, List<String>> resource : provider.entrySet()) {
            for (String verb : resource.getValue()) {
                if (!allowed(token, verb, resource.getKey(), "")) {
                    refused.add(verb + " " + resource.getKey());
                }
            }
        }
        assertThat(refused).as("what connected mode needs and the chart does not grant").isEmpty();
        assertThat(allowed(token, "delete", "machines.cluster.x-k8s.io", "")).isFalse();

        assertThat(allowed(token, "create", "secrets", "default")).isFalse();
        assertThat(allowed(token, "patch", "clusters.cluster.x-k8s.io", "")).isFalse();
        assertThat(allowed(token, "delete", "kustomizations.kustomize.toolkit.fluxcd.io", "")).isFalse();
        assertThat(allowed(token, "get", "configmaps", "")).isFalse();
        assertThat(allowed(token, "create", "pods", NAMESPACE)).isFalse();
    }

    /**
     * Asks the API server by a SelfSubjectAccessReview with the token (kubectl auth can-i maps names by discovery,
     * and the kinds' CRDs are not installed here).
     *
     * @param resource {@code plural.group}, or a core plural
     * @param namespace empty for every namespace
     */
    private static boolean allowed(String token, String verb, String resource, String namespace) throws IOException {
        int dot = resource.indexOf('.');
        String review = """
                {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"resourceAttributes":
                {"verb": "%s", "group": "%s", "resource": "%s", "namespace": "%s"}}}""".formatted(verb,
                dot < 0 ? "" : resource.substring(dot + 1), dot < 0 ? resource : resource.substring(0, dot), namespace);
        Kubectl.Result answer = kubectl.runWithInput(review, "create", "--validate=false", "-f", "-", "-o", "json", "--token=" + token).succeeded();
        return YAML.readTree(answer.out()).path("status").path("allowed").asBoolean();
    }

    private static void acceptedByDryRun(List<JsonNode> objects) throws IOException {
        Path rendered = work.path().resolve("chart.yaml");
        Files.writeString(rendered, objects.stream().map(HelmChartIT::yaml).reduce("", (all, next) -> all + "---\n" + next));
        Kubectl.Result applied = kubectl.run("apply", "--server-side", "--dry-run=server", "--field-manager=helm", "-f",
                rendered.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out().lines().filter(line -> line.contains("(server dry run)")).count()).isEqualTo(objects.size());
    }

    private static List<JsonNode> render(String values) throws IOException {
        Path file = Files.writeString(Files.createTempFile(work.path(), "values-", ".yaml"), values);
        return documents(new Helm(CHART).template().withName("drover").withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION).withValuesFile(file).call());
    }

    private static List<JsonNode> documents(String manifest) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifest)) {
            for (var iterator = YAML.readValues(parser, JsonNode.class); iterator.hasNext(); ) {
                JsonNode object = iterator.next();
                if (object != null && object.has("kind")) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> ofKind = objects.stream().filter(object -> object.path("kind").asText().equals(kind)).toList();
        assertThat(ofKind).as(kind).hasSize(1);
        return ofKind.getFirst();
    }

    /** Expands $(NAME) as the kubelet does, from the variables defined before. */
    private static String expand(String value, Map<String, String> defined) {
        Matcher reference = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(value);
        return reference.replaceAll(match -> Matcher.quoteReplacement(defined.getOrDefault(match.group(1), match.group())));
    }

    private static String yaml(JsonNode object) {
        try {
            return YAML.writeValueAsString(object).replaceFirst("^---\n", "");
        } catch (IOException unwritable) {
            throw new java.io.UncheckedIOException(unwritable);
        }
    }
}
