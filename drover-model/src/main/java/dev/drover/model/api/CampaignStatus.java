package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Where a Campaign stands, written by Drover's campaign controller.")
public record CampaignStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @Doc("Progressing, Paused, Completed or Aborted.") Optional<Phase> phase,
        @Doc("The PROGRESS column, for example 37/100 done, 3 updating, 1 failed.") Optional<String> summary,
        @Doc("The stage in progress.") Optional<String> currentStage,
        @Doc("When the first cluster started (RFC 3339).") Optional<String> startedAt,
        @Doc("When the campaign completed or was aborted (RFC 3339).") Optional<String> finishedAt,
        @Doc("When the plan from now on expects the last cluster done (RFC 3339), given windows, concurrency, bake "
                + "times and the expected update duration; approvals are assumed given when due.") Optional<String> eta,
        @Doc("Clusters per state.") Optional<Counts> counts,
        @ListMap("name") @Doc("Each stage.") List<StageStatus> stages,
        @ListMap("name") @Doc("Each selected cluster.") List<ClusterProgress> clusters,
        @ListMap("name") @Doc("Clusters not done and why: failing their gate, no window before the deadline, skipped, "
                + "excluded by every stage, deleted.") List<Straggler> stragglers,
        @Doc("Progressing (True while clusters can start), Paused (by spec.paused or by too many failures) and "
                + "Completed.") @ListMap("type") List<Condition> conditions) {

    public CampaignStatus {
        observedGeneration = Values.option(observedGeneration);
        phase = Values.option(phase);
        summary = Values.option(summary);
        currentStage = Values.option(currentStage);
        startedAt = Values.option(startedAt);
        finishedAt = Values.option(finishedAt);
        eta = Values.option(eta);
        counts = Values.option(counts);
        stages = Values.list(stages);
        clusters = Values.list(clusters);
        stragglers = Values.list(stragglers);
        conditions = Values.list(conditions);
    }

    public enum Phase {
        @JsonProperty("Progressing") PROGRESSING,
        @JsonProperty("Paused") PAUSED,
        @JsonProperty("Completed") COMPLETED,
        @JsonProperty("Aborted") ABORTED
    }

    /** A cluster's place in the campaign. */
    public enum ClusterState {
        /** Waiting for its stage, a free slot or its window. */
        @JsonProperty("Pending") PENDING,
        /** Changed; waiting for the health gate. */
        @JsonProperty("Updating") UPDATING,
        @JsonProperty("Succeeded") SUCCEEDED,
        @JsonProperty("Failed") FAILED,
        /** Left alone: named in spec.skip, or with no version to go to. */
        @JsonProperty("Skipped") SKIPPED,
        /** Selected by the campaign but by no stage. */
        @JsonProperty("Excluded") EXCLUDED,
        /** Deleted while the campaign ran. */
        @JsonProperty("Deleted") DELETED;

        /** Whether the cluster is done with the campaign, one way or another. */
        public boolean finished() {
            return this != PENDING && this != UPDATING;
        }
    }

    public enum StageState {
        /** An earlier stage is not done. */
        @JsonProperty("Waiting") WAITING,
        @JsonProperty("AwaitingApproval") AWAITING_APPROVAL,
        @JsonProperty("Progressing") PROGRESSING,
        /** Every cluster is done; the bake time runs. */
        @JsonProperty("Baking") BAKING,
        @JsonProperty("Completed") COMPLETED
    }

    @Doc("Clusters per state.")
    public record Counts(
            @Required Integer total, @Required Integer pending, @Required Integer updating, @Required Integer succeeded,
            @Required Integer failed, @Required Integer skipped, @Required Integer excluded, @Required Integer deleted) {
    }

    @Doc("One stage.")
    public record StageStatus(
            @Required @Doc("Stage name.") String name,
            @Required @Doc("Waiting, AwaitingApproval, Progressing, Baking or Completed.") StageState state,
            @Doc("Since when (RFC 3339).") Optional<String> since,
            @Doc("While Baking: when the bake time ends (RFC 3339).") Optional<String> bakedUntil,
            @Required @Doc("Clusters of the stage.") Integer clusters,
            @Required @Doc("Clusters of the stage that are done.") Integer done,
            @Required @Doc("Clusters of the stage allowed to update at once.") Integer maxConcurrent) {

        public StageStatus {
            since = Values.option(since);
            bakedUntil = Values.option(bakedUntil);
        }
    }

    @Doc("One cluster in the campaign.")
    public record ClusterProgress(
            @Required @Doc("team/name.") String name,
            @Doc("Its stage; unset when excluded.") Optional<String> stage,
            @Required @Doc("Pending, Updating, Succeeded, Failed, Skipped, Excluded or Deleted.") ClusterState state,
            @Doc("Since when (RFC 3339).") Optional<String> since,
            @Doc("Why, in one word, for example WaitingForWindow, HealthGatePassed, HealthGateTimeout.") Optional<String> reason,
            @Doc("Why, in a sentence.") Optional<String> message,
            @Doc("Its Kubernetes version when the campaign found it.") Optional<String> from,
            @Doc("The version it goes to.") Optional<String> to,
            @Doc("The version of the step in flight (one minor at a time).") Optional<String> step,
            @Doc("Attempts made; a retry makes one more.") Optional<Integer> attempt,
            @Doc("While Pending outside its window: when its next maintenance window opens (RFC 3339).")
            Optional<String> windowOpens,
            @Doc("While Updating: the fleet repository commit of the cluster's files before the step; the step counts as "
                    + "committed once a later commit holds them.") Optional<String> baseCommit) {

        public ClusterProgress {
            stage = Values.option(stage);
            since = Values.option(since);
            reason = Values.option(reason);
            message = Values.option(message);
            from = Values.option(from);
            to = Values.option(to);
            step = Values.option(step);
            attempt = Values.option(attempt);
            windowOpens = Values.option(windowOpens);
            baseCommit = Values.option(baseCommit);
        }
    }

    @Doc("A cluster that is not done, or will not be in time, and why.")
    public record Straggler(
            @Required @Doc("team/name.") String name,
            @Required @Doc("HealthGateFailing, NoWindowBeforeDeadline, Skipped, Excluded, Deleted or Refused.") String reason,
            @Required @Doc("What holds it.") String message) {
    }
}
