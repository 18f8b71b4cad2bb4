package dev.drover.model.campaign;

import static java.util.Objects.requireNonNull;

import dev.drover.model.environment.MaintenanceWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * When each cluster of a campaign is expected to start and finish, from now on: stage after stage, each after the one
 * before it is done and baked, at most {@code maxConcurrent} clusters of a stage at a time, each starting only inside
 * its maintenance window (clusters whose window is open first, then those whose window opens soonest) and taking the
 * expected update duration. Approvals are assumed given when due. Pure; the controller's ETA and the API's plan.
 */
public final class CampaignPlan {

    /** A cluster as the plan sees it. */
    public enum Progress { PENDING, UPDATING, FINISHED }

    /**
     * One cluster.
     *
     * @param windows its maintenance windows; empty when it may start any time (none apply, or spec.maintenance.immediate)
     * @param since while updating: when it started
     */
    public record Member(String name, String stage, Progress progress, Optional<Instant> since,
                         Optional<MaintenanceWindows.Source> windows) {
        public Member {
            requireNonNull(name, "name is null");
            requireNonNull(stage, "stage is null");
            requireNonNull(progress, "progress is null");
            requireNonNull(since, "since is null");
            requireNonNull(windows, "windows is null");
        }
    }

    /**
     * One stage, in order.
     *
     * @param bakedUntil for a stage whose clusters are all done: when its bake time ends (empty once it has)
     */
    public record Stage(String name, int maxConcurrent, Duration bake, boolean awaitsApproval, Optional<Instant> bakedUntil) {
        public Stage {
            requireNonNull(name, "name is null");
            requireNonNull(bake, "bake is null");
            requireNonNull(bakedUntil, "bakedUntil is null");
        }
    }

    /** The plan of one stage; no start and end when nothing in it is left to do. */
    public record StagePlan(String name, Optional<String> start, Optional<String> end, int clusters, boolean awaitsApproval) {
    }

    /** The plan of one cluster still to finish; no start when no window of it opens within a week. */
    public record ClusterPlan(String name, String stage, Optional<String> start, Optional<String> finish, boolean late) {
    }

    /**
     * @param eta when the last cluster is expected done; empty when nothing is left or some cluster has no window
     * @param late clusters expected to finish after the deadline, or never (no window)
     */
    public record Plan(String from, List<StagePlan> stages, List<ClusterPlan> clusters, Optional<String> eta, List<String> late) {
        public Plan {
            stages = List.copyOf(stages);
            clusters = List.copyOf(clusters);
            late = List.copyOf(late);
        }
    }

    private record Candidate(Member member, Instant earliest) {
    }

    private CampaignPlan() {
    }

    public static Plan plan(List<Stage> stages, List<Member> members, Instant now, Duration expected, Optional<Instant> deadline) {
        List<StagePlan> stagePlans = new ArrayList<>();
        List<ClusterPlan> clusterPlans = new ArrayList<>();
        List<String> late = new ArrayList<>();
        Instant stageStart = now;
        boolean unplannable = false;
        Instant last = now;
        for (Stage stage : stages) {
            List<Member> own = members.stream().filter(member -> member.stage().equals(stage.name())).toList();
            List<Member> open = own.stream().filter(member -> member.progress() != Progress.FINISHED).toList();
            if (open.isEmpty()) {
                stagePlans.add(new StagePlan(stage.name(), Optional.empty(), Optional.empty(), own.size(), false));
                stageStart = stage.bakedUntil().filter(stageStart::isBefore).orElse(stageStart);
                continue;
            }
            Instant start = stageStart;
            PriorityQueue<Instant> slots = new PriorityQueue<>();
            PriorityQueue<Candidate> candidates = new PriorityQueue<>(Comparator.comparing(Candidate::earliest)
                    .thenComparing(candidate -> candidate.member().name()));
            Instant end = start;
            for (Member member : open) {
                if (member.progress() == Progress.UPDATING) {
                    Instant finish = later(now, member.since().orElse(now).plus(expected));
                    slots.add(finish);
                    end = later(end, finish);
                    clusterPlans.add(new ClusterPlan(member.name(), stage.name(), member.since().map(Instant::toString),
                            Optional.of(finish.toString()), deadline.filter(finish::isAfter).isPresent()));
                    deadline.filter(finish::isAfter).ifPresent(ignored -> late.add(member.name()));
                } else {
                    Optional<Instant> earliest = earliest(member, start);
                    if (earliest.isEmpty()) {
                        unplannable = true;
                        late.add(member.name());
                        clusterPlans.add(new ClusterPlan(member.name(), stage.name(), Optional.empty(), Optional.empty(), true));
                    } else {
                        candidates.add(new Candidate(member, earliest.get()));
                    }
                }
            }
            while (slots.size() < stage.maxConcurrent()) {
                slots.add(start);
            }
            while (!candidates.isEmpty()) {
                Instant free = later(slots.poll(), start);
                Candidate next = candidates.poll();
                while (next.earliest().isBefore(free)) {
                    Optional<Instant> again = earliest(next.member(), free);
                    if (again.isEmpty()) {
                        unplannable = true;
                        late.add(next.member().name());
                        clusterPlans.add(new ClusterPlan(next.member().name(), stage.name(), Optional.empty(), Optional.empty(), true));
                    } else {
                        candidates.add(new Candidate(next.member(), again.get()));
                    }
                    next = candidates.poll();
                    if (next == null) {
                        break;
                    }
                }
                if (next == null) {
                    break;
                }
                Instant finish = next.earliest().plus(expected);
                slots.add(finish);
                end = later(end, finish);
                boolean isLate = deadline.filter(finish::isAfter).isPresent();
                if (isLate) {
                    late.add(next.member().name());
                }
                clusterPlans.add(new ClusterPlan(next.member().name(), stage.name(), Optional.of(next.earliest().toString()),
                        Optional.of(finish.toString()), isLate));
            }
            stagePlans.add(new StagePlan(stage.name(), Optional.of(start.toString()), Optional.of(end.toString()), own.size(),
                    stage.awaitsApproval()));
            last = later(last, end);
            stageStart = end.plus(stage.bake());
        }
        clusterPlans.sort(Comparator.comparing((ClusterPlan plan) -> plan.start().orElse("~")).thenComparing(ClusterPlan::name));
        late.sort(Comparator.naturalOrder());
        boolean anythingLeft = members.stream().anyMatch(member -> member.progress() != Progress.FINISHED);
        Optional<String> eta = anythingLeft && !unplannable ? Optional.of(last.toString()) : Optional.empty();
        return new Plan(now.toString(), stagePlans, clusterPlans, eta, late);
    }

    /** The first instant from {@code from} on at which the member may start. */
    private static Optional<Instant> earliest(Member member, Instant from) {
        return member.windows().isEmpty() ? Optional.of(from) : member.windows().get().nextOpen(from);
    }

    private static Instant later(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }
}
