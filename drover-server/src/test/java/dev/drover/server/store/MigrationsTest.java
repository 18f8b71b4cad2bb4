package dev.drover.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * A released migration is never edited: databases record each migration's checksum and refuse to start when a file
 * changed. Schema changes are new migrations. This list is what has been released; add a row with each new migration
 * (for a Java migration, the checksum of its source file).
 */
class MigrationsTest {

    /** SQL migrations, and the Java ones (for changes SQL cannot make well), by their source. */
    private static final List<Path> MIGRATIONS = List.of(Path.of("src/main/resources/db/migration"),
            Path.of("src/main/java/db/migration"));

    private static final Map<String, Integer> RELEASED = Map.of(
            "V1__resources.sql", Database.FIRST_RELEASE_V1_CHECKSUM,
            "V2__usage_totals.sql", -1204611350,
            "V3__AddonProfileChartsWithoutOci.java", -1324383546,
            "V4__fleet_reader_tokens_audit_log_leader_epoch.sql", 790277713,
            "V5__ip_allocations.sql", 2043041196,
            "V6__integration_deliveries.sql", -455676319,
            "V7__image_scans.sql", -293902471);

    @Test
    void releasedMigrationsAreUnchangedAndEveryMigrationIsListed() throws IOException {
        Map<String, Integer> checksums = new TreeMap<>();
        for (Path directory : MIGRATIONS) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    checksums.put(file.getFileName().toString(), flywayChecksum(file));
                }
            }
        }
        assertThat(checksums).as("checksums of db/migration; a changed one means a released migration was edited: "
                + "revert it and add a new migration instead").isEqualTo(new TreeMap<>(RELEASED));
    }

    /** Flyway's checksum: CRC32 over the file's lines without their line endings. */
    private static int flywayChecksum(Path file) throws IOException {
        var crc = new CRC32();
        try (var reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }
}
