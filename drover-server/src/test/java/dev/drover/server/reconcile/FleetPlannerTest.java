package dev.drover.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.NodePool;
import dev.drover.model.render.ApplicationRequest;
import dev.drover.model.render.ClusterRequest;
import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetApplications;
import dev.drover.model.render.FleetRenderer;
import dev.drover.model.render.FleetSnapshot;
import dev.drover.model.render.ManagementEntry;
import dev.drover.server.controller.StatusWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The fleet reconciler's decisions, without a database or a repository: the example fleet against an in-memory head. */
class FleetPlannerTest {

    private static final ClusterId SEARCH_PROD = new ClusterId("search", "search-prod");
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String NEXT_COMMIT = "89abcdef0123456789abcdef0123456789abcdef";

    private final FleetSnapshot examples = ExampleFleet.snapshot();

    @Test
    void aFreshRepositoryGetsEveryFileOfTheRenderedFleetInOnePlan() {
        FleetPlanner.Plan plan = FleetPlanner.plan(examples, examples.clusters().keySet(), true, states(examples), FleetTree.of(Map.of()));

        Map<String, String> expected = FleetRenderer.render(examples).files();
        assertThat(plan.changes()).hasSameSizeAs(expected);
        expected.forEach((path, content) -> assertThat(plan.changes().get(path)).as(path).contains(content));
        assertThat(plan.renderFailures()).isEmpty();
        assertThat(plan.touched()).containsExactlyElementsOf(examples.clusters().keySet());
        assertThat(plan.message()).startsWith("Update " + examples.clusters().size() + " clusters: ");
    }

    @Test
    void aFleetThatDidNotChangePlansNoChange() {
        FleetTree tree = committedExamples();

        FleetPlanner.Plan again = FleetPlanner.plan(examples, examples.clusters().keySet(), true, states(examples), tree);

        assertThat(again.changes()).isEmpty();
    }

    @Test
    void aChangedPoolChangesOnlyThatClustersWorkersAndLeavesTheSharedFilesAlone() {
        FleetTree tree = committedExamples();
        FleetSnapshot changed = ExampleFleet.withCluster(examples, SEARCH_PROD, spec -> ExampleFleet.withPools(spec, spec.nodePools().stream()
                .map(pool -> new NodePool(pool.name(), pool.instanceType(), pool.minSize(), pool.maxSize() + 1, pool.capacityType(),
                        pool.labels())).toList()));

        FleetPlanner.Plan plan = FleetPlanner.plan(changed, List.of(SEARCH_PROD), false, states(changed), tree);

        assertThat(plan.changes()).containsOnlyKeys("management/aws/clusters/search/search-prod/workers.yaml");
        assertThat(plan.sharedFiles()).isEmpty();
        assertThat(plan.touched()).containsExactly(SEARCH_PROD);
        assertThat(plan.message()).contains("search/search-prod: generation 1, 1 file");
    }

    @Test
    void anApplicationsNewImageIsNamedInTheCommitMessage() {
        FleetTree tree = committedExamples();
        var applications = new TreeMap<>(examples.applications().applications());
        ApplicationRequest checkout = applications.get("payments/checkout");
        ApplicationSpec spec = checkout.spec();
        String image = "registry.example.com/payments/checkout:1.8.3";
        applications.put("payments/checkout", new ApplicationRequest("payments", "checkout", 2, new ApplicationSpec(spec.template(),
                image, spec.port(), spec.size(), spec.environments(), spec.advanced(), spec.delivery()), Optional.empty()));
        var changed = new FleetSnapshot(examples.teams(), examples.flavors(), examples.profiles(), examples.clusters(),
                examples.settings(), examples.pools(), new FleetApplications(examples.applications().templates(), applications));
        var dev = new ClusterId("payments", "payments-dev");

        FleetPlanner.Plan plan = FleetPlanner.plan(changed, List.of(dev), false, states(changed), tree);

        assertThat(plan.changes()).containsOnlyKeys("clusters/payments/payments-dev/apps/checkout/deployment.yaml");
        assertThat(plan.message()).contains("payments/payments-dev: generation 1, application checkout generation 2 (image "
                + image + "), 1 file");
    }

