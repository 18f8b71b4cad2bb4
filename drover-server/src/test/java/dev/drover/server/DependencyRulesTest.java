package dev.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Data flows one way: the packages a package may import are written down here and checked over the sources. */
class DependencyRulesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/drover/server");

    /** For each package, the Drover server packages it must not import. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "config", List.of("store", "api", "auth", "server", "cli", "tls"),
            "store", List.of("api", "auth", "server", "cli", "tls", "config"),
            "auth", List.of("api", "server", "cli"),
            "tls", List.of("store", "api", "auth", "server", "cli"),
            "api", List.of("server", "cli", "config", "reconcile", "git"),
            "git", List.of("store", "api", "server", "cli", "config", "reconcile"),
            "reconcile", List.of("api", "server", "cli", "config", "auth", "tls"),
            "server", List.of("cli"),
            "cost", List.of("store", "api", "auth", "server", "cli", "config", "reconcile", "git", "tls"));

    @Test
    void packagesImportOnlyWhatTheDataFlowAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(rule.getKey()))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        for (String forbidden : rule.getValue()) {
                            if (line.startsWith("import dev.drover.server." + forbidden + ".")
                                    || line.contains(" dev.drover.server." + forbidden + ".")) {
                                violations.add(file.getFileName() + " uses " + forbidden + ": " + line.strip());
                            }
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
