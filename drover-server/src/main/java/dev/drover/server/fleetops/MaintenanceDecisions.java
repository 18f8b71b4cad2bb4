package dev.drover.server.fleetops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
import dev.drover.model.api.MaintenancePolicy;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.environment.HibernationSchedule;
import dev.drover.model.environment.MaintenanceWindows;
import dev.drover.model.schema.Json;
import dev.drover.model.version.VersionLifecycle;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The maintenance controller's decisions, pure: which values that roll machines (the Kubernetes version, the machine
 * image, each node pool's instance type) the fleet repository gets now. Inside a maintenance window, with
 * spec.maintenance.immediate, or for a cluster seen the first time, the spec's; outside, the ones applied before, and
 * what waits is named with the window it waits for.
 */
final class MaintenanceDecisions {

    static final String MAINTENANCE_PENDING = "MaintenancePending";
    static final String AUTO_UPDATE = "AutoUpdate";
    /**
     * How long node pools wait after a minor upgrade's control plane was committed when Drover cannot see the control
     * plane (not connected): a control plane rolls its machines one by one, about ten minutes each for three.
     */
    static final java.time.Duration CONTROL_PLANE_FIRST = java.time.Duration.ofMinutes(30);

    /** A version Drover moves the Cluster to, and why. */
    record VersionUpdate(String to, String why, boolean forced) {
    }

    /**
     * A status to write, when the decision next changes by the clock alone, and the version to move the Cluster's spec
     * to now (in an open window), through the public write path.
     */
    record Decision(Optional<StatusWriter.Update> update, Optional<Instant> nextDue, Optional<String> updateTo) {
    }

    private MaintenanceDecisions() {
    }

