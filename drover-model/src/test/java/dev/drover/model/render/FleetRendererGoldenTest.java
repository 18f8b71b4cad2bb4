package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example organisation rendered, compared file by file with the reviewed copy in
 * src/test/resources/render/examples. After an intended change, refresh it with {@code make goldens}
 * (which sets {@code -Ddrover.updateGoldens=true}) and review the diff.
 */
class FleetRendererGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/render/examples");

    @Test
    void examplesRenderToTheGoldenFiles() throws IOException {
        RenderedFleet fleet = FleetRenderer.render(ExampleFleet.snapshot());
        assertThat(fleet.failures()).as("clusters that failed to render").isEmpty();
        if (Boolean.getBoolean("drover.updateGoldens")) {
            write(fleet.files());
        }
        SortedMap<String, String> golden = read();
        assertThat(fleet.files().keySet()).as("paths (run `make goldens` after an intended change)")
                .containsExactlyElementsOf(golden.keySet());
        fleet.files().forEach((path, content) -> assertThat(content).as(path).isEqualTo(golden.get(path)));
    }

    private static void write(SortedMap<String, String> files) throws IOException {
        if (Files.exists(GOLDEN)) {
            try (Stream<Path> old = Files.walk(GOLDEN)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        for (var file : files.entrySet()) {
            Path target = GOLDEN.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }

    private static SortedMap<String, String> read() throws IOException {
        SortedMap<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(GOLDEN)) {
            return files;
        }
        try (Stream<Path> paths = Files.walk(GOLDEN)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(GOLDEN.relativize(path).toString().replace('\\', '/'), Files.readString(path, StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
