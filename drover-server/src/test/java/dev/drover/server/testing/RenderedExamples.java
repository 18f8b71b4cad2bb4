package dev.drover.server.testing;

import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The example organisation's fleet repository, rendered into a directory, for kubectl to apply. */
public final class RenderedExamples {

    private RenderedExamples() {
    }

    public static TemporaryDirectory render(String prefix) throws IOException {
        var fleet = new TemporaryDirectory(prefix);
        for (Map.Entry<String, String> file : FleetRenderer.render(ExampleFleet.snapshot()).files().entrySet()) {
            Path path = fleet.path().resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return fleet;
    }
}
