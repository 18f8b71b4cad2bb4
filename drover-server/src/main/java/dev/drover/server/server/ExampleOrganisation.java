package dev.drover.server.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.Provider;
import dev.drover.model.schema.Json;
import dev.drover.server.tls.ServingCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The example organisation in {@code examples/}: teams, flavors and clusters, created through the API like
 * any client would, so every example passes the same validation as a user's request.
 */
public final class ExampleOrganisation {

    static final List<String> FILES = List.of("00-pricebook.yaml", "01-teams.yaml", "02-flavors.yaml", "03-addon-profiles.yaml",
            "03-ip-pools.yaml", "04-clusters.yaml", "05-campaigns.yaml", "06-integrations.yaml", "07-app-templates.yaml",
            "08-applications.yaml");

    private ExampleOrganisation() {
    }

    /** Which part of the organisation to load. */
    public enum Selection {
        /** Everything: every provider's flavor, all teams and clusters. */
        ALL,
        /**
         * What a kind management cluster with Cluster API's Docker provider can build: the clusters of the docker
         * flavors and their teams, with every flavor, price book and add-on profile, and no campaign (flavors render nothing by
         * themselves, and the profiles pin versions for environments that only the other flavors allow).
         */
        LOCAL;

        /** The selection the {@code examples} option names; empty for {@code false}. */
        public static Optional<Selection> of(String option) {
            return switch (option) {
                case "true" -> Optional.of(ALL);
                case "local" -> Optional.of(LOCAL);
                default -> Optional.empty();
            };
        }
    }

    /** The selected example objects, in the order they can be created. */
    public static List<JsonNode> objects(Selection selection) {
        List<JsonNode> objects = objects();
        if (selection == Selection.ALL) {
            return objects;
        }
        Set<String> localFlavors = new HashSet<>();
        objects.stream().filter(object -> kind(object).equals(Kinds.CLUSTER_FLAVOR.kind())
                        && object.path("spec").path("provider").asText().equals(Provider.DOCKER.wireName()))
                .forEach(flavor -> localFlavors.add(flavor.path("metadata").path("name").asText()));
        Set<String> localTeams = new HashSet<>();
        objects.stream().filter(object -> kind(object).equals(Kinds.CLUSTER.kind())
                        && localFlavors.contains(object.path("spec").path("flavor").asText()))
                .forEach(cluster -> localTeams.add(cluster.path("metadata").path("namespace").asText()));
        return objects.stream().filter(object -> {
            String name = object.path("metadata").path("name").asText();
            String kind = kind(object);
            if (kind.equals(Kinds.TEAM.kind())) {
                return localTeams.contains(name);
            }
            if (kind.equals(Kinds.CLUSTER.kind())) {
                return localFlavors.contains(object.path("spec").path("flavor").asText());
            }
            if (kind.equals(Kinds.APPLICATION.kind())) {
                return localTeams.contains(object.path("metadata").path("namespace").asText());
            }
            // The example campaign changes clusters of the cloud flavors.
            return !kind.equals(Kinds.CAMPAIGN.kind());
        }).toList();
    }

    private static String kind(JsonNode object) {
        return object.path("kind").asText();
    }

    /** Every example object, in the order they can be created. */
    public static List<JsonNode> objects() {
        List<JsonNode> objects = new ArrayList<>();
        var yaml = new YAMLMapper();
        for (String file : FILES) {
            try (InputStream input = ExampleOrganisation.class.getResourceAsStream("/examples/" + file)) {
                if (input == null) {
                    throw new IllegalStateException("examples/" + file + " is missing from the Drover jar");
                }
                try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(input)) {
                    while (documents.hasNext()) {
                        JsonNode document = documents.next();
                        if (document != null && !document.isEmpty()) {
                            objects.add(document);
                        }
                    }
                }
            } catch (IOException unreadable) {
                throw new UncheckedIOException("cannot read examples/" + file, unreadable);
            }
        }
        return objects;
    }

    /** Creates every example object; stops at the first the server refuses, with its message. */
    public static int load(String serverUrl, String certificatePem, String token, Selection selection) {
        HttpClient client = HttpClient.newBuilder().sslContext(ServingCertificate.trusting(certificatePem)).build();
        int created = 0;
        for (JsonNode object : objects(selection)) {
            Kind kind = Kinds.byKind(object.path("kind").asText()).orElseThrow(() ->
                    new IllegalStateException("example of unknown kind " + object.path("kind")));
            String namespace = object.path("metadata").path("namespace").asText("");
            String path = "/apis/" + kind.apiVersion() + "/" + (kind.namespaced() ? "namespaces/" + namespace + "/" : "")
                    + kind.plural();
            HttpRequest request = HttpRequest.newBuilder(URI.create(serverUrl + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(object)))
                    .build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("example " + kind.kind() + " \"" + object.path("metadata").path("name")
                            .asText() + "\" was refused (" + response.statusCode() + "): " + response.body());
                }
                created++;
            } catch (IOException failed) {
                throw new UncheckedIOException("cannot reach Drover at " + serverUrl, failed);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading the examples", interrupted);
            }
        }
        return created;
    }

    /** Loads the examples once per installation. */
    public static void loadOnFirstStart(DroverServer server, Selection selection) {
        if (server.examplesLoaded()) {
            return;
        }
        load(server.url(), server.certificatePem(), server.adminToken(), selection);
        server.markExamplesLoaded();
    }
}
