package dev.drover.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Git remote that is down: the commit stays local, the Clusters say so, the API keeps serving. */
class FleetRemoteIT {

    @Test
    void aRemoteThatIsDownTurnsCommittedFalseAndTheServerKeepsServing() throws Exception {
        Kubectl.requireInstalled();
        try (TestDrover drover = TestDrover.startFreshWithExamples(Map.of(Option.GIT_REMOTE_URL, "http://127.0.0.1:1/fleet.git",
                Option.GIT_REMOTE_TOKEN, "secret"))) {
            var kubectl = new Kubectl(drover.kubeconfig());
            JsonNode committed = Json.MAPPER.createObjectNode();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode status = Json.parseObject(kubectl.run("get", "cluster", "payments-prod", "-n", "payments", "-o", "json")
                        .succeeded().out()).path("status");
                for (JsonNode condition : status.path("conditions")) {
                    if (condition.path("type").asText().equals("Committed")) {
                        committed = condition;
                    }
                }
                if (committed.path("reason").asText().equals("PushFailed")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(committed.path("status").asText()).isEqualTo("False");
            assertThat(committed.path("reason").asText()).isEqualTo("PushFailed");
            assertThat(committed.path("message").asText()).contains("http://127.0.0.1:1/fleet.git", "retrying");
            assertThat(drover.server().fleet().head()).as("the commit exists locally").isPresent();
            assertThat(kubectl.run("get", "clusters", "-A").succeeded().out()).contains("payments-prod");
        }
    }
}