    /**
     * @param team the cluster's team, if known
     * @param status the Cluster's stored status (maintenance read from it)
     */
    static Decision decide(ObjectKey key, long generation, ClusterSpec spec, String flavorName, ClusterFlavorSpec flavor,
                           Optional<TeamSpec> team, JsonNode status, Instant now) {
        JsonNode previous = status.path("maintenance");
        Optional<MaintenanceWindows.Source> policy = MaintenanceWindows.of(spec, key.namespace(), team, flavorName, flavor);
        if (policy.isEmpty()) {
            return new Decision(previous.isObject() ? Optional.of(new StatusWriter.Update(key,
                    Map.of("maintenance", Json.MAPPER.nullNode()), List.of(Condition.of(MAINTENANCE_PENDING, false, generation,
                    "NoWindows", "no maintenance windows apply: changes that roll machines are committed at once"))))
                    : Optional.empty(), Optional.empty(), Optional.empty());
        }
        MaintenancePolicy windows = policy.get().policy();
        HibernationSchedule.Decision window = policy.get().at(now);
        boolean open = window.hibernated();
        boolean immediate = MaintenanceWindows.immediate(spec);
        ClusterStatus.RollingValues desired = desired(spec, flavor);
        Optional<ClusterStatus.RollingValues> before = previous.path("applied").isObject()
                ? Optional.of(Json.bind(previous.path("applied"), ClusterStatus.RollingValues.class)) : Optional.empty();
        ClusterStatus.RollingValues applied = open || immediate ? inWindow(before, desired, status.path("observed"), now)
                : before.map(kept -> kept(kept, desired)).orElse(desired);
        List<String> pending = pending(desired, applied);

        var maintenance = new ClusterStatus.MaintenanceStatus(policy.get().setBy(), open,
                open ? Optional.of(window.cause()) : Optional.empty(),
                window.next().filter(next -> !open).map(next -> new ClusterStatus.NextWindow(next.at().toString(), next.cause())),
                Optional.of(applied), pending);
        Condition condition;
        if (!pending.isEmpty() && (open || immediate)) {
            // In a window only the node pools of a minor upgrade wait: for their control plane.
            condition = Condition.of(MAINTENANCE_PENDING, true, generation, "WaitingForControlPlane", String.join("; ", pending)
                    + "; they follow once the management cluster reports the control plane at the new version (or "
                    + CONTROL_PLANE_FIRST.toMinutes() + " minutes after its commit when Drover is not connected)");
        } else if (!pending.isEmpty()) {
            String waitFor = window.next().map(next -> "the " + next.cause() + " (opens " + next.at() + ")")
                    .orElse("a maintenance window");
            condition = Condition.of(MAINTENANCE_PENDING, true, generation, "WaitingForWindow", String.join("; ", pending)
                    + (pending.size() == 1 ? " waits" : " wait") + " for " + waitFor
                    + "; set spec.maintenance.immediate: true to commit now (an emergency override)");
        } else if (immediate && !open) {
            condition = Condition.of(MAINTENANCE_PENDING, false, generation, "Immediate", "spec.maintenance.immediate is set: "
                    + "changes that roll machines are committed at once, outside the maintenance windows");
        } else {
            condition = Condition.of(MAINTENANCE_PENDING, false, generation, open ? "WindowOpen" : "UpToDate", open
                    ? "the " + window.cause() + " is open: changes that roll machines are committed at once"
                    : "no change that rolls machines waits" + window.next().map(next -> "; the next " + next.cause()
                    + " opens " + next.at()).orElse(""));
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("maintenance", Json.toTree(maintenance));
        boolean autoPatch = windows.autoUpdate().flatMap(MaintenancePolicy.AutoUpdate::kubernetesPatch).orElse(false);
        Optional<VersionUpdate> update = versionUpdate(desired.kubernetesVersion(), flavor, autoPatch, now);
        String nextWindow = window.next().map(next -> "the " + next.cause() + " (opens " + next.at() + ")")
                .orElse("a maintenance window");
        Condition autoUpdate = update.map(change -> Condition.of(AUTO_UPDATE, true, generation, change.forced() ? "Forced" : "Scheduled",
                "kubernetesVersion moves to " + change.to() + " (" + change.why() + ") " + (open ? "now, in the " + window.cause()
                        : "in " + nextWindow)))
                .orElseGet(() -> Condition.of(AUTO_UPDATE, false, generation, "UpToDate", autoPatch
                        ? "on the newest supported patch of " + VersionLifecycle.minor(desired.kubernetesVersion())
                        : "automatic patch updates are off (spec.maintenance.autoUpdate.kubernetesPatch)"));
        Optional<Instant> workersFollow = applied.workersVersion().flatMap(workers -> applied.controlPlaneSince())
                .map(since -> Instant.parse(since).plus(CONTROL_PLANE_FIRST)).filter(at -> at.isAfter(now));
        Optional<Instant> due = window.next().map(HibernationSchedule.Change::at)
                .map(next -> workersFollow.filter(at -> at.isBefore(next)).orElse(next)).or(() -> workersFollow);
        return new Decision(Optional.of(new StatusWriter.Update(key, fields, List.of(condition, autoUpdate))), due,
                update.filter(change -> open).map(VersionUpdate::to));
    }

    /**
     * The version a cluster on {@code current} moves to: an expired one to the newest supported patch of the next
     * minor (one minor at a time, as the version-skew policy allows), else, with automatic patch updates, to the newest
     * supported patch of its minor.
     */
    static Optional<VersionUpdate> versionUpdate(String current, ClusterFlavorSpec flavor, boolean autoPatch, Instant now) {
        ClusterFlavorSpec.KubernetesVersions versions = flavor.kubernetesVersions();
        var classified = VersionLifecycle.classify(versions, current, now);
        List<String> supported = versions.allowed().stream().filter(version -> VersionLifecycle.classify(versions, version, now)
                .classification() == ClusterFlavorSpec.VersionClassification.SUPPORTED).toList();
        if (classified.classification() == ClusterFlavorSpec.VersionClassification.EXPIRED) {
            String nextMinor = VersionLifecycle.nextMinor(current);
            return supported.stream().filter(version -> VersionLifecycle.minor(version).equals(nextMinor))
                    .max(VersionLifecycle::compare)
                    .map(version -> new VersionUpdate(version, current + " expired at " + classified.since().orElseThrow()
                            + "; one minor version up", true));
        }
        if (!autoPatch) {
            return Optional.empty();
        }
        String minor = VersionLifecycle.minor(current);
        return supported.stream().filter(version -> VersionLifecycle.minor(version).equals(minor)
                        && VersionLifecycle.compare(version, current) > 0).max(VersionLifecycle::compare)
                .map(version -> new VersionUpdate(version, "newest supported patch of " + minor, false));
    }

    static ClusterStatus.RollingValues desired(ClusterSpec spec, ClusterFlavorSpec flavor) {
        String version = spec.kubernetesVersion().orElse(flavor.kubernetesVersions().defaultVersion());
        Map<String, String> types = new TreeMap<>();
        spec.nodePools().forEach(pool -> types.put(pool.name(), pool.instanceType()));
        return new ClusterStatus.RollingValues(version, types, Optional.ofNullable(flavor.kubernetesVersions().machineImages().get(version)),
                Optional.empty(), Optional.empty());
    }

    /**
     * What the repository gets in a window: the spec's values, except that a minor upgrade moves the control plane first.
     * The node pools follow once the management cluster reports the control plane at the new version, or, when Drover
     * is not connected to it, {@link #CONTROL_PLANE_FIRST} after the control plane's version was committed.
     */
    static ClusterStatus.RollingValues inWindow(Optional<ClusterStatus.RollingValues> before, ClusterStatus.RollingValues desired,
                                                JsonNode observed, Instant now) {
        if (before.isEmpty()) {
            return desired;
        }
        String workersBefore = before.get().workersVersion().orElse(before.get().kubernetesVersion());
        boolean controlPlaneMoves = !desired.kubernetesVersion().equals(before.get().kubernetesVersion());
        String since = controlPlaneMoves ? now.toString() : before.get().controlPlaneSince().orElse(now.toString());
        boolean minorUp = VersionLifecycle.compare(VersionLifecycle.minor(desired.kubernetesVersion()), VersionLifecycle.minor(workersBefore)) > 0;
        if (!minorUp) {
            return new ClusterStatus.RollingValues(desired.kubernetesVersion(), desired.instanceTypes(), desired.machineImage(),
                    Optional.empty(), Optional.of(since));
        }
        boolean controlPlaneThere = observed.isObject()
                ? observed.path("versions").toString().contains("\"v" + desired.kubernetesVersion() + "\"")
                : !Instant.parse(since).plus(CONTROL_PLANE_FIRST).isAfter(now);
        return new ClusterStatus.RollingValues(desired.kubernetesVersion(), desired.instanceTypes(), desired.machineImage(),
                controlPlaneThere ? Optional.empty() : Optional.of(workersBefore), Optional.of(since));
    }

    /** What the repository keeps outside a window: the values applied before, and the spec's for new pools. */
    private static ClusterStatus.RollingValues kept(ClusterStatus.RollingValues before, ClusterStatus.RollingValues desired) {
        Map<String, String> types = new TreeMap<>();
        desired.instanceTypes().forEach((pool, type) -> types.put(pool, before.instanceTypes().getOrDefault(pool, type)));
        return new ClusterStatus.RollingValues(before.kubernetesVersion(), types, before.machineImage(), before.workersVersion(),
                before.controlPlaneSince());
    }

    private static List<String> pending(ClusterStatus.RollingValues desired, ClusterStatus.RollingValues applied) {
        List<String> pending = new ArrayList<>();
        if (!desired.kubernetesVersion().equals(applied.kubernetesVersion())) {
            pending.add("kubernetesVersion " + desired.kubernetesVersion() + " (now " + applied.kubernetesVersion() + ")");
        }
        applied.workersVersion().ifPresent(workers -> pending.add("node pools' kubernetesVersion " + applied.kubernetesVersion()
                + " (now " + workers + ") after the control plane's, committed at " + applied.controlPlaneSince().orElse("")));
        if (!desired.machineImage().equals(applied.machineImage())) {
            pending.add("machine image " + desired.machineImage().orElse("(none)") + " (now " + applied.machineImage().orElse("(none)") + ")");
        }
        desired.instanceTypes().forEach((pool, type) -> {
            if (!type.equals(applied.instanceTypes().get(pool))) {
                pending.add("nodePools[" + pool + "].instanceType " + type + " (now " + applied.instanceTypes().get(pool) + ")");
            }
        });
        return pending;
    }
}
