package dev.drover.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.testing.FleetChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controllers write only what changes: a restart of a settled fleet renders, prices and counts everything again and
 * writes no object, so watchers see no event and no resourceVersion moves.
 */
class RestartIT {

    @Test
    void aRestartOfASettledFleetWritesNoObject() throws Exception {
        // The git port is picked anew at each start and is part of the fleet URL the manifests name: fix the URL.
        try (FleetChecks fleet = FleetChecks.startFreshWithExamples("drover-restart-",
                Map.of(Option.FLEET_URL, "https://git.example.com/fleet.git"))) {
            List<String> clusters = new ArrayList<>();
            JsonNode list = Json.parseObject(fleet.kubectl().run("get", "clusters", "-A", "-o", "json").succeeded().out());
            list.path("items").forEach(item -> clusters.add(item.path("metadata").path("namespace").asText() + "/"
                    + item.path("metadata").path("name").asText()));
            assertThat(clusters).hasSizeGreaterThan(5);
            for (String cluster : clusters) {
                fleet.awaitCluster(cluster, status -> status.path("git").has("commit") && status.has("cost"));
            }
            fleet.awaitObject("team", "payments", status -> status.has("cost"));
            fleet.awaitObject("addonprofile", "baseline", status -> status.path("clusters").asInt() > 0);
            long settled = quietRevision(fleet.drover().server().store());

            fleet.drover().stop();
            fleet.drover().restart();
            // The cost report answers once the cost controller's first pass after the start is done.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!fleet.kubectl().run("get", "--raw", "/reports/cost?by=team").out().contains("\"payments\"")) {
                assertThat(System.nanoTime()).as("the cost report after the restart").isLessThan(deadline);
                Thread.sleep(100);
            }

            long after = quietRevision(fleet.drover().server().store());
            for (String kind : List.of("teams", "clusters", "clusterflavors", "addonprofiles", "pricebooks", "campaigns", "apptemplates", "applications")) {
                JsonNode items = Json.parseObject(fleet.kubectl().run("get", kind, "-A", "-o", "json").succeeded().out()).path("items");
                items.forEach(item -> { if (item.path("metadata").path("resourceVersion").asLong() > settled) System.err.println("DEBUGCHANGED " + item); });
            }
            assertThat(after).isEqualTo(settled);
        }
    }

    /** The store's revision once it has not moved for two seconds (at most thirty seconds of waiting). */
    private static long quietRevision(ResourceStore store) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long revision = store.revision();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = store.revision();
            if (now != revision) {
                revision = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(2).toNanos()) {
                return revision;
            }
        }
        throw new AssertionError("the store kept changing for 30 s; last revision " + revision);
    }
}
