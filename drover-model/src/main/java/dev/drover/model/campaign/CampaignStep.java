package dev.drover.model.campaign;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.CampaignStatus;
import dev.drover.model.api.CampaignStatus.ClusterProgress;
import dev.drover.model.api.CampaignStatus.ClusterState;
import dev.drover.model.api.CampaignStatus.Phase;
import dev.drover.model.api.CampaignStatus.StageState;
import dev.drover.model.api.CampaignStatus.StageStatus;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.environment.MaintenanceWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One step of a campaign's state machine, pure: from the campaign, the status it last wrote and the fleet as observed
 * now, each cluster makes at most one transition (Pending → Updating → Succeeded or Failed, and Failed → Pending on a
 * retry), each stage at most one (Waiting → AwaitingApproval → Progressing → Baking → Completed), and the campaign
 * gets its phase, counts, ETA and straggler report. What to change on which Cluster is returned as actions, for the
 * controller to write through the public write path.
 */
public final class CampaignStep {

    public static final String PROGRESSING = "Progressing";
    public static final String PAUSED = "Paused";
    public static final String COMPLETED = "Completed";
    /** How far the planned ETA may move before the status says so. */
    static final Duration ETA_SLACK = Duration.ofMinutes(15);

    /** A change to one Cluster (team/name). */
    public sealed interface Action {
        String cluster();
    }

    /** Move the Cluster's spec.kubernetesVersion to the version, labelled with the campaign. */
    public record Start(String cluster, String version) implements Action {
    }

    /** Remove the campaign's label from a Cluster that is done. */
    public record Release(String cluster) implements Action {
    }

    /** What a campaign sees of the fleet: every Cluster, the flavors and Teams by name. */
    public record Fleet(List<FleetCluster> clusters, Map<String, ClusterFlavorSpec> flavors, Map<String, TeamSpec> teams) {
        public Fleet {
            clusters = List.copyOf(clusters);
            flavors = Map.copyOf(flavors);
            teams = Map.copyOf(teams);
        }
    }

    /** A cluster that started, or finished one way or another, in this step: news for the campaign's Events. */
    public record Transition(String cluster, ClusterState to, String reason, String message) {
    }

    /**
     * @param due when the outcome next changes by the clock alone (a window opens, a bake ends, a gate times out)
     */
    public record Outcome(CampaignStatus status, List<Action> actions, Optional<Instant> due, CampaignPlan.Plan plan,
                          List<Transition> transitions) {
        public Outcome {
            requireNonNull(status, "status is null");
            actions = List.copyOf(actions);
            requireNonNull(due, "due is null");
            requireNonNull(plan, "plan is null");
            transitions = List.copyOf(transitions);
        }
    }

    private final String name;
    private final long generation;
    private final CampaignSpec spec;
    private final CampaignStatus previous;
    private final Fleet fleet;
    private final Map<String, String> refusals;
    private final Instant now;
    private final Map<String, FleetCluster> byName;
    private final List<Action> actions = new ArrayList<>();
    private Instant due = Instant.MAX;

    private CampaignStep(String name, long generation, CampaignSpec spec, CampaignStatus previous, Fleet fleet,
                         Map<String, String> refusals, Instant now) {
        this.name = name;
        this.generation = generation;
        this.spec = spec;
        this.previous = previous;
        this.fleet = fleet;
        this.refusals = refusals;
        this.now = now;
        this.byName = fleet.clusters().stream().collect(Collectors.toMap(FleetCluster::name, Function.identity()));
    }

    /**
     * @param previous the status the controller last wrote (empty for a new campaign, or for a plan)
     * @param refusals clusters whose last change the write path refused, with its message
     */
    public static Outcome decide(String name, long generation, CampaignSpec spec, CampaignStatus previous, Fleet fleet,
                                 Map<String, String> refusals, Instant now) {
        return new CampaignStep(name, generation, spec, previous, fleet, refusals, now).decide();
    }

