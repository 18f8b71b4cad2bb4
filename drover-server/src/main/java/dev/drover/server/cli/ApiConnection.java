package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The kubeconfig whose server and token a client command uses, as a picocli mixin. */
final class ApiConnection {

    @Option(names = "--kubeconfig", description = "Kubeconfig to use. Default: $KUBECONFIG, else ./.drover/kubeconfig.")
    Path kubeconfig;

    /** Sends the request; prints the server's message and returns empty when it is refused, and prints its warnings. */
    Optional<JsonNode> send(String method, String path, String body, int expectedStatus) throws Exception {
        return send(method, path, body, "application/json", expectedStatus);
    }

    Optional<JsonNode> send(String method, String path, String body, String contentType, int expectedStatus) throws Exception {
        Answer answer = exchange(method, path, body, contentType);
        if (answer.status() != expectedStatus) {
            answer.printError();
            return Optional.empty();
        }
        return Optional.of(answer.body());
    }

    /** What the server answered: its status code and body; the warnings are printed. */
    record Answer(int status, JsonNode body, String text) {

        void printError() {
            System.err.println("error: " + body.path("message").asText(text));
        }
    }

    Answer exchange(String method, String path, String body, String contentType) throws Exception {
        ClientConfig client = ClientConfig.load(kubeconfig);
        var request = HttpRequest.newBuilder(URI.create(client.server() + path))
                .header("Authorization", "Bearer " + client.token())
                .header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        var response = client.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
        for (String warning : response.headers().allValues("Warning")) {
            System.err.println("Warning: " + warningText(warning));
        }
        return new Answer(response.statusCode(), Json.MAPPER.readTree(response.body()), response.body());
    }

    /** The text of a {@code 299 - "text"} Warning header. */
    private static String warningText(String header) {
        int start = header.indexOf('"');
        return start < 0 || !header.endsWith("\"") ? header
                : header.substring(start + 1, header.length() - 1).replace("\\\"", "\"");
    }
}
