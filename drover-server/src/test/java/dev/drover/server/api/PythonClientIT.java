package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official Kubernetes Python client against Drover: CRUD, server-side apply, a label-selected list, and a watch (the client sends
 * {@code watch=True}) that streams events and resumes. Uses Debian's python3-kubernetes, which {@code make test}
 * installs when it is missing.
 */
class PythonClientIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void thePythonClientCreatesListsWatchesAndResumes() throws Exception {
        requireClient();
        TestDrover drover = TestDrover.sharedWithExamples();
        try (TemporaryDirectory work = new TemporaryDirectory("drover-python-")) {
            Path script = work.path().resolve("client_compat.py");
            try (InputStream source = PythonClientIT.class.getResourceAsStream("/python/client_compat.py")) {
                Files.copy(source, script);
            }
            Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), drover.kubeconfig().toString(), "py-compat")
                    .redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(err).isZero();

            JsonNode seen = Json.MAPPER.readTree(out.lines().reduce((first, last) -> last).orElse("{}"));
            assertThat(seen.path("createdVersion").asText()).as("defaulted by the flavor").isNotEmpty();
            assertThat(seen.path("gotFinalizers").toString()).contains("platform.drover.dev/fleet-repository");
            assertThat(seen.path("appliedPools")).extracting(JsonNode::asText).containsExactly("general", "batch");
            assertThat(seen.path("managers")).extracting(JsonNode::asText).contains("python-tests/Apply");
            assertThat(seen.path("listed")).extracting(JsonNode::asText).containsExactly("py-web");
            assertThat(seen.path("watched")).extracting(JsonNode::asText).contains("MODIFIED gold");
            assertThat(seen.path("resumed")).extracting(JsonNode::asText).last().isEqualTo("DELETED");
        }
    }

    private static void requireClient() throws Exception {
        boolean present = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import kubernetes")
                .start().waitFor() == 0;
        assertThat(present).as("the Python Kubernetes client is missing: `make test` installs it "
                + "(apt-get install python3-kubernetes)").isTrue();
    }
}
