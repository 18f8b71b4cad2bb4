package dev.drover.model.environment;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.MaintenancePolicy;
import dev.drover.model.api.TeamSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * A Cluster's maintenance windows: its own, else its Team's, else its flavor's; and whether they are open at an instant.
 * The weekly-window arithmetic is the hibernation schedule's: "inside a window" is what it calls hibernated.
 */
public final class MaintenanceWindows {

    /** The windows that apply, and who sets them ("the Cluster", "team \"payments\"", "flavor \"eks-standard\""). */
    public record Source(String setBy, MaintenancePolicy policy) {
        public Source {
            requireNonNull(setBy, "setBy is null");
            requireNonNull(policy, "policy is null");
        }

        public HibernationSchedule.Decision at(Instant instant) {
            return HibernationSchedule.decide(new ClusterSpec.Hibernation(policy.windows(), policy.timeZone()), instant);
        }

        /** The instant itself when a window is open then, else when the next one opens (within about a week). */
        public Optional<Instant> nextOpen(Instant from) {
            HibernationSchedule.Decision decision = at(from);
            return decision.hibernated() ? Optional.of(from) : decision.next().map(HibernationSchedule.Change::at);
        }
    }

    private MaintenanceWindows() {
    }

    /** The windows of a Cluster; empty when none apply (changes are committed at once). */
    public static Optional<Source> of(ClusterSpec spec, String teamName, Optional<TeamSpec> team, String flavorName,
                                      ClusterFlavorSpec flavor) {
        if (spec.maintenance().filter(policy -> !policy.windows().isEmpty()).isPresent()) {
            return Optional.of(new Source("the Cluster", spec.maintenance().get()));
        }
        Optional<MaintenancePolicy> teams = team.flatMap(TeamSpec::maintenance).filter(policy -> !policy.windows().isEmpty());
        if (teams.isPresent()) {
            return Optional.of(new Source("team \"" + teamName + "\"", teams.get()));
        }
        return flavor.maintenance().filter(policy -> !policy.windows().isEmpty())
                .map(policy -> new Source("flavor \"" + flavorName + "\"", policy));
    }

    /** Whether the Cluster's spec asks for changes outside its windows (spec.maintenance.immediate). */
    public static boolean immediate(ClusterSpec spec) {
        return spec.maintenance().flatMap(MaintenancePolicy::immediate).orElse(false);
    }
}