    /** A stored status as the step reads it: empty for a campaign that has none yet. */
    public static CampaignStatus lastWritten(com.fasterxml.jackson.databind.JsonNode status) {
        return dev.drover.model.schema.Json.bind(status.isObject() ? status : dev.drover.model.schema.Json.MAPPER.createObjectNode(),
                CampaignStatus.class);
    }

    private Outcome decide() {
        Map<String, ClusterProgress> before = previous.clusters().stream()
                .collect(Collectors.toMap(ClusterProgress::name, Function.identity()));
        var names = new TreeSet<>(before.keySet());
        fleet.clusters().stream().filter(cluster -> CampaignScope.selects(spec, cluster.labels())).map(FleetCluster::name)
                .forEach(names::add);
        Map<String, ClusterProgress> progress = new LinkedHashMap<>();
        for (String cluster : names) {
            transition(cluster, Optional.ofNullable(before.get(cluster))).ifPresent(next -> progress.put(cluster, next));
        }
        List<StageStatus> stages = stages(progress);
        Optional<StageStatus> current = stages.stream().filter(stage -> stage.state() != StageState.COMPLETED).findFirst();
        List<String> failed = progress.values().stream()
                .filter(cluster -> cluster.state() == ClusterState.FAILED && !spec.acceptedFailures().contains(cluster.name()))
                .map(ClusterProgress::name).toList();
        Phase phase = spec.aborted().orElse(false) ? Phase.ABORTED
                : current.isEmpty() ? Phase.COMPLETED
                : failed.size() > spec.maxFailures().orElse(0) || spec.paused().orElse(false) ? Phase.PAUSED
                : Phase.PROGRESSING;
        // One transition per reconcile: only a cluster that was Pending before this step starts in it.
        java.util.Set<String> wasPending = before.values().stream().filter(cluster -> cluster.state() == ClusterState.PENDING)
                .map(ClusterProgress::name).collect(Collectors.toSet());
        current.filter(stage -> phase == Phase.PROGRESSING && stage.state() == StageState.PROGRESSING)
                .ifPresent(stage -> start(stage, progress, wasPending));
        holdPending(stages, phase, progress);
        CampaignPlan.Plan plan = plan(stages, progress);
        Optional<String> startedAt = previous.startedAt().or(() -> progress.values().stream()
                .anyMatch(cluster -> cluster.state() == ClusterState.UPDATING) ? Optional.of(now.toString()) : Optional.empty());
        Optional<String> finishedAt = phase == Phase.COMPLETED || phase == Phase.ABORTED
                ? previous.finishedAt().or(() -> Optional.of(now.toString())) : Optional.empty();
        CampaignStatus.Counts counts = counts(progress.values());
        var status = new CampaignStatus(Optional.of(generation), Optional.of(phase), Optional.of(summary(counts)),
                current.map(StageStatus::name), startedAt, finishedAt,
                phase == Phase.PROGRESSING || phase == Phase.PAUSED ? eta(plan.eta()) : Optional.empty(), Optional.of(counts),
                stages, List.copyOf(progress.values()), stragglers(progress.values(), plan, phase),
                conditions(phase, current, failed, progress.values()));
        List<Transition> transitions = progress.values().stream()
                .filter(cluster -> cluster.state() != ClusterState.PENDING && cluster.state() != ClusterState.EXCLUDED)
                .filter(cluster -> Optional.ofNullable(before.get(cluster.name())).map(ClusterProgress::state).orElse(null) != cluster.state())
                .map(cluster -> new Transition(cluster.name(), cluster.state(), cluster.reason().orElse(""), cluster.message().orElse("")))
                .toList();
        return new Outcome(status, actions, due == Instant.MAX ? Optional.empty() : Optional.of(due), plan, transitions);
    }

    /**
     * The plan's ETA, or the one written before while the two are within {@link #ETA_SLACK}: a plan from now moves with
     * the clock while clusters wait for a slot or a paused campaign waits, and the status is not rewritten for that.
     */
    private Optional<String> eta(Optional<String> planned) {
        return previous.eta().filter(before -> planned.map(Instant::parse).filter(after ->
                Duration.between(Instant.parse(before), after).abs().compareTo(ETA_SLACK) < 0).isPresent()).or(() -> planned);
    }