    @Test
    void aClusterMovedToAnotherProvidersFlavorMovesToThatProvidersEntry() {
        FleetTree tree = committedExamples();
        ClusterRequest before = examples.clusters().get(SEARCH_PROD);
        ClusterSpec spec = before.spec();
        var labels = new TreeMap<>(before.labels());
        labels.put("platform.drover.dev/flavor", "docker-local");
        labels.put("platform.drover.dev/provider", "docker");
        var clusters = new TreeMap<>(examples.clusters());
        clusters.put(SEARCH_PROD, new ClusterRequest(SEARCH_PROD, new ClusterSpec("docker-local", spec.environment(), Optional.empty(),
                spec.kubernetesVersion(), spec.nodePools(), Map.of(), spec.hibernation(), spec.ttl(), spec.addons()), labels));
        var moved = new FleetSnapshot(examples.teams(), examples.flavors(), examples.profiles(), clusters, examples.settings(), examples.pools(), examples.applications());

        FleetPlanner.Plan plan = FleetPlanner.plan(moved, List.of(SEARCH_PROD), false, states(moved), tree);
        assertThat(plan.renderFailures()).isEmpty();

        assertThat(plan.changes().get("management/aws/clusters/search/search-prod/cluster.yaml")).isEmpty();
        assertThat(plan.changes().get("management/docker/clusters/search/search-prod/cluster.yaml")).isPresent();
        assertThat(plan.changes().get("management/aws/clusters/search/kustomization.yaml")).isPresent()
                .hasValueSatisfying(index -> assertThat(index).doesNotContain("search-prod"));
        assertThat(plan.changes().get("management/docker/clusters/search/kustomization.yaml")).isPresent()
                .hasValueSatisfying(index -> assertThat(index).contains("search-prod").contains("kind-sandbox"));
        tree.committed(plan, Optional.of(NEXT_COMMIT));
        assertThat(tree.entry(SEARCH_PROD)).contains(ManagementEntry.DOCKER);
    }

    @Test
    void aDeletedClusterLosesAllItsFilesTheIndexesDropItAndItsFinalizerIsReleased() {
        FleetTree tree = committedExamples();
        Map<ClusterId, ClusterState> states = states(examples);
        ClusterState live = states.get(SEARCH_PROD);
        states.put(SEARCH_PROD, new ClusterState(live.id(), live.spec(), live.labels(), 2, true, Optional.of(COMMIT), false, Optional.empty(), Optional.empty()));
        List<String> files = List.copyOf(tree.filesOf(SEARCH_PROD).keySet());

        FleetPlanner.Plan plan = FleetPlanner.plan(examples, List.of(SEARCH_PROD), false, states, tree);

        files.forEach(path -> assertThat(plan.changes().get(path)).as(path).isEmpty());
        assertThat(plan.changes().get("management/aws/clusters/search/kustomization.yaml")).isPresent()
                .hasValueSatisfying(index -> assertThat(index).doesNotContain("search-prod"));
        tree.committed(plan, Optional.of(NEXT_COMMIT));
        List<StatusWriter.Update> updates = FleetPlanner.statuses(plan, new FleetPlanner.Acted(Optional.of(NEXT_COMMIT),
                Optional.empty(), NEXT_COMMIT), List.of(SEARCH_PROD), states, tree, "main");
        assertThat(updates).singleElement().satisfies(update ->
                assertThat(update.finalizer()).isEqualTo(StatusWriter.Finalizer.RELEASE));
    }

