package dev.drover.model.campaign;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterFlavorSpec.VersionClassification;
import dev.drover.model.version.VersionLifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The version a campaign moves one cluster to, from the versions its flavor allows and classifies supported now (or
 * preview, for a cluster that opts in): the goal, and the next step towards it, one minor version at a time as the
 * version-skew policy asks. A campaign never moves a cluster down.
 */
public final class CampaignTargets {

    /** Where a cluster goes. */
    public sealed interface Target {
    }

    /**
     * @param goal the version the campaign ends the cluster on
     * @param step the version it moves to next: the goal, or the newest patch of the next minor on the way
     */
    public record Goal(String goal, String step) implements Target {
        public Goal {
            requireNonNull(goal, "goal is null");
            requireNonNull(step, "step is null");
        }
    }

    /** No version to go to, and why (NoTargetVersion, NewerVersion, NoStepVersion). */
    public record NoGoal(String reason, String message) implements Target {
        public NoGoal {
            requireNonNull(reason, "reason is null");
            requireNonNull(message, "message is null");
        }
    }

    private CampaignTargets() {
    }

    /** @param current the cluster's Kubernetes version now */
    public static Target of(CampaignSpec.Change change, String current, String flavorName, ClusterFlavorSpec flavor,
                            boolean allowPreview, Instant now) {
        List<String> usable = flavor.kubernetesVersions().allowed().stream()
                .filter(version -> usable(flavor, version, allowPreview, now)).toList();
        String goal;
        if (change.kubernetesVersion().isEmpty()) {
            String minor = VersionLifecycle.minor(current);
            Optional<String> newest = newestPatch(usable, minor);
            if (newest.isEmpty()) {
                return new NoGoal("NoTargetVersion", "flavor \"" + flavorName + "\" allows no supported patch of " + minor);
            }
            goal = VersionLifecycle.compare(newest.get(), current) > 0 ? newest.get() : current;
        } else {
            String wanted = change.kubernetesVersion().get();
            boolean patch = !VersionLifecycle.minor(wanted).equals(wanted);
            Optional<String> found = patch ? Optional.of(wanted).filter(usable::contains) : newestPatch(usable, wanted);
            if (found.isEmpty()) {
                return new NoGoal("NoTargetVersion", "flavor \"" + flavorName + "\" allows no supported "
                        + (patch ? "version " : "patch of ") + wanted + "; supported there: " + String.join(", ", usable));
            }
            goal = found.get();
            if (VersionLifecycle.compare(current, goal) > 0) {
                if (VersionLifecycle.minor(current).equals(VersionLifecycle.minor(goal)) && !patch) {
                    goal = current;
                } else {
                    return new NoGoal("NewerVersion", "runs " + current + ", newer than " + wanted
                            + "; a campaign never moves a cluster down");
                }
            }
        }
        return stepTowards(goal, current, flavorName, usable);
    }

    private static Target stepTowards(String goal, String current, String flavorName, List<String> usable) {
        String nextMinor = VersionLifecycle.nextMinor(current);
        if (VersionLifecycle.compare(VersionLifecycle.minor(goal), nextMinor) <= 0) {
            return new Goal(goal, goal);
        }
        return newestPatch(usable, nextMinor).<Target>map(step -> new Goal(goal, step)).orElseGet(() -> new NoGoal("NoStepVersion",
                "runs " + current + " and must step through " + nextMinor + " to reach " + goal + " (one minor at a time), but "
                        + "flavor \"" + flavorName + "\" allows no supported patch of " + nextMinor));
    }

    private static boolean usable(ClusterFlavorSpec flavor, String version, boolean allowPreview, Instant now) {
        VersionClassification classification = VersionLifecycle.classify(flavor.kubernetesVersions(), version, now).classification();
        return classification == VersionClassification.SUPPORTED || (allowPreview && classification == VersionClassification.PREVIEW);
    }

    private static Optional<String> newestPatch(List<String> versions, String minor) {
        return versions.stream().filter(version -> VersionLifecycle.minor(version).equals(minor)).max(VersionLifecycle::compare);
    }
}
