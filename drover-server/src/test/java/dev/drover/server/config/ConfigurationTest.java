package dev.drover.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {

    @TempDir
    Path directory;

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path file = directory.resolve("drover.properties");
        Files.writeString(file, "port=9001\naddress=10.1.2.3\nchange-retention=2h\n");
        Configuration configuration = Configuration.resolve(Map.of(Option.PORT, "9003"),
                Map.of("DROVER_PORT", "9002", "DROVER_ADDRESS", "0.0.0.0"), Optional.of(file));
        assertThat(configuration.integer(Option.PORT)).isEqualTo(9003);
        assertThat(configuration.value(Option.PORT).source()).isEqualTo(Configuration.Source.FLAG);
        assertThat(configuration.text(Option.ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(configuration.value(Option.ADDRESS).source()).isEqualTo(Configuration.Source.ENVIRONMENT);
        assertThat(configuration.duration(Option.CHANGE_RETENTION)).isEqualTo(Duration.ofHours(2));
        assertThat(configuration.value(Option.CHANGE_RETENTION).source()).isEqualTo(Configuration.Source.FILE);
        assertThat(configuration.text(Option.DATA_DIR)).isEqualTo("./.drover");
        assertThat(configuration.value(Option.DATA_DIR).source()).isEqualTo(Configuration.Source.DEFAULT);
    }

    @Test
    void showConfigMasksSecrets() {
        String shown = Configuration.resolve(Map.of(Option.DATABASE_PASSWORD, "hunter2"), Map.of(), Optional.empty()).describe();
        assertThat(shown).doesNotContain("hunter2").contains("database-password", "********", "(flag, DROVER_DATABASE_PASSWORD)");
    }

    @Test
    void refusesInvalidValuesNamingTheOptionAndWhatIsAllowed() {
        assertThatThrownBy(() -> Configuration.resolve(Map.of(Option.PORT, "http"), Map.of(), Optional.empty()))
                .hasMessageContaining("--port (DROVER_PORT) is \"http\"; it must be a whole number");
        assertThatThrownBy(() -> Configuration.resolve(Map.of(), Map.of("DROVER_CHANGE_RETENTION", "forever"), Optional.empty()))
                .hasMessageContaining("must be a duration such as");
        assertThatThrownBy(() -> Configuration.resolve(Map.of(Option.EXAMPLES, "maybe"), Map.of(), Optional.empty()))
                .hasMessageContaining("allowed: true, local, false");
        assertThatThrownBy(() -> Configuration.resolve(Map.of(Option.MANAGEMENT_KUBECONFIG, "/nowhere/kubeconfig"), Map.of(),
                Optional.empty())).hasMessageContaining("--management-kubeconfig (DROVER_MANAGEMENT_KUBECONFIG) is "
                + "\"/nowhere/kubeconfig\", which is not a readable file");
        assertThatThrownBy(() -> Configuration.resolve(Map.of(Option.EVENT_RETENTION, "a day"), Map.of(), Optional.empty()))
                .hasMessageContaining("--event-retention");
    }

    @Test
    void refusesUnknownKeysInTheConfigFile() throws Exception {
        Path file = directory.resolve("drover.properties");
        Files.writeString(file, "prot=9001\n");
        assertThatThrownBy(() -> Configuration.resolve(Map.of(), Map.of(), Optional.of(file)))
                .hasMessageContaining("sets unknown option \"prot\"");
    }
}
