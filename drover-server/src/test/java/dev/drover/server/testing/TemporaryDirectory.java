package dev.drover.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary directory that is deleted with everything in it when closed, so test runs leave no databases behind. */
public final class TemporaryDirectory implements AutoCloseable {

    private final Path path;

    public TemporaryDirectory(String prefix) {
        try {
            this.path = Files.createTempDirectory(prefix);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> contents = Files.walk(path)) {
            for (Path entry : contents.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        } catch (IOException failed) {
            throw new UncheckedIOException("could not delete " + path, failed);
        }
    }
}