    /** The cluster's one transition; empty for a Cluster the campaign does not take and never took. */
    private Optional<ClusterProgress> transition(String cluster, Optional<ClusterProgress> was) {
        FleetCluster observed = byName.get(cluster);
        if (observed == null || observed.deleting()) {
            // A cluster done with the campaign keeps its outcome; one still in it is gone.
            return was.map(progress -> progress.state().finished() ? progress
                    : with(progress, ClusterState.DELETED, "ClusterDeleted", "the Cluster was deleted while the campaign ran"));
        }
        boolean skipped = spec.skip().contains(cluster);
        boolean reconsider = was.filter(progress -> progress.state() == ClusterState.EXCLUDED
                || (progress.state() == ClusterState.SKIPPED && progress.reason().orElse("").equals("SkippedByOperator") && !skipped))
                .isPresent();
        boolean selected = CampaignScope.selects(spec, observed.labels());
        if (was.isEmpty() || reconsider) {
            return selected ? Optional.of(initial(observed, was)) : was;
        }
        ClusterProgress progress = was.get();
        return Optional.of(switch (progress.state()) {
            case PENDING -> skipped ? with(progress, ClusterState.SKIPPED, "SkippedByOperator", "named in spec.skip")
                    : !selected ? with(progress, ClusterState.EXCLUDED, "NoLongerSelected", "its labels no longer match spec.selector")
                    : progress;
            case UPDATING -> updating(observed, progress, skipped);
            case FAILED -> retry(progress, skipped);
            case SUCCEEDED -> baking(progress) ? HealthGate.turnedUnhealthy(observed)
                    .map(why -> with(progress, ClusterState.FAILED, "UnhealthyWhileBaking", why)).orElse(progress) : progress;
            default -> progress;
        });
    }

    /** A cluster done with the campaign (for now: a retry starts it again) loses the campaign's label. */
    private void release(FleetCluster cluster) {
        if (cluster.labels().containsKey(Kinds.CAMPAIGN_LABEL)) {
            actions.add(new Release(cluster.name()));
        }
    }

    /** Whether the cluster's stage bakes now: its clusters must stay healthy until the bake time ends. */
    private boolean baking(ClusterProgress progress) {
        return progress.stage().flatMap(stage -> previous.stages().stream().filter(each -> each.name().equals(stage)).findFirst())
                .filter(stage -> stage.state() == StageState.BAKING).isPresent();
    }

