package dev.drover.model.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Named;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.ClusterAdmission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The example organisation of the repository's examples/ folder as a snapshot, clusters admitted as the API would. */
public final class ExampleFleet {

    /** The instant the examples are priced at: the EKS calendar of the example flavor has 1.34 in extended support. */
    public static final java.time.Instant PRICED_AT = java.time.Instant.parse("2026-12-02T12:00:00Z");
    static final FleetSettings SETTINGS = new FleetSettings("https://drover.example.com/git/fleet.git", "main",
            Optional.of("fleet-credentials"), "argocd");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ExampleFleet() {
    }

    public static FleetSnapshot snapshot() {
        SortedMap<String, TeamSpec> teams = new TreeMap<>();
        SortedMap<String, ClusterFlavorSpec> flavors = new TreeMap<>();
        SortedMap<String, AddonProfileSpec> profiles = new TreeMap<>();
        SortedMap<ClusterId, ClusterRequest> clusters = new TreeMap<>();
        SortedMap<String, IPPoolSpec> pools = new TreeMap<>();
        SortedMap<String, AppTemplateRevision> templates = new TreeMap<>();
        SortedMap<String, ApplicationRequest> applications = new TreeMap<>();
        for (JsonNode object : documents("01-teams.yaml", "02-flavors.yaml", "03-addon-profiles.yaml", "03-ip-pools.yaml",
                "04-clusters.yaml", "07-app-templates.yaml", "08-applications.yaml")) {
            String name = object.path("metadata").path("name").asText();
            JsonNode spec = object.path("spec");
            switch (object.path("kind").asText()) {
                case "Team" -> teams.put(name, Json.bind(spec, TeamSpec.class));
                case "ClusterFlavor" -> flavors.put(name, Json.bind(spec, ClusterFlavorSpec.class));
                case "AddonProfile" -> profiles.put(name, Json.bind(spec, AddonProfileSpec.class));
                case "IPPool" -> pools.put(name, Json.bind(spec, IPPoolSpec.class));
                case "AppTemplate" -> templates.put(name, new AppTemplateRevision(1, Json.bind(spec, AppTemplateSpec.class)));
                case "Application" -> {
                    var application = new ApplicationRequest(object.path("metadata").path("namespace").asText(), name, 1,
                            Json.bind(spec, ApplicationSpec.class), Optional.empty());
                    applications.put(application.key(), application);
                }
                case "Cluster" -> {
                    String team = object.path("metadata").path("namespace").asText();
                    ClusterSpec requested = Json.bind(spec, ClusterSpec.class);
                    Map<String, String> labels = new TreeMap<>();
                    object.path("metadata").path("labels").properties().forEach(label -> labels.put(label.getKey(),
                            label.getValue().asText()));
                    ClusterAdmission.Admitted admitted = ClusterAdmission.admit(name, requested, Optional.empty(),
                            new Named<>(team, teams.get(team)),
                            Optional.of(new Named<>(requested.flavor(), flavors.get(requested.flavor()))),
                            new ClusterAdmission.TeamUsage(0, 0), labels, profiles);
                    labels.putAll(admitted.labels());
                    var id = new ClusterId(team, name);
                    clusters.put(id, new ClusterRequest(id, admitted.spec(), labels));
                }
                default -> throw new IllegalStateException("unexpected kind in examples: " + object.path("kind"));
            }
        }
        return new FleetSnapshot(teams, flavors, profiles, clusters, SETTINGS, pools, new FleetApplications(templates, applications));
    }

    /** The example PriceBooks by name. */
    public static SortedMap<String, PriceBookSpec> priceBooks() {
        SortedMap<String, PriceBookSpec> books = new TreeMap<>();
        for (JsonNode object : documents("00-pricebook.yaml")) {
            books.put(object.path("metadata").path("name").asText(), Json.bind(object.path("spec"), PriceBookSpec.class));
        }
        return books;
    }

    static Path examplesDirectory() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isDirectory(directory.resolve("examples"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
        }
        return directory.resolve("examples");
    }

    private static List<JsonNode> documents(String... files) {
        List<JsonNode> documents = new ArrayList<>();
        try {
            for (String file : files) {
                try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class)
                        .readValues(examplesDirectory().resolve(file).toFile())) {
                    iterator.forEachRemaining(document -> {
                        if (!document.isNull() && !document.isEmpty()) {
                            documents.add(document);
                        }
                    });
                }
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return documents;
    }

    /** The spec with other node pools. */
    public static ClusterSpec withPools(ClusterSpec spec, List<NodePool> pools) {
        return new ClusterSpec(spec.flavor(), spec.environment(), spec.region(), spec.kubernetesVersion(), pools,
                spec.variables(), spec.hibernation(), spec.ttl(), spec.addons());
    }

    /** The snapshot with one cluster's spec changed. */
    public static FleetSnapshot withCluster(FleetSnapshot snapshot, ClusterId id, java.util.function.UnaryOperator<ClusterSpec> change) {
        var clusters = new TreeMap<>(snapshot.clusters());
        clusters.put(id, new ClusterRequest(id, change.apply(clusters.get(id).spec()), clusters.get(id).labels()));
        return new FleetSnapshot(snapshot.teams(), snapshot.flavors(), snapshot.profiles(), clusters, snapshot.settings(), snapshot.pools(), snapshot.applications());
    }
}
