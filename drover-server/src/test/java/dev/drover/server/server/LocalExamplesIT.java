package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.store.ListQuery;
import dev.drover.server.testing.TestDrover;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The walk-through's organisation ({@code --examples local}) is accepted as a whole and commits only the docker entry. */
class LocalExamplesIT {

    @Test
    void theLocalExamplesLoadAndCommitOnlyWhatKindBuilds() throws Exception {
        try (TestDrover drover = TestDrover.startFreshWithExamples(Map.of(), ExampleOrganisation.Selection.LOCAL)) {
            assertThat(drover.server().store().list(ListQuery.all("Cluster")).items()).extracting(item -> item.key().name())
                    .containsExactly("kind-sandbox");
            assertThat(drover.server().store().list(ListQuery.all("Team")).items()).extracting(item -> item.key().name())
                    .containsExactly("search");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (drover.server().fleet().files().keySet().stream().noneMatch(path -> path.startsWith("management/docker/"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(drover.server().fleet().files().keySet())
                    .anyMatch(path -> path.startsWith("management/docker/clusters/search/kind-sandbox/"))
                    .noneMatch(path -> path.startsWith("management/vsphere/") || path.startsWith("management/vcluster/"));
        }
    }
}