    @Test
    void aClusterThatCannotBeRenderedKeepsItsFilesAndItsStatusSaysWhy() {
        FleetTree tree = committedExamples();
        var flavors = new TreeMap<>(examples.flavors());
        flavors.remove(examples.clusters().get(SEARCH_PROD).spec().flavor());
        var broken = new FleetSnapshot(examples.teams(), flavors, examples.profiles(), examples.clusters(), examples.settings(), examples.pools(), examples.applications());

        FleetPlanner.Plan plan = FleetPlanner.plan(broken, List.of(SEARCH_PROD), false, states(broken), tree);

        assertThat(plan.changes()).isEmpty();
        assertThat(plan.renderFailures().get(SEARCH_PROD).reason()).isEqualTo("FlavorNotFound");
        StatusWriter.Update update = onlyUpdate(plan, new FleetPlanner.Acted(Optional.empty(), Optional.empty(), COMMIT),
                states(broken), tree);
        assertThat(condition(update, "Rendered")).satisfies(rendered -> {
            assertThat(rendered.status()).isEqualTo(Condition.ConditionStatus.FALSE);
            assertThat(rendered.reason()).contains("FlavorNotFound");
        });
        assertThat(condition(update, "Committed").reason()).contains("RenderFailed");
        assertThat(condition(update, "Committed").message().orElseThrow()).contains("commit " + COMMIT.substring(0, 12));
        assertThat(tree.hasFiles(SEARCH_PROD)).isTrue();
    }

    @Test
    void aCommittedClusterNamesItsCommitAndItsAddons() {
        FleetTree tree = committedExamples();

        StatusWriter.Update update = onlyUpdate(FleetPlanner.plan(examples, List.of(SEARCH_PROD), false, states(examples), tree),
                new FleetPlanner.Acted(Optional.empty(), Optional.empty(), NEXT_COMMIT), states(examples), tree);

        JsonNode git = update.fields().get("git");
        assertThat(git.path("commit").asText()).isEqualTo(COMMIT);
        assertThat(git.path("path").asText()).isEqualTo("management/aws/clusters/search/search-prod");
        assertThat(update.fields().get("addons")).isNotEmpty();
        assertThat(update.finalizer()).isEqualTo(StatusWriter.Finalizer.ENSURE);
        assertThat(condition(update, "Committed").status()).isEqualTo(Condition.ConditionStatus.TRUE);
    }

    @Test
    void aFailedCommitLeavesTheHeadAsItWasAndTurnsCommittedFalse() {
        FleetTree tree = committedExamples();
        FleetSnapshot changed = ExampleFleet.withCluster(examples, SEARCH_PROD, spec -> ExampleFleet.withPools(spec, spec.nodePools().subList(0, 1)));
        FleetPlanner.Plan plan = FleetPlanner.plan(changed, List.of(SEARCH_PROD), false, states(changed), tree);
        var failure = new ClusterReport.Problem("GitError", "committing to the fleet repository failed: disk full");

        StatusWriter.Update update = onlyUpdate(plan, new FleetPlanner.Acted(Optional.empty(), Optional.of(failure), COMMIT),
                states(changed), tree);

        assertThat(condition(update, "Committed").status()).isEqualTo(Condition.ConditionStatus.FALSE);
        assertThat(condition(update, "Committed").reason()).contains("GitError");
        assertThat(FleetPlanner.plan(changed, List.of(SEARCH_PROD), false, states(changed), tree).changes())
                .isEqualTo(plan.changes());
    }

    /** The examples planned into an empty head and committed as {@link #COMMIT}. */
    private FleetTree committedExamples() {
        FleetTree tree = FleetTree.of(Map.of());
        tree.committed(FleetPlanner.plan(examples, examples.clusters().keySet(), true, states(examples), tree), Optional.of(COMMIT));
        return tree;
    }

    private static StatusWriter.Update onlyUpdate(FleetPlanner.Plan plan, FleetPlanner.Acted acted, Map<ClusterId, ClusterState> states,
                                                  FleetTree tree) {
        List<StatusWriter.Update> updates = FleetPlanner.statuses(plan, acted, List.of(SEARCH_PROD), states, tree, "main");
        assertThat(updates).hasSize(1);
        return updates.getFirst();
    }

    private static Condition condition(StatusWriter.Update update, String type) {
        return update.conditions().stream().filter(condition -> condition.type().equals(type)).findFirst().orElseThrow();
    }

    private static Map<ClusterId, ClusterState> states(FleetSnapshot snapshot) {
        Map<ClusterId, ClusterState> states = new HashMap<>();
        snapshot.clusters().forEach((id, request) -> states.put(id, new ClusterState(id, request.spec(), request.labels(), 1, false,
                Optional.empty(), request.hibernated(), Optional.empty(), Optional.empty())));
        return states;
    }
}