    private ClusterProgress initial(FleetCluster cluster, Optional<ClusterProgress> was) {
        ClusterProgress blank = new ClusterProgress(cluster.name(), Optional.empty(), ClusterState.PENDING, Optional.of(now.toString()),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        ClusterProgress start = was.orElse(blank);
        ClusterFlavorSpec flavor = fleet.flavors().get(cluster.spec().flavor());
        if (flavor == null) {
            return with(start, ClusterState.SKIPPED, "FlavorNotFound", "its flavor \"" + cluster.spec().flavor() + "\" does not exist");
        }
        Optional<CampaignSpec.Stage> stage = CampaignScope.stageOf(spec, cluster.spec(), cluster.labels());
        if (stage.isEmpty()) {
            return with(start, ClusterState.EXCLUDED, "NoStage", "no stage takes environment \"" + cluster.spec().environment()
                    + "\" with its labels");
        }
        String current = current(cluster, flavor);
        ClusterProgress staged = new ClusterProgress(cluster.name(), Optional.of(stage.get().name()), start.state(), start.since(),
                Optional.empty(), Optional.empty(), Optional.of(current), Optional.empty(), Optional.empty(),
                Optional.of(start.attempt().orElse(1)), Optional.empty(), Optional.empty());
        if (spec.skip().contains(cluster.name())) {
            return with(staged, ClusterState.SKIPPED, "SkippedByOperator", "named in spec.skip");
        }
        return switch (target(cluster, flavor)) {
            case CampaignTargets.NoGoal none -> with(staged, ClusterState.SKIPPED, none.reason(), none.message());
            case CampaignTargets.Goal goal when goal.goal().equals(current) ->
                    withTo(with(staged, ClusterState.SUCCEEDED, "AlreadyAtTarget", "runs " + current + " already"), goal.goal());
            case CampaignTargets.Goal goal -> withTo(with(staged, ClusterState.PENDING, "WaitingForStage", "waits for stage "
                    + stage.get().name()), goal.goal());
        };
    }

    private ClusterProgress updating(FleetCluster cluster, ClusterProgress progress, boolean skipped) {
        String step = progress.step().orElseThrow();
        if (skipped) {
            release(cluster);
            return with(progress, ClusterState.SKIPPED, "SkippedInFlight", "named in spec.skip while its change to " + step
                    + " was in flight; that change is committed and is not rolled back");
        }
        String refused = refusals.get(cluster.name());
        if (refused != null) {
            release(cluster);
            return with(progress, ClusterState.FAILED, "Refused", "moving kubernetesVersion to " + step + " was refused: " + refused);
        }
        HealthGate.Verdict verdict = HealthGate.judge(cluster, step, progress.baseCommit());
        if (verdict.passed()) {
            if (step.equals(progress.to().orElse(step))) {
                release(cluster);
                return with(progress, ClusterState.SUCCEEDED, "HealthGatePassed", verdict.message());
            }
            return with(progress, ClusterState.PENDING, "StepDone", "at " + step + " on the way to " + progress.to().orElse("")
                    + " (" + verdict.message() + "); the next minor follows");
        }
        Instant since = Instant.parse(progress.since().orElseThrow());
        Instant timeout = since.plus(CampaignScope.updateTimeout(spec));
        if (!now.isBefore(timeout)) {
            release(cluster);
            return with(progress, ClusterState.FAILED, "HealthGateTimeout", "not healthy at " + step + " within "
                    + spec.updateTimeout().orElse("2h") + " of its change: " + verdict.message());
        }
        due(timeout);
        return message(progress, "WaitingForHealthGate", verdict.message());
    }

    private ClusterProgress retry(ClusterProgress progress, boolean skipped) {
        if (skipped) {
            return with(progress, ClusterState.SKIPPED, "SkippedByOperator", "named in spec.skip after it failed: "
                    + progress.message().orElse(""));
        }
        int attempt = progress.attempt().orElse(1);
        return spec.retries().stream().filter(retry -> retry.cluster().equals(progress.name()) && retry.attempt() > attempt)
                .findFirst().map(retry -> withAttempt(with(progress, ClusterState.PENDING, "Retry", "attempt " + retry.attempt()
                        + " after: " + progress.message().orElse("")), retry.attempt()))
                .orElse(progress);
    }

    /** Starts the stage's pending clusters whose window is open, as many as its free slots allow. */
    private void start(StageStatus stage, Map<String, ClusterProgress> progress, java.util.Set<String> wasPending) {
        List<ClusterProgress> members = progress.values().stream().filter(cluster -> cluster.stage().equals(Optional.of(stage.name())))
                .toList();
        int slots = stage.maxConcurrent() - (int) members.stream().filter(cluster -> cluster.state() == ClusterState.UPDATING).count();
        Map<String, Instant> opens = new HashMap<>();
        for (ClusterProgress member : members) {
            if (member.state() == ClusterState.PENDING) {
                windows(byName.get(member.name())).ifPresentOrElse(
                        windows -> windows.nextOpen(now).ifPresent(at -> opens.put(member.name(), at)),
                        () -> opens.put(member.name(), now));
            }
        }
        if (members.stream().anyMatch(cluster -> cluster.state() == ClusterState.PENDING && !wasPending.contains(cluster.name()))) {
            due(now);
        }
        List<ClusterProgress> pending = members.stream()
                .filter(cluster -> cluster.state() == ClusterState.PENDING && wasPending.contains(cluster.name()))
                .sorted(Comparator.comparing((ClusterProgress cluster) -> opens.getOrDefault(cluster.name(), Instant.MAX))
                        .thenComparing(ClusterProgress::name)).toList();
        for (ClusterProgress member : pending) {
            FleetCluster cluster = byName.get(member.name());
            ClusterFlavorSpec flavor = fleet.flavors().get(cluster.spec().flavor());
            String current = current(cluster, flavor);
            Optional<Instant> opensAt = Optional.ofNullable(opens.get(member.name()));
            ClusterProgress next;
            CampaignTargets.Target target = target(cluster, flavor);
            if (target instanceof CampaignTargets.NoGoal none) {
                next = with(member, ClusterState.SKIPPED, none.reason(), none.message());
                release(cluster);
            } else if (((CampaignTargets.Goal) target).goal().equals(current)) {
                next = with(member, ClusterState.SUCCEEDED, "AlreadyAtTarget", "runs " + current + " already");
                release(cluster);
            } else if (opensAt.filter(now::equals).isEmpty()) {
                opensAt.ifPresent(this::due);
                next = withWindow(message(member, "WaitingForWindow", opensAt.map(at -> "waits for its maintenance window, set by "
                        + windows(cluster).orElseThrow().setBy() + " (opens " + at + ")")
                        .orElse("no maintenance window of it opens within a week")), opensAt);
            } else if (slots <= 0) {
                next = withWindow(message(member, "WaitingForSlot", "its window is open; " + stage.maxConcurrent() + " of stage "
                        + stage.name() + "'s clusters update at once and all slots are taken"), Optional.empty());
            } else {
                slots--;
                String step = ((CampaignTargets.Goal) target).step();
                actions.add(new Start(cluster.name(), step));
                next = new ClusterProgress(member.name(), member.stage(), ClusterState.UPDATING, Optional.of(now.toString()),
                        Optional.of("Started"), Optional.of("kubernetesVersion " + current + " → " + step + " (attempt "
                        + member.attempt().orElse(1) + ")"), member.from(), Optional.of(((CampaignTargets.Goal) target).goal()),
                        Optional.of(step), member.attempt(), Optional.empty(),
                        Optional.of(cluster.status().get().path("git").path("commit").asText("")).filter(commit -> !commit.isEmpty()));
                due(now.plus(CampaignScope.updateTimeout(spec)));
            }
            progress.put(member.name(), next);
        }
    }

    /** Says why the pending clusters outside the stage in progress wait. */
    private void holdPending(List<StageStatus> stages, Phase phase, Map<String, ClusterProgress> progress) {
        Map<String, StageStatus> byStage = stages.stream().collect(Collectors.toMap(StageStatus::name, Function.identity()));
        progress.replaceAll((cluster, member) -> {
            if (member.state() != ClusterState.PENDING || member.stage().isEmpty()) {
                return member;
            }
            if (phase == Phase.ABORTED) {
                return message(member, "Aborted", "the campaign was aborted before it started");
            }
            StageStatus stage = byStage.get(member.stage().get());
            return switch (stage.state()) {
                case WAITING -> message(member, "WaitingForStage", "waits for the stages before " + stage.name());
                case AWAITING_APPROVAL -> message(member, "WaitingForApproval", "stage " + stage.name() + " waits for approval: "
                        + "drover campaign approve " + name + " " + stage.name());
                default -> phase == Phase.PAUSED && !member.reason().orElse("").equals("WaitingForWindow")
                        ? message(member, "Paused", "the campaign is paused") : member;
            };
        });
    }

    private List<StageStatus> stages(Map<String, ClusterProgress> progress) {
        Map<String, StageStatus> before = previous.stages().stream().collect(Collectors.toMap(StageStatus::name, Function.identity()));
        List<StageStatus> stages = new ArrayList<>();
        boolean earlierDone = true;
        for (CampaignSpec.Stage stage : spec.stages()) {
            List<ClusterProgress> members = progress.values().stream()
                    .filter(cluster -> cluster.stage().equals(Optional.of(stage.name()))).toList();
            int done = (int) members.stream().filter(cluster -> cluster.state().finished()).count();
            boolean complete = members.stream().allMatch(cluster -> cluster.state().finished()
                    && (cluster.state() != ClusterState.FAILED || spec.acceptedFailures().contains(cluster.name())));
            Optional<StageStatus> was = Optional.ofNullable(before.get(stage.name()));
            StageState wasState = was.map(StageStatus::state).orElse(StageState.WAITING);
            StageState state;
            Optional<String> bakedUntil = Optional.empty();
            if (!earlierDone) {
                state = StageState.WAITING;
            } else if (complete && wasState == StageState.COMPLETED) {
                state = StageState.COMPLETED;
            } else if (complete && wasState == StageState.BAKING) {
                bakedUntil = was.flatMap(StageStatus::bakedUntil);
                boolean baked = bakedUntil.map(Instant::parse).filter(now::isBefore).isEmpty();
                state = baked ? StageState.COMPLETED : StageState.BAKING;
                bakedUntil.map(Instant::parse).filter(now::isBefore).ifPresent(this::due);
                bakedUntil = baked ? Optional.empty() : bakedUntil;
            } else if (complete) {
                boolean bakes = !CampaignScope.bake(stage).isZero() && !members.isEmpty();
                state = bakes ? StageState.BAKING : StageState.COMPLETED;
                bakedUntil = bakes ? Optional.of(now.plus(CampaignScope.bake(stage)).toString()) : Optional.empty();
                bakedUntil.map(Instant::parse).ifPresent(this::due);
            } else if (stage.requiresApproval().orElse(false) && !spec.approvedStages().contains(stage.name())) {
                state = StageState.AWAITING_APPROVAL;
            } else {
                state = StageState.PROGRESSING;
            }
            Optional<String> since = wasState == state ? was.flatMap(StageStatus::since) : Optional.of(now.toString());
            stages.add(new StageStatus(stage.name(), state, since, bakedUntil, members.size(), done,
                    CampaignScope.maxConcurrent(stage, members.size())));
            earlierDone = state == StageState.COMPLETED;
        }
        return stages;
    }

    private CampaignPlan.Plan plan(List<StageStatus> stages, Map<String, ClusterProgress> progress) {
        List<CampaignPlan.Stage> planned = stages.stream().map(stage -> new CampaignPlan.Stage(stage.name(), stage.maxConcurrent(),
                CampaignScope.bake(spec.stages().stream().filter(each -> each.name().equals(stage.name())).findFirst().orElseThrow()),
                stage.state() == StageState.AWAITING_APPROVAL || (stage.state() == StageState.WAITING
                        && spec.stages().stream().anyMatch(each -> each.name().equals(stage.name())
                        && each.requiresApproval().orElse(false) && !spec.approvedStages().contains(each.name()))),
                stage.bakedUntil().map(Instant::parse))).toList();
        List<CampaignPlan.Member> members = progress.values().stream().filter(member -> member.stage().isPresent())
                .map(member -> new CampaignPlan.Member(member.name(), member.stage().get(), switch (member.state()) {
                    case PENDING -> CampaignPlan.Progress.PENDING;
                    case UPDATING -> CampaignPlan.Progress.UPDATING;
                    default -> CampaignPlan.Progress.FINISHED;
                }, member.since().filter(since -> member.state() == ClusterState.UPDATING).map(Instant::parse),
                        Optional.ofNullable(byName.get(member.name())).flatMap(this::windows)))
                .toList();
        return CampaignPlan.plan(planned, members, now, CampaignScope.expectedDuration(spec), spec.deadline().map(Instant::parse));
    }

    private List<CampaignStatus.Straggler> stragglers(java.util.Collection<ClusterProgress> progress, CampaignPlan.Plan plan,
                                                      Phase phase) {
        Map<String, CampaignPlan.ClusterPlan> planned = plan.clusters().stream()
                .collect(Collectors.toMap(CampaignPlan.ClusterPlan::name, Function.identity()));
        List<CampaignStatus.Straggler> stragglers = new ArrayList<>();
        for (ClusterProgress cluster : progress) {
            String message = cluster.message().orElse("");
            Optional<String> reason = switch (cluster.state()) {
                case FAILED -> Optional.of(cluster.reason().orElse("").equals("Refused") ? "Refused" : "HealthGateFailing");
                case SKIPPED -> Optional.of("Skipped");
                case EXCLUDED -> Optional.of("Excluded");
                case DELETED -> Optional.of("Deleted");
                case PENDING -> phase == Phase.ABORTED ? Optional.of("Aborted") : Optional.empty();
                default -> Optional.empty();
            };
            if (reason.isEmpty() && phase != Phase.ABORTED && plan.late().contains(cluster.name())) {
                CampaignPlan.ClusterPlan late = planned.get(cluster.name());
                reason = Optional.of("NoWindowBeforeDeadline");
                message = late == null || late.finish().isEmpty() ? "no maintenance window of it opens within a week"
                        : "expected done at " + late.finish().get() + ", after the deadline " + spec.deadline().orElse("");
            }
            String shown = message;
            reason.ifPresent(why -> stragglers.add(new CampaignStatus.Straggler(cluster.name(), why, shown)));
        }
        return stragglers;
    }

    private List<Condition> conditions(Phase phase, Optional<StageStatus> current, List<String> failed,
                                       java.util.Collection<ClusterProgress> progress) {
        long updating = progress.stream().filter(cluster -> cluster.state() == ClusterState.UPDATING).count();
        String inFlight = updating == 0 ? "none in flight" : updating + " in flight (" + progress.stream()
                .filter(cluster -> cluster.state() == ClusterState.UPDATING).map(ClusterProgress::name).limit(10)
                .collect(Collectors.joining(", ")) + (updating > 10 ? ", ..." : "") + "), which finish their update; nothing "
                + "is rolled back";
        Condition progressing = switch (phase) {
            case PROGRESSING -> Condition.of(PROGRESSING, true, generation, "Progressing", "stage " + current.map(StageStatus::name)
                    .orElse("") + (current.map(StageStatus::state).orElse(null) == StageState.AWAITING_APPROVAL
                    ? " awaits approval: drover campaign approve " + name + " " + current.get().name() : " in progress"));
            case PAUSED -> Condition.of(PROGRESSING, false, generation, "Paused", "no cluster starts while paused; " + inFlight);
            case COMPLETED -> Condition.of(PROGRESSING, false, generation, "Completed", "every stage is completed");
            case ABORTED -> Condition.of(PROGRESSING, false, generation, "Aborted", "aborted: no cluster starts any more; " + inFlight);
        };
        Condition paused;
        if (phase == Phase.PAUSED && failed.size() > spec.maxFailures().orElse(0)) {
            paused = Condition.of(PAUSED, true, generation, "TooManyFailures", failed.size() + " failed (" + String.join(", ",
                    failed.size() > 10 ? failed.subList(0, 10) : failed) + "), more than maxFailures " + spec.maxFailures().orElse(0)
                    + "; retry or skip them, or accept them and go on with drover campaign resume " + name);
        } else if (phase == Phase.PAUSED) {
            paused = Condition.of(PAUSED, true, generation, "PausedByOperator", "spec.paused is set; " + inFlight);
        } else {
            paused = Condition.of(PAUSED, false, generation, "NotPaused", "the campaign is not paused");
        }
        Condition completed = Condition.of(COMPLETED, phase == Phase.COMPLETED, generation, switch (phase) {
            case COMPLETED -> "AllStagesCompleted";
            case ABORTED -> "Aborted";
            default -> "InProgress";
        }, phase == Phase.COMPLETED ? "every stage is completed" : current.map(stage -> "stage " + stage.name() + " is "
                + stage.state().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).orElse("aborted"));
        return List.of(progressing, paused, completed);
    }

    private static CampaignStatus.Counts counts(java.util.Collection<ClusterProgress> progress) {
        Map<ClusterState, Integer> counts = new HashMap<>();
        progress.forEach(cluster -> counts.merge(cluster.state(), 1, Integer::sum));
        return new CampaignStatus.Counts(progress.size(), counts.getOrDefault(ClusterState.PENDING, 0),
                counts.getOrDefault(ClusterState.UPDATING, 0), counts.getOrDefault(ClusterState.SUCCEEDED, 0),
                counts.getOrDefault(ClusterState.FAILED, 0), counts.getOrDefault(ClusterState.SKIPPED, 0),
                counts.getOrDefault(ClusterState.EXCLUDED, 0), counts.getOrDefault(ClusterState.DELETED, 0));
    }

    private static String summary(CampaignStatus.Counts counts) {
        int staged = counts.total() - counts.excluded();
        var summary = new StringBuilder().append(counts.succeeded()).append('/').append(staged).append(" succeeded");
        if (counts.updating() > 0) {
            summary.append(", ").append(counts.updating()).append(" updating");
        }
        if (counts.failed() > 0) {
            summary.append(", ").append(counts.failed()).append(" failed");
        }
        if (counts.skipped() > 0) {
            summary.append(", ").append(counts.skipped()).append(" skipped");
        }
        return summary.toString();
    }

    private CampaignTargets.Target target(FleetCluster cluster, ClusterFlavorSpec flavor) {
        return CampaignTargets.of(spec.change(), current(cluster, flavor), cluster.spec().flavor(), flavor,
                cluster.spec().allowPreviewVersion().orElse(false), now);
    }

    private static String current(FleetCluster cluster, ClusterFlavorSpec flavor) {
        return cluster.spec().kubernetesVersion().orElse(flavor.kubernetesVersions().defaultVersion());
    }

    private Optional<MaintenanceWindows.Source> windows(FleetCluster cluster) {
        ClusterFlavorSpec flavor = fleet.flavors().get(cluster.spec().flavor());
        return flavor == null ? Optional.empty() : CampaignScope.windows(cluster.spec(), cluster.team(),
                Optional.ofNullable(fleet.teams().get(cluster.team())), cluster.spec().flavor(), flavor);
    }

    private void due(Instant at) {
        if (at.isBefore(due)) {
            due = at;
        }
    }

    /** The progress in a new state since now (unchanged since when the state is the same), with why. */
    private ClusterProgress with(ClusterProgress progress, ClusterState state, String reason, String message) {
        Optional<String> since = progress.state() == state && progress.since().isPresent() ? progress.since() : Optional.of(now.toString());
        return new ClusterProgress(progress.name(), progress.stage(), state, since, Optional.of(reason), Optional.of(message),
                progress.from(), progress.to(), state == ClusterState.UPDATING ? progress.step() : Optional.empty(),
                progress.attempt(), Optional.empty(), state == ClusterState.UPDATING ? progress.baseCommit() : Optional.empty());
    }

    private static ClusterProgress message(ClusterProgress progress, String reason, String message) {
        return new ClusterProgress(progress.name(), progress.stage(), progress.state(), progress.since(), Optional.of(reason),
                Optional.of(message), progress.from(), progress.to(), progress.step(), progress.attempt(), progress.windowOpens(),
                progress.baseCommit());
    }

    private static ClusterProgress withTo(ClusterProgress progress, String to) {
        return new ClusterProgress(progress.name(), progress.stage(), progress.state(), progress.since(), progress.reason(),
                progress.message(), progress.from(), Optional.of(to), progress.step(), progress.attempt(), progress.windowOpens(),
                progress.baseCommit());
    }

    private static ClusterProgress withAttempt(ClusterProgress progress, int attempt) {
        return new ClusterProgress(progress.name(), progress.stage(), progress.state(), progress.since(), progress.reason(),
                progress.message(), progress.from(), progress.to(), progress.step(), Optional.of(attempt), progress.windowOpens(),
                progress.baseCommit());
    }

    private static ClusterProgress withWindow(ClusterProgress progress, Optional<Instant> opens) {
        return new ClusterProgress(progress.name(), progress.stage(), progress.state(), progress.since(), progress.reason(),
                progress.message(), progress.from(), progress.to(), progress.step(), progress.attempt(),
                opens.map(Instant::toString), progress.baseCommit());
    }
}
