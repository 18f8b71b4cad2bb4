package dev.drover.server.application;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ApplicationStatus;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.app.ImageReference;
import dev.drover.model.app.ScanReport;
import dev.drover.model.render.AppTemplateRevision;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application controller's decisions, pure: from an Application, its template, what the fleet repository holds for
 * each target cluster and what the management cluster reports of it, the scans of its images and the time, its status
 * (Rendered, Healthy, ScanPassed, the canary's step) and when to look again.
 */
final class ApplicationDecision {

    static final String RENDERED = "Rendered";
    static final String HEALTHY = "Healthy";
    static final String SCAN_PASSED = "ScanPassed";
    static final String CANARY_PROGRESSING = "CanaryProgressing";

    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("applications", Kinds.APPLICATION,
            java.util.Set.of("observedGeneration", "templateRevision", "summary", "environments", "clusters", "canary"),
            java.util.Set.of(RENDERED, HEALTHY, SCAN_PASSED, CANARY_PROGRESSING), java.util.Set.of(), Optional.empty(),
            java.util.Set.of(), java.util.Set.of(HEALTHY, SCAN_PASSED), java.util.Set.of(CANARY_PROGRESSING));

    /** What is known of whether a target runs the Application healthy at its committed files. */
    enum Health { TRUE, FALSE, UNKNOWN;

        String wireName() {
            return switch (this) {
                case TRUE -> "True";
                case FALSE -> "False";
                case UNKNOWN -> "Unknown";
            };
        }
    }

    /**
     * One target cluster.
     *
     * @param committed the Application as the cluster's committed files hold it, if they hold it
     * @param commit the commit holding the cluster's files
     */
    record Target(ClusterId cluster, String environment, Optional<ClusterStatus.CommittedApplication> committed,
                  Optional<String> commit, Health health, String healthMessage) {

        Target {
            requireNonNull(committed, "committed is null");
            requireNonNull(commit, "commit is null");
        }
    }

    /**
     * What the decision needs of the Application; {@code lastCanary} is the step it last decided, {@code running} what
     * trivy-operator reports in the target clusters.
     */
    record Input(ObjectKey key, long generation, ApplicationSpec spec, Optional<AppTemplateRevision> template,
                 List<Target> targets, Map<String, ImageScans.Scan> scans, Map<ClusterId, List<ScanReport>> running,
                 Optional<ApplicationStatus.CanaryStatus> lastCanary, Instant now) {
    }

    /** The status to write and, while a canary step waits for its pause, when to look again. */
    record Decision(StatusWriter.Update update, Optional<Instant> wakeAt, boolean current) {
    }

    private ApplicationDecision() {
    }

    static Decision decide(Input input) {
        long generation = input.generation();
        ApplicationSpec spec = input.spec();
        List<Condition> conditions = new ArrayList<>();
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("observedGeneration", Json.MAPPER.getNodeFactory().numberNode(generation));
        // Rendered: every target's committed files hold this generation at the template's revision.
        List<String> lagging = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Target target : input.targets()) {
            Optional<ClusterStatus.CommittedApplication> committed = target.committed();
            committed.flatMap(ClusterStatus.CommittedApplication::renderFailure)
                    .ifPresent(failure -> failures.add(target.cluster() + ": " + failure));
            if (committed.isEmpty() || committed.get().generation() != generation || input.template().isEmpty()
                    || committed.get().templateRevision() != input.template().get().revision()
                    || committed.get().renderFailure().isPresent()) {
                lagging.add(target.cluster().toString());
            }
        }
        boolean current = input.template().isPresent() && !input.targets().isEmpty() && lagging.isEmpty();
        if (input.template().isEmpty()) {
            conditions.add(Condition.of(RENDERED, false, generation, "TemplateNotFound", "AppTemplate \"" + spec.template()
                    + "\" does not exist; the files last committed stay as they are"));
        } else if (input.targets().isEmpty()) {
            conditions.add(Condition.of(RENDERED, false, generation, "NoTargetClusters", "no cluster of team "
                    + input.key().namespace() + " is in " + String.join(", ", spec.environments().stream()
                    .map(ApplicationSpec.Environment::name).toList()) + " as spec.environments names them; check the "
                    + "clusters' environments and names (`kubectl get clusters -n " + input.key().namespace() + "`)"));
        } else if (!failures.isEmpty()) {
            conditions.add(Condition.of(RENDERED, false, generation, "RenderFailed", String.join("; ", failures)));
        } else if (!lagging.isEmpty()) {
            conditions.add(Condition.of(RENDERED, false, generation, "Pending", "waiting for the fleet repository to hold "
                    + "generation " + generation + " at template revision " + input.template().get().revision() + " in "
                    + named(lagging)));
        } else {
            conditions.add(Condition.of(RENDERED, true, generation, "Rendered", "the files of every target cluster ("
                    + input.targets().size() + ") hold generation " + generation + " at template revision "
                    + input.template().get().revision()));
        }
        if (input.template().isPresent() && lagging.isEmpty() && !input.targets().isEmpty()) {
            fields.put("templateRevision", Json.MAPPER.getNodeFactory().numberNode(input.template().get().revision()));
        } else {
            fields.put("templateRevision", NullNode.getInstance());
        }
        conditions.add(healthy(input, generation));
        conditions.add(scanPassed(input, generation));
        fields.put("environments", Json.MAPPER.valueToTree(environments(input)));
        fields.put("clusters", Json.MAPPER.valueToTree(input.targets().stream().map(target -> new ApplicationStatus.ClusterState(
                target.cluster().toString(), target.environment(),
                target.committed().map(ClusterStatus.CommittedApplication::image),
                target.committed().map(ClusterStatus.CommittedApplication::generation),
                target.committed().map(ClusterStatus.CommittedApplication::templateRevision), target.commit(),
                Optional.of(target.health().wireName()), Optional.of(target.healthMessage()))).toList()));
        long healthyCount = input.targets().stream().filter(target -> target.health() == Health.TRUE).count();
        fields.put("summary", Json.MAPPER.getNodeFactory().textNode(input.targets().isEmpty() ? "no clusters"
                : (input.targets().size() - lagging.size()) + "/" + input.targets().size() + " committed, " + healthyCount + "/"
                + input.targets().size() + " healthy"));
        Optional<Instant> wakeAt = Optional.empty();
        Optional<ApplicationSpec.Canary> canary = spec.delivery().flatMap(ApplicationSpec.Delivery::canary);
        if (canary.isPresent()) {
            CanaryStep step = canary(input, canary.get(), generation);
            fields.put("canary", Json.MAPPER.valueToTree(step.status()));
            conditions.add(step.condition());
            wakeAt = step.wakeAt();
        } else {
            fields.put("canary", NullNode.getInstance());
            conditions.add(Condition.of(CANARY_PROGRESSING, false, generation, "NoCanary", "spec.delivery.canary is not set"));
        }
        return new Decision(new StatusWriter.Update(input.key(), fields, conditions), wakeAt, current);
    }

    private static Condition healthy(Input input, long generation) {
        List<String> unhealthy = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Target target : input.targets()) {
            switch (target.health()) {
                case FALSE -> unhealthy.add(target.cluster() + " (" + target.healthMessage() + ")");
                case UNKNOWN -> unknown.add(target.cluster().toString());
                case TRUE -> { }
            }
        }
        if (input.targets().isEmpty()) {
            return Condition.of(HEALTHY, false, generation, "NoTargetClusters", "the application runs in no cluster");
        }
        if (!unhealthy.isEmpty()) {
            return Condition.of(HEALTHY, false, generation, "NotHealthy", named(unhealthy));
        }
        if (!unknown.isEmpty()) {
            return Condition.of(HEALTHY, Condition.ConditionStatus.UNKNOWN, generation, "HealthUnknown",
                    input.targets().getFirst().healthMessage());
        }
        return Condition.of(HEALTHY, true, generation, "Healthy", "every target cluster (" + input.targets().size()
                + ") applied its committed files and reports the application healthy");
    }

    /** Drift: an image running in a gated environment whose latest scan now has findings the gate blocks. */
    private static Condition scanPassed(Input input, long generation) {
        Optional<AppTemplateSpec> template = input.template().map(AppTemplateRevision::spec);
        List<String> problems = new ArrayList<>();
        boolean gated = false;
        for (ApplicationSpec.Environment environment : input.spec().environments()) {
            Optional<AppTemplateSpec.ScanGate> gate = template.flatMap(spec -> spec.scanGate(environment.name()));
            if (gate.isEmpty()) {
                continue;
            }
            gated = true;
            String image = input.spec().imageFor(environment.name());
            Optional<ImageScans.Scan> scan = ImageReference.parse(image).digest().map(input.scans()::get);
            if (scan.isEmpty()) {
                problems.add(environment.name() + ": no scan of " + image);
                continue;
            }
            List<ScanReport.Finding> blocking = scan.get().report().blockedBy(gate.get());
            if (!blocking.isEmpty()) {
                problems.add(environment.name() + ": " + image + " has " + blocking.size() + " finding(s) the gate blocks: "
                        + ScanReport.describe(blocking));
            }
        }
        // What trivy-operator finds in the images running in the gated environments' clusters.
        for (Target target : input.targets()) {
            Optional<AppTemplateSpec.ScanGate> gate = template.flatMap(spec -> spec.scanGate(target.environment()));
            Optional<String> digest = ImageReference.parse(input.spec().imageFor(target.environment())).digest();
            if (gate.isEmpty() || digest.isEmpty()) {
                continue;
            }
            for (ScanReport report : input.running().getOrDefault(target.cluster(), List.of())) {
                List<ScanReport.Finding> blocking = report.digests().contains(digest.get()) ? report.blockedBy(gate.get())
                        : List.of();
                if (!blocking.isEmpty()) {
                    problems.add(target.environment() + ": trivy-operator in " + target.cluster() + " reports "
                            + blocking.size() + " finding(s) the gate blocks in " + digest.get() + ": "
                            + ScanReport.describe(blocking));
                }
            }
        }
        if (!gated) {
            return Condition.of(SCAN_PASSED, true, generation, "NoScanGate", "no environment of the application has a scan gate");
        }
        if (!problems.isEmpty()) {
            return Condition.of(SCAN_PASSED, false, generation, "ImageVulnerable", String.join("; ", problems)
                    + "; build a fixed image, report its scan and set it");
        }
        return Condition.of(SCAN_PASSED, true, generation, "ScanPassed", "the latest scan of every gated environment's "
                + "image passes its gate");
    }

    private static List<ApplicationStatus.EnvironmentState> environments(Input input) {
        Optional<AppTemplateSpec> template = input.template().map(AppTemplateRevision::spec);
        List<ApplicationStatus.EnvironmentState> states = new ArrayList<>();
        for (ApplicationSpec.Environment environment : input.spec().environments()) {
            String image = input.spec().imageFor(environment.name());
            List<Target> targets = input.targets().stream().filter(target -> target.environment().equals(environment.name()))
                    .toList();
            Health health;
            String message;
            List<Target> notThere = targets.stream().filter(target -> target.committed().map(committed ->
                    !committed.image().equals(image)).orElse(true)).toList();
            if (targets.isEmpty()) {
                health = Health.FALSE;
                message = "no cluster of the team in " + environment.name() + " is targeted";
            } else if (!notThere.isEmpty()) {
                health = Health.FALSE;
                message = "not committed at " + image + " yet in " + named(notThere.stream().map(target -> target.cluster()
                        .toString()).toList());
            } else if (targets.stream().anyMatch(target -> target.health() == Health.FALSE)) {
                health = Health.FALSE;
                message = named(targets.stream().filter(target -> target.health() == Health.FALSE)
                        .map(target -> target.cluster() + " (" + target.healthMessage() + ")").toList());
            } else if (targets.stream().anyMatch(target -> target.health() == Health.UNKNOWN)) {
                health = Health.UNKNOWN;
                message = targets.getFirst().healthMessage();
            } else {
                health = Health.TRUE;
                message = targets.size() + " cluster(s) run " + image + " healthy";
            }
            Optional<String> scan = template.flatMap(spec -> spec.scanGate(environment.name())).map(gate ->
                    ImageReference.parse(image).digest().map(input.scans()::get).map(found -> {
                        List<ScanReport.Finding> blocking = found.report().blockedBy(gate);
                        return (blocking.isEmpty() ? "passed" : "blocked") + ": " + ScanReport.summary(found.report().counts())
                                + " (reported " + found.reportedAt() + ")";
                    }).orElse("no scan of the image's digest"));
            states.add(new ApplicationStatus.EnvironmentState(environment.name(), image, Optional.of(health.wireName()),
                    Optional.of(message), scan));
        }
        return states;
    }

    /** The canary's step, as a state machine over the spec's state, the last decision, the targets and the time. */
    private record CanaryStep(ApplicationStatus.CanaryStatus status, Condition condition, Optional<Instant> wakeAt) {
    }

    private static CanaryStep canary(Input input, ApplicationSpec.Canary canary, long generation) {
        int last = canary.steps().size() - 1;
        Optional<ApplicationStatus.CanaryStatus> before = input.lastCanary();
        int step = before.map(ApplicationStatus.CanaryStatus::step).map(index -> Math.min(index, last)).orElse(0);
        Instant startedAt = before.flatMap(ApplicationStatus.CanaryStatus::stepStartedAt).map(Instant::parse).orElse(input.now());
        if (before.map(status -> status.phase().equals("Aborted")).orElse(false)
                && canary.effectiveState() != ApplicationSpec.CanaryState.ABORTED) {
            // Resumed after an abort: from the first step again.
            step = 0;
            startedAt = input.now();
        }
        List<Target> canaryTargets = input.targets().stream().filter(target -> target.environment().equals(canary.environment()))
                .toList();
        switch (canary.effectiveState()) {
            case ABORTED -> {
                return new CanaryStep(new ApplicationStatus.CanaryStatus(step, 0, "Aborted", Optional.of(startedAt.toString()),
                        Optional.of("aborted: all traffic goes to the legacy target group")),
                        Condition.of(CANARY_PROGRESSING, false, generation, "Aborted", "the canary was aborted; set "
                                + "spec.delivery.canary.state to Running (drover app canary resume) to start again from step 0"),
                        Optional.empty());
            }
            case PAUSED -> {
                int weight = canary.steps().get(step).weight();
                return new CanaryStep(new ApplicationStatus.CanaryStatus(step, weight, "Paused", Optional.of(startedAt.toString()),
                        Optional.of("paused at " + weight + "%")),
                        Condition.of(CANARY_PROGRESSING, false, generation, "Paused", "paused at step " + step + " (" + weight
                                + "% to the Service); resume with `drover app canary resume`"), Optional.empty());
            }
            case RUNNING -> {
                int weight = canary.steps().get(step).weight();
                if (step == last) {
                    return new CanaryStep(new ApplicationStatus.CanaryStatus(step, weight, "Completed",
                            Optional.of(startedAt.toString()), Optional.of("at the last step: " + weight + "% to the Service")),
                            Condition.of(CANARY_PROGRESSING, false, generation, "Completed", "the last step (" + weight
                                    + "% to the Service) is reached"), Optional.empty());
                }
                Instant due = startedAt.plus(canary.steps().get(step).pauseDuration());
                final int current = step;
                List<String> waiting = canaryTargets.stream().filter(target -> target.committed()
                        .flatMap(ClusterStatus.CommittedApplication::canaryWeight).map(committed -> committed != weight)
                        .orElse(true)).map(target -> target.cluster() + " (weight not committed yet)").toList();
                List<String> unhealthy = canaryTargets.stream().filter(target -> target.health() == Health.FALSE)
                        .map(target -> target.cluster() + " (" + target.healthMessage() + ")").toList();
                String message;
                Optional<Instant> wakeAt = Optional.empty();
                if (canaryTargets.isEmpty()) {
                    message = "no cluster of " + canary.environment() + " takes the canary";
                } else if (!waiting.isEmpty() || !unhealthy.isEmpty()) {
                    List<String> reasons = new ArrayList<>(waiting);
                    reasons.addAll(unhealthy);
                    message = "step " + current + " (" + weight + "%) waits for " + named(reasons);
                } else if (!input.now().isBefore(due)) {
                    int next = current + 1;
                    int nextWeight = canary.steps().get(next).weight();
                    return new CanaryStep(new ApplicationStatus.CanaryStatus(next, nextWeight, next == last ? "Completed"
                            : "Progressing", Optional.of(input.now().toString()), Optional.of("moved to step " + next + ": "
                            + nextWeight + "% to the Service")),
                            Condition.of(CANARY_PROGRESSING, next != last, generation, next == last ? "Completed" : "Progressing",
                                    "step " + next + " of " + last + ": " + nextWeight + "% to the Service"),
                            next == last ? Optional.empty() : Optional.of(input.now().plus(canary.steps().get(next).pauseDuration())));
                } else {
                    message = "step " + current + " (" + weight + "%) until " + due;
                    wakeAt = Optional.of(due);
                }
                if (wakeAt.isEmpty()) {
                    // Look again soon: the weight's commit or the clusters' health will change.
                    wakeAt = Optional.of(input.now().plusSeconds(30));
                }
                return new CanaryStep(new ApplicationStatus.CanaryStatus(current, weight, "Progressing",
                        Optional.of(startedAt.toString()), Optional.of(message)),
                        Condition.of(CANARY_PROGRESSING, true, generation, "Progressing", message), wakeAt);
            }
            default -> throw new IllegalStateException(canary.effectiveState().toString());
        }
    }

    private static String named(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(5, names.size())))
                + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }
}
