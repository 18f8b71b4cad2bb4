package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("A fleet-wide change rolled out in stages: which Clusters, to what, in which order, how many at a time, with a "
        + "bake time and approvals between stages and a health gate per cluster, each cluster inside its maintenance "
        + "windows. Every change to a Cluster goes through the public write path, as the platform.")
public record CampaignSpec(
        @Required @Doc("What changes on each selected Cluster.") Change change,
        @Doc("The Clusters the campaign changes (labels such as platform.drover.dev/flavor and "
                + "platform.drover.dev/environment); every Cluster when unset.") Optional<ClusterSelector> selector,
        @Required @ListMap("name") @Doc("Stages in order: a stage starts once the one before it is done and baked. A "
                + "Cluster belongs to the first stage that selects it; one that no stage selects is excluded.")
        List<Stage> stages,
        @Minimum(0) @Doc("Failed clusters (not accepted in acceptedFailures) the campaign tolerates; one more pauses it. "
                + "Defaults to 0: the first failure pauses.") Optional<Integer> maxFailures,
        @Pattern(value = ClusterSpec.DURATION, meaning = "a duration in hours and minutes such as 2h")
        @Doc("How long a cluster may take from its change to passing the health gate before it is Failed. Defaults to 2h.")
        Optional<String> updateTimeout,
        @Pattern(value = ClusterSpec.DURATION, meaning = "a duration in hours and minutes such as 45m")
        @Doc("How long one cluster's update is expected to take, for the plan and the ETA. Defaults to 1h.")
        Optional<String> expectedUpdateDuration,
        @Doc("When the campaign should be done (RFC 3339); clusters the plan cannot finish by then are stragglers.")
        Optional<String> deadline,
        @Doc("Stop starting clusters; those in flight finish. `drover campaign pause` / `resume`.") Optional<Boolean> paused,
        @Doc("End the campaign for good: no cluster starts any more, those in flight finish and nothing is rolled back. "
                + "Cannot be undone.") Optional<Boolean> aborted,
        @ListSet @Doc("Stages whose approval is given (`drover campaign approve`).") List<String> approvedStages,
        @ListSet @Doc("Clusters (team/name) the campaign leaves alone (`drover campaign skip`).") List<String> skip,
        @ListSet @Doc("Failed clusters (team/name) accepted as failed, so that they no longer count against maxFailures "
                + "(`drover campaign resume` accepts the failures it resumes after).") List<String> acceptedFailures,
        @ListMap("cluster") @Doc("Failed clusters to try again: a cluster whose last attempt is lower than the one named "
                + "here starts again (`drover campaign retry`).") List<Retry> retries) {

    public CampaignSpec {
        selector = Values.option(selector);
        stages = Values.list(stages);
        maxFailures = Values.option(maxFailures);
        updateTimeout = Values.option(updateTimeout);
        expectedUpdateDuration = Values.option(expectedUpdateDuration);
        deadline = Values.option(deadline);
        paused = Values.option(paused);
        aborted = Values.option(aborted);
        approvedStages = Values.list(approvedStages);
        skip = Values.list(skip);
        acceptedFailures = Values.list(acceptedFailures);
        retries = Values.list(retries);
    }

    @Doc("The change: exactly one of kubernetesVersion and kubernetesPatch.")
    public record Change(
            @Pattern(value = "^[0-9]+\\.[0-9]+(\\.[0-9]+)?$", meaning = "a minor version such as 1.33 or a patch such as 1.33.5")
            @Doc("A minor version (each cluster goes to the newest supported patch of it that its flavor allows) or an "
                    + "exact patch. Clusters more than one minor below step one minor at a time, each step health-gated; "
                    + "no cluster is moved down.") Optional<String> kubernetesVersion,
            @Doc("Move each cluster to the newest supported patch of its own minor version.") Optional<Boolean> kubernetesPatch) {

        public Change {
            kubernetesVersion = Values.option(kubernetesVersion);
            kubernetesPatch = Values.option(kubernetesPatch);
        }

        /** What the change says, for messages: "kubernetesVersion 1.33" or "newest patch". */
        public String describe() {
            return kubernetesVersion.map(version -> "kubernetesVersion " + version).orElse("the newest supported patch");
        }
    }

    @Doc("One stage: the Clusters it selects and how fast it goes.")
    public record Stage(
            @Required @Doc("Stage name, for example staging.") String name,
            @ListSet @Doc("Environments whose Clusters the stage takes; any when empty.") List<String> environments,
            @Doc("Labels the stage's Clusters carry; any when unset.") Optional<ClusterSelector> selector,
            @Pattern(value = "^([1-9][0-9]*|([1-9][0-9]?|100)%)$", meaning = "a number such as 3 or a percentage such as 10%")
            @Doc("Clusters of the stage updating at once: a number or a percentage of the stage's clusters (at least "
                    + "one). Defaults to 1.") Optional<String> maxConcurrent,
            @Pattern(value = ClusterSpec.DURATION, meaning = "a duration in hours and minutes such as 24h")
            @Doc("How long the stage's clusters must stay healthy after the last one passed its gate before the next "
                    + "stage starts. Defaults to none.") Optional<String> bakeTime,
            @Doc("The stage waits for `drover campaign approve NAME STAGE` before its first cluster starts.")
            Optional<Boolean> requiresApproval) {

        public Stage {
            environments = Values.list(environments);
            selector = Values.option(selector);
            maxConcurrent = Values.option(maxConcurrent);
            bakeTime = Values.option(bakeTime);
            requiresApproval = Values.option(requiresApproval);
        }
    }

    @Doc("A retry of one failed cluster.")
    public record Retry(
            @Required @Doc("The cluster, team/name.") String cluster,
            @Required @Minimum(2) @Doc("The attempt to make: one more than the cluster's status.clusters[].attempt.")
            Integer attempt) {
    }
}
