package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import dev.drover.model.api.ClusterId;
import dev.drover.model.schema.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every chart of every example cluster renders, offline, with the values Drover writes (into an add-on's HelmRelease
 * or Argo CD Application, or a virtual cluster's VCluster) and the cluster's Kubernetes version: the real charts of shared/charts (beside the repository),
 * rendered by Helm itself through helm-java, so a chart's values.schema.json and its required values judge the values.
 */
class ExampleChartsTest {

    /** Charts that cannot render without a Kubernetes API, with why: helm-java's template runs lookup against one. */
    private static final Map<String, String> NEEDS_AN_API = Map.of("aws-load-balancer-controller",
            "its webhook template always calls lookup for its certificate Secret, which helm-java sends to a live API server");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern CLUSTER_FILE = Pattern.compile("^(?:management/[^/]+/)?clusters/([^/]+)/([^/]+)/.+\\.yaml$");

    /** One chart to render: which chart, for whom, with what. */
    private record Release(String where, String chart, String version, String name, String namespace, JsonNode values,
                           String kubeVersion) {
    }

    @Test
    void everyExampleChartRendersWithTheValuesDroverWrites(@TempDir Path work) throws IOException {
        Path charts = chartsOrSkip();
        FleetSnapshot examples = ExampleFleet.snapshot();
        RenderedFleet fleet = FleetRenderer.render(examples);
        List<Release> releases = new ArrayList<>();
        fleet.files().forEach((path, content) -> {
            Matcher file = CLUSTER_FILE.matcher(path);
            if (file.matches()) {
                ClusterId id = new ClusterId(file.group(1), file.group(2));
                releases.addAll(releasesIn(path, content, kubeVersion(examples, id)));
            }
        });
        assertThat(releases).as("the examples' add-on releases").hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        Map<String, String> rendered = new HashMap<>();
        int renders = 0;
        for (Release release : releases) {
            if (NEEDS_AN_API.containsKey(release.chart())) {
                continue;
            }
            Path chart = charts.resolve(release.chart() + "-" + release.version());
            if (!Files.isDirectory(chart)) {
                problems.add(release.where() + ": chart " + release.chart() + " " + release.version() + " is not in shared/charts; "
                        + "pin the example to a vendored version");
                continue;
            }
            String key = release.chart() + release.version() + release.name() + release.namespace() + release.kubeVersion()
                    + Json.write(release.values());
            String outcome = rendered.computeIfAbsent(key, ignored -> render(chart, release, work));
            renders++;
            if (!outcome.isEmpty()) {
                problems.add(release.where() + " (" + release.chart() + " " + release.version() + "): " + outcome);
            }
        }
        NEEDS_AN_API.forEach((chart, why) -> System.out.println("SKIPPED: rendering " + chart + ": " + why));
        assertThat(releases).as("the virtual clusters' chart").anySatisfy(release -> assertThat(release.chart()).isEqualTo("vcluster"));
        System.out.printf("rendered %d chart releases (%d distinct) of %d example clusters%n", renders, rendered.size(),
                examples.clusters().size());
        assertThat(problems).as("charts that refuse Drover's values").isEmpty();
    }

    /** Renders the chart; empty when it rendered objects, else what Helm said. */
    private static String render(Path chart, Release release, Path work) {
        try {
            Path values = Files.createTempFile(work, release.chart(), ".yaml");
            Files.writeString(values, Json.write(release.values()));
            String manifest = new Helm(chart).template().withName(release.name()).withNamespace(release.namespace())
                    .withKubeVersion(release.kubeVersion()).withValuesFile(values).call();
            return manifest.contains("kind:") ? "" : "rendered no objects";
        } catch (IOException | RuntimeException refused) {
            return String.valueOf(refused.getMessage()).lines().limit(6).reduce((first, next) -> first + " " + next).orElse("");
        }
    }

    /** The chart releases of one add-on file: Flux HelmReleases (with their OCIRepository) or Argo CD Applications. */
    private static List<Release> releasesIn(String path, String content, String kubeVersion) {
        List<JsonNode> documents = documents(content);
        Map<String, JsonNode> ociRepositories = new HashMap<>();
        documents.stream().filter(document -> document.path("kind").asText().equals("OCIRepository"))
                .forEach(repository -> ociRepositories.put(repository.path("metadata").path("name").asText(), repository));
        List<Release> releases = new ArrayList<>();
        for (JsonNode document : documents) {
            JsonNode spec = document.path("spec");
            String where = path + " " + document.path("kind").asText() + " " + document.path("metadata").path("name").asText();
            switch (document.path("kind").asText()) {
                case "HelmRelease" -> {
                    JsonNode chart = spec.path("chart").path("spec");
                    Optional<JsonNode> oci = Optional.ofNullable(ociRepositories.get(spec.path("chartRef").path("name").asText()));
                    String name = chart.has("chart") ? chart.path("chart").asText() : oci.map(ExampleChartsTest::lastSegment).orElse("");
                    String version = chart.has("version") ? chart.path("version").asText()
                            : oci.map(repository -> repository.path("spec").path("ref").path("tag").asText()).orElse("");
                    releases.add(new Release(where, name, version, spec.path("releaseName").asText(),
                            spec.path("targetNamespace").asText("default"), spec.path("values"), kubeVersion));
                }
                case "VCluster" -> {
                    JsonNode chart = spec.path("helmRelease").path("chart");
                    try {
                        releases.add(new Release(where, chart.path("name").asText(), chart.path("version").asText(),
                                document.path("metadata").path("name").asText(), document.path("metadata").path("namespace").asText(),
                                YAML.readTree(spec.path("helmRelease").path("values").asText("{}")), kubeVersion));
                    } catch (IOException unreadable) {
                        throw new IllegalStateException(where + ": the VCluster's values are not YAML", unreadable);
                    }
                }
                case "Application" -> {
                    JsonNode source = spec.path("source");
                    if (!source.has("helm")) {
                        continue;
                    }
                    String name = source.has("chart") ? source.path("chart").asText() : lastSegment(source.path("repoURL").asText());
                    releases.add(new Release(where, name, source.path("targetRevision").asText(),
                            source.path("helm").path("releaseName").asText(), spec.path("destination").path("namespace").asText("default"),
                            source.path("helm").path("valuesObject"), kubeVersion));
                }
                default -> {
                }
            }
        }
        return releases;
    }

    private static String lastSegment(JsonNode ociRepository) {
        return lastSegment(ociRepository.path("spec").path("url").asText());
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String kubeVersion(FleetSnapshot examples, ClusterId id) {
        ClusterRequest request = examples.clusters().get(id);
        String version = request.spec().kubernetesVersion()
                .orElseGet(() -> examples.flavors().get(request.spec().flavor()).kubernetesVersions().defaultVersion());
        return "v" + version;
    }

    static List<JsonNode> documents(String content) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(content)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
        return documents;
    }

    /** shared/charts beside the repository, or a skipped test outside CI. */
    static Path chartsOrSkip() {
        Path charts = ExampleFleet.examplesDirectory().getParent().getParent().resolve("shared/charts");
        if (!Files.isRegularFile(charts.resolve("index.tsv"))) {
            String message = "the upstream charts are not beside the repository (shared/charts); rendering the add-ons' charts is skipped";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + ", which CI does not allow");
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
        return charts;
    }
}
