package dev.drover.server.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
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
import java.util.List;

/**
 * The example organisation in {@code examples/}: teams, flavors and clusters, created through the API like
 * any client would, so every example passes the same validation as a user's request.
 */
public final class ExampleOrganisation {

    static final List<String> FILES = List.of("00-pricebook.yaml", "01-teams.yaml", "02-flavors.yaml", "03-addon-profiles.yaml", "04-clusters.yaml");

    private ExampleOrganisation() {
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
    public static int load(String serverUrl, String certificatePem, String token) {
        HttpClient client = HttpClient.newBuilder().sslContext(ServingCertificate.trusting(certificatePem)).build();
        int created = 0;
        for (JsonNode object : objects()) {
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
    public static void loadOnFirstStart(DroverServer server) {
        if (server.examplesLoaded()) {
            return;
        }
        load(server.url(), server.certificatePem(), server.adminToken());
        server.markExamplesLoaded();
    }
}
