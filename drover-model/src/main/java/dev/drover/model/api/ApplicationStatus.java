package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state of an Application, written by Drover's application controller from what the fleet repository holds "
        + "for each target cluster and what the management cluster reports.")
public record ApplicationStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @ListMap("type") @Doc("Rendered (every target cluster's files hold this generation at the template's revision), "
                + "Healthy (every target applied and healthy at its image), ScanPassed (no running image has findings its "
                + "environment's gate blocks) and, with a canary, CanaryProgressing.") List<Condition> conditions,
        @Doc("The AppTemplate's metadata.generation every target cluster's files are rendered from; unset while some lag.")
        Optional<Long> templateRevision,
        @Doc("Committed and applied, per environment.") Optional<String> summary,
        @ListMap("name") @Doc("Per environment: the image, and whether every cluster runs it healthy.")
        List<EnvironmentState> environments,
        @Doc("Per target cluster, as team/cluster: what its committed files hold and what was observed.")
        List<ClusterState> clusters,
        @Doc("The canary's progress, which the rendered weights follow.") Optional<CanaryStatus> canary) {

    public ApplicationStatus {
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
        templateRevision = Values.option(templateRevision);
        summary = Values.option(summary);
        environments = Values.list(environments);
        clusters = Values.list(clusters);
        canary = Values.option(canary);
    }

    @Doc("One environment of the application.")
    public record EnvironmentState(
            @Required @Doc("Environment name.") String name,
            @Required @Doc("The image the environment is given.") String image,
            @Doc("True when every target cluster applied the image and reports it healthy, False when one does not, Unknown "
                    + "while Drover does not see the management cluster.") Optional<String> healthy,
            @Doc("Why, in a sentence.") Optional<String> message,
            @Doc("The scan of the image's digest against the environment's gate, when the template has one.")
            Optional<String> scan) {

        public EnvironmentState {
            healthy = Values.option(healthy);
            message = Values.option(message);
            scan = Values.option(scan);
        }
    }

    @Doc("One target cluster.")
    public record ClusterState(
            @Required @Doc("team/cluster.") String name,
            @Required @Doc("The cluster's environment.") String environment,
            @Doc("The image in the cluster's committed files.") Optional<String> image,
            @Doc("The Application generation in the cluster's committed files.") Optional<Long> generation,
            @Doc("The template revision in the cluster's committed files.") Optional<Long> templateRevision,
            @Doc("The fleet repository commit holding them.") Optional<String> commit,
            @Doc("True, False or Unknown: applied at that commit and healthy.") Optional<String> healthy,
            @Doc("What the GitOps engine reports.") Optional<String> message) {

        public ClusterState {
            image = Values.option(image);
            generation = Values.option(generation);
            templateRevision = Values.option(templateRevision);
            commit = Values.option(commit);
            healthy = Values.option(healthy);
            message = Values.option(message);
        }
    }

    @Doc("Where the canary stands.")
    public record CanaryStatus(
            @Required @Doc("The current step, from 0.") Integer step,
            @Required @Doc("Percent of the traffic the Service gets now.") Integer weight,
            @Required @Doc("Progressing, Paused, Completed or Aborted.") String phase,
            @Doc("When the current step began (RFC 3339).") Optional<String> stepStartedAt,
            @Doc("What the canary waits for.") Optional<String> message) {

        public CanaryStatus {
            stepStartedAt = Values.option(stepStartedAt);
            message = Values.option(message);
        }
    }
}
