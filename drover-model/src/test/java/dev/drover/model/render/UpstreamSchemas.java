package dev.drover.model.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The upstream CustomResourceDefinitions kept beside the repository (shared/crds, with an index.tsv naming
 * group, served versions, kind and file per CRD), looked up by apiVersion and kind. Tests that need them skip
 * with a visible message when they are absent, except in CI, where their absence is a failure.
 */
final class UpstreamSchemas {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path directory;
    private final Map<String, Path> fileByGroupKind = new HashMap<>();
    private final Map<String, List<String>> servedByGroupKind = new HashMap<>();
    private final Map<String, JsonNode> schemaCache = new HashMap<>();

    private UpstreamSchemas(Path directory) throws IOException {
        this.directory = directory;
        List<String> lines = Files.readAllLines(directory.resolve("index.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split("\t");
            if (columns.length < 6) {
                continue;
            }
            String key = columns[0] + "/" + columns[2];
            // The index lists a kind once per release kept; the first (stable) file wins.
            fileByGroupKind.putIfAbsent(key, directory.resolve(columns[5]));
            servedByGroupKind.putIfAbsent(key, List.of(columns[1].split(",")));
        }
    }

    /** The CRDs, or a skipped test (outside CI) when they are not beside the repository. */
    static UpstreamSchemas locateOrSkip() {
        Optional<Path> found = Optional.ofNullable(System.getenv("DROVER_UPSTREAM_CRDS")).map(Path::of)
                .or(() -> Optional.of(ExampleFleet.examplesDirectory().getParent().getParent().resolve("shared/crds")))
                .filter(path -> Files.isRegularFile(path.resolve("index.tsv")));
        if (found.isEmpty()) {
            String message = "upstream CRD schemas not found (shared/crds beside the repository, or DROVER_UPSTREAM_CRDS); "
                    + "schema validation of the rendered manifests is skipped";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + ", which CI does not allow");
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
        try {
            return new UpstreamSchemas(found.get());
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** The openAPIV3Schema for an apiVersion and kind, if an upstream CRD defines the kind. */
    Optional<JsonNode> schema(String apiVersion, String kind) {
        int slash = apiVersion.lastIndexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String key = apiVersion.substring(0, slash) + "/" + kind;
        String version = apiVersion.substring(slash + 1);
        Path file = fileByGroupKind.get(key);
        if (file == null) {
            return Optional.empty();
        }
        if (!servedByGroupKind.get(key).contains(version)) {
            throw new AssertionError(kind + " " + apiVersion + " is not served by " + directory.relativize(file)
                    + " (served: " + servedByGroupKind.get(key) + ")");
        }
        return Optional.of(schemaCache.computeIfAbsent(apiVersion + "/" + kind, ignored -> {
            try {
                for (JsonNode served : YAML.readTree(file.toFile()).path("spec").path("versions")) {
                    if (served.path("name").asText().equals(version)) {
                        return served.path("schema").path("openAPIV3Schema");
                    }
                }
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
            throw new AssertionError("no schema for " + version + " in " + file);
        }));
    }
}
