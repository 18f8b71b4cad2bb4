package dev.drover.model.version;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterFlavorSpec.VersionClassification;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a Kubernetes version of a flavor is in its lifecycle at an instant: the classification now, since when, and
 * the next change. Pure. A version's lifecycle is the flavor's entry for the exact version, else for its minor; none
 * means supported for good. Before the first stage starts the version is a preview.
 */
public final class VersionLifecycle {

    /** The classification at an instant. */
    public record Classified(VersionClassification classification, Optional<Instant> since, Optional<Change> next) {
        public Classified {
            requireNonNull(classification, "classification is null");
            requireNonNull(since, "since is null");
            requireNonNull(next, "next is null");
        }

        /** When the version expires, if its lifecycle says so and it has not yet. */
        public Optional<Instant> expiresAt(List<ClusterFlavorSpec.LifecycleStage> stages) {
            return stages.stream().filter(stage -> stage.classification() == VersionClassification.EXPIRED)
                    .map(VersionLifecycle::start).findFirst();
        }
    }

    /** The next classification and when it starts. */
    public record Change(VersionClassification classification, Instant at) {
    }

    /** Start times as parsed: admission and every controller pass classify versions, the flavors have a few dozen. */
    private static final java.util.Map<String, Instant> STARTS = new java.util.concurrent.ConcurrentHashMap<>();

    private VersionLifecycle() {
    }

    /** The stage's start time. */
    public static Instant start(ClusterFlavorSpec.LifecycleStage stage) {
        if (STARTS.size() > 10_000) {
            STARTS.clear();
        }
        return STARTS.computeIfAbsent(stage.startTime(), Instant::parse);
    }

    /** The lifecycle stages of the version: its own entry, else its minor's, else none. */
    public static List<ClusterFlavorSpec.LifecycleStage> stages(ClusterFlavorSpec.KubernetesVersions versions, String version) {
        List<ClusterFlavorSpec.LifecycleStage> exact = versions.lifecycle().get(version);
        return exact != null ? exact : versions.lifecycle().getOrDefault(minor(version), List.of());
    }

    public static Classified classify(ClusterFlavorSpec.KubernetesVersions versions, String version, Instant now) {
        return classify(stages(versions, version), now);
    }

    /** @param stages in order, start times increasing (as flavor admission checks) */
    public static Classified classify(List<ClusterFlavorSpec.LifecycleStage> stages, Instant now) {
        if (stages.isEmpty()) {
            return new Classified(VersionClassification.SUPPORTED, Optional.empty(), Optional.empty());
        }
        VersionClassification current = VersionClassification.PREVIEW;
        Optional<Instant> since = Optional.empty();
        for (ClusterFlavorSpec.LifecycleStage stage : stages) {
            Instant start = start(stage);
            if (start.isAfter(now)) {
                return new Classified(current, since, Optional.of(new Change(stage.classification(), start)));
            }
            current = stage.classification();
            since = Optional.of(start);
        }
        return new Classified(current, since, Optional.empty());
    }

    /** {@code 1.33} of {@code 1.33.5}. */
    public static String minor(String version) {
        int second = version.indexOf('.', version.indexOf('.') + 1);
        return second < 0 ? version : version.substring(0, second);
    }

    /** {@code 1.34} after {@code 1.33.5}: the minor one step up. */
    public static String nextMinor(String version) {
        String[] parts = version.split("\\.");
        return parts[0] + "." + (Integer.parseInt(parts[1]) + 1);
    }

    /** Orders versions by their numeric parts: 1.9 before 1.10, 1.33 before 1.33.0. */
    public static int compare(String one, String other) {
        String[] left = one.split("\\.");
        String[] right = other.split("\\.");
        for (int index = 0; index < Math.min(left.length, right.length); index++) {
            int compared = Integer.compare(Integer.parseInt(left[index]), Integer.parseInt(right[index]));
            if (compared != 0) {
                return compared;
            }
        }
        return Integer.compare(left.length, right.length);
    }
}
