package dev.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way: each package of both modules names the Drover packages it may use, and the sources are checked
 * against that allow-list. A new package fails until it is placed here. Core packages never use a feature package;
 * features plug into the core (the kind registry, the controller machinery) and only {@code server} wires them.
 */
class DependencyRulesTest {

    private static final Path ROOT = Path.of("..");
    private static final Map<String, Path> MODULES = Map.of(
            "model", ROOT.resolve("drover-model/src/main/java/dev/drover/model"),
            "server", ROOT.resolve("drover-server/src/main/java/dev/drover/server"));
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.drover\\.(model|server)\\.([a-z]+)\\.");

    /** The model's packages, lowest first: errors, schema machinery, selectors, the API kinds, then what reads them. */
    private static final Map<String, Set<String>> MODEL = Map.ofEntries(
            Map.entry("model.error", Set.of()),
            Map.entry("model.schema", Set.of("model.error")),
            Map.entry("model.selector", Set.of("model.error", "model.schema")),
            Map.entry("model.api", Set.of("model.error", "model.schema", "model.selector")),
            Map.entry("model.addon", Set.of("model.error", "model.schema", "model.selector", "model.api")),
            Map.entry("model.environment", Set.of("model.error", "model.schema", "model.api")),
            Map.entry("model.version", Set.of("model.error", "model.schema", "model.api")),
            Map.entry("model.campaign", Set.of("model.error", "model.schema", "model.selector", "model.api", "model.environment",
                    "model.version")),
            Map.entry("model.validation", Set.of("model.error", "model.schema", "model.selector", "model.api", "model.addon",
                    "model.environment", "model.version", "model.ipam")),
            Map.entry("model.ipam", Set.of("model.error", "model.schema", "model.api")),
            Map.entry("model.render", Set.of("model.error", "model.schema", "model.selector", "model.api", "model.addon",
                    "model.ipam")),
            Map.entry("model.cost", Set.of("model.error", "model.schema", "model.api", "model.version")),
            Map.entry("model.app", Set.of("model.error", "model.schema", "model.api")));

    private static final Set<String> ALL_MODEL = MODEL.keySet();
    /** The features: they use the core, the core never uses them. */
    private static final Set<String> FEATURES = Set.of("server.reconcile", "server.cost", "server.addon", "server.observe",
            "server.integration", "server.flavor", "server.environment", "server.fleetops", "server.campaign", "server.ipam",
            "server.application");

    private static final Map<String, Set<String>> SERVER = Map.ofEntries(
            Map.entry("server.config", Set.of()),
            Map.entry("server.tls", Set.of()),
            // The store keeps the IP allocations beside the objects, checked against the pools' committed specs, and the
            // image scans the Applications' gates read.
            Map.entry("server.store", Set.of("model.error", "model.schema", "model.selector", "model.api", "model.ipam",
                    "model.environment", "model.app")),
            Map.entry("server.auth", Set.of("model.error", "model.schema", "model.api")),
            Map.entry("server.apply", Set.of("model.error", "model.schema", "model.api")),
            Map.entry("server.event", Set.of("model.error", "model.schema", "model.selector", "server.store")),
            Map.entry("server.controller", Set.of("model.error", "model.schema", "model.api", "server.store", "server.event")),
            Map.entry("server.write", union(ALL_MODEL, Set.of("server.store", "server.auth", "server.apply"))),
            Map.entry("server.api", union(ALL_MODEL, Set.of("server.store", "server.auth", "server.tls", "server.write",
                    "server.event"))),
            Map.entry("server.git", Set.of("server.auth")),
            Map.entry("server.reconcile", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.git"))),
            Map.entry("server.cost", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.write", "server.api"))),
            Map.entry("server.addon", union(ALL_MODEL, Set.of("server.store", "server.controller"))),
            Map.entry("server.flavor", union(ALL_MODEL, Set.of("server.store", "server.controller"))),
            Map.entry("server.fleetops", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.write",
                    "server.auth"))),
            Map.entry("server.environment", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.write",
                    "server.auth", "server.api"))),
            Map.entry("server.campaign", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.write",
                    "server.auth"))),
            Map.entry("server.kube", Set.of("model.error", "model.schema", "model.api")),
            Map.entry("server.integration", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.kube",
                    "server.tls"))),
            Map.entry("server.ipam", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.kube"))),
            Map.entry("server.application", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.kube",
                    "server.git"))),
            Map.entry("server.observe", union(ALL_MODEL, Set.of("server.store", "server.controller", "server.kube", "server.git"))),
            Map.entry("server.server", union(ALL_MODEL, Set.of("server.config", "server.tls", "server.store", "server.auth",
                    "server.controller", "server.write", "server.api", "server.git", "server.reconcile", "server.cost",
                    "server.addon", "server.kube", "server.observe", "server.event", "server.integration", "server.flavor",
                    "server.environment", "server.fleetops", "server.campaign", "server.ipam", "server.application"))),
            Map.entry("server.cli", union(ALL_MODEL, Set.of("server.config", "server.tls", "server.server"))));

    @Test
    void everyPackageUsesOnlyWhatItsRowAllows() throws IOException {
        Map<String, Set<String>> allowed = new TreeMap<>(MODEL);
        allowed.putAll(SERVER);
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Path> module : MODULES.entrySet()) {
            try (Stream<Path> packages = Files.list(module.getValue())) {
                for (Path directory : packages.filter(Files::isDirectory).toList()) {
                    String name = module.getKey() + "." + directory.getFileName();
                    Set<String> row = allowed.get(name);
                    if (row == null) {
                        violations.add(name + " is not placed: add it to DependencyRulesTest with the packages it may use");
                        continue;
                    }
                    uses(directory).forEach((used, where) -> {
                        if (!used.equals(name) && !row.contains(used)) {
                            violations.add(name + " uses " + used + " (" + where + ")");
                        }
                    });
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void corePackagesNeverUseAFeature() {
        List<String> violations = new ArrayList<>();
        SERVER.forEach((name, row) -> {
            if (!FEATURES.contains(name) && !name.equals("server.server")) {
                row.stream().filter(FEATURES::contains).forEach(feature -> violations.add(name + " may use " + feature));
            }
        });
        MODEL.forEach((name, row) -> row.stream().filter(used -> used.equals("model.render"))
                .forEach(render -> violations.add(name + " may use the renderer")));
        assertThat(violations).isEmpty();
    }

    /** The Drover packages the sources of a directory refer to, each with the first file that does. */
    private static Map<String, String> uses(Path directory) throws IOException {
        Map<String, String> used = new TreeMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher matcher = REFERENCE.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.putIfAbsent(matcher.group(1) + "." + matcher.group(2), file.getFileName().toString());
                }
            }
        }
        return used;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new TreeSet<>(first);
        all.addAll(second);
        return all;
    }
}
