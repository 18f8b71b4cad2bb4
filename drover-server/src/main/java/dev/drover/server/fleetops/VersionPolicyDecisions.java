package dev.drover.server.fleetops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterFlavorSpec.VersionClassification;
import dev.drover.model.api.ClusterFlavorStatus;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
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

/**
 * The version policy's decisions, pure: each flavor's versions classified now, and each Cluster's classification with
 * its VersionSupported condition. Messages carry absolute times only, so deciding again writes nothing.
 */
final class VersionPolicyDecisions {

    static final String VERSION_SUPPORTED = "VersionSupported";
    /** How long before a supported version's deprecation the Cluster's status starts to say so. */
    static final java.time.Duration ANNOUNCE_BEFORE = java.time.Duration.ofDays(90);

    /** A status to write and when the decision next changes by the clock alone. */
    record Decision(Optional<StatusWriter.Update> update, Optional<Instant> nextDue) {
    }

    private VersionPolicyDecisions() {
    }

    /** @param hadVersions whether the flavor's status lists versions already (to clear them when the lifecycle went) */
    static Decision flavor(ObjectKey key, long generation, ClusterFlavorSpec flavor, boolean hadVersions, Instant now) {
        ClusterFlavorSpec.KubernetesVersions versions = flavor.kubernetesVersions();
        if (versions.lifecycle().isEmpty()) {
            return new Decision(hadVersions ? Optional.of(new StatusWriter.Update(key,
                    Map.of("versions", Json.MAPPER.nullNode()), List.of())) : Optional.empty(), Optional.empty());
        }
        List<ClusterFlavorStatus.VersionStatus> statuses = new ArrayList<>();
        Optional<Instant> due = Optional.empty();
        for (String version : versions.allowed()) {
            var classified = VersionLifecycle.classify(versions, version, now);
            statuses.add(new ClusterFlavorStatus.VersionStatus(version, classified.classification(),
                    classified.since().map(Instant::toString), classified.next().map(VersionLifecycle.Change::classification),
                    classified.next().map(next -> next.at().toString())));
            due = earliest(due, classified.next().map(VersionLifecycle.Change::at));
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("versions", Json.MAPPER.valueToTree(statuses));
        return new Decision(Optional.of(new StatusWriter.Update(key, fields, List.of())), due);
    }

    /** @param hadSupport whether the Cluster's status has versionSupport already */
    static Decision cluster(ObjectKey key, long generation, ClusterSpec spec, String flavorName, ClusterFlavorSpec flavor,
                            boolean hadSupport, Instant now) {
        String version = spec.kubernetesVersion().orElse(flavor.kubernetesVersions().defaultVersion());
        var stages = VersionLifecycle.stages(flavor.kubernetesVersions(), version);
        if (stages.isEmpty()) {
            return new Decision(hadSupport ? Optional.of(new StatusWriter.Update(key, Map.of("versionSupport", Json.MAPPER.nullNode()),
                    List.of(Condition.of(VERSION_SUPPORTED, true, generation, "NoLifecycle", "flavor \"" + flavorName
                            + "\" gives version " + version + " no lifecycle")))) : Optional.empty(), Optional.empty());
        }
        var classified = VersionLifecycle.classify(stages, now);
        Optional<Instant> deprecatedAt = stages.stream().filter(stage -> stage.classification() == VersionClassification.DEPRECATED)
                .map(VersionLifecycle::start).findFirst();
        Optional<Instant> expiresAt = classified.expiresAt(stages);
        // A supported version far from its deprecation is the SUPPORT column's default: nothing to write, so a bulk
        // create costs no status write here. The status appears when the deprecation comes near.
        Optional<Instant> announceAt = deprecatedAt.map(at -> at.minus(ANNOUNCE_BEFORE));
        boolean quiet = classified.classification() == VersionClassification.SUPPORTED
                && announceAt.map(now::isBefore).orElse(true);
        if (quiet) {
            Optional<StatusWriter.Update> clear = hadSupport ? Optional.of(new StatusWriter.Update(key,
                    Map.of("versionSupport", Json.MAPPER.nullNode()), List.of(Condition.of(VERSION_SUPPORTED, true, generation,
                    "Supported", "version " + version + " in flavor \"" + flavorName + "\" is supported"
                            + deprecatedAt.map(at -> "; deprecated from " + at).orElse(""))))) : Optional.empty();
            return new Decision(clear, announceAt.or(() -> classified.next().map(VersionLifecycle.Change::at)));
        }
        String summary = switch (classified.classification()) {
            case PREVIEW -> "preview";
            case SUPPORTED -> deprecatedAt.map(at -> "supported until " + day(at)).orElse("supported");
            case DEPRECATED -> expiresAt.map(at -> "deprecated, expires " + day(at)).orElse("deprecated");
            case EXPIRED -> "expired since " + classified.since().map(VersionPolicyDecisions::day).orElse("");
        };
        var support = new ClusterStatus.VersionSupport(classified.classification(), summary, deprecatedAt.map(Instant::toString),
                expiresAt.map(Instant::toString));
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("versionSupport", Json.toTree(support));
        String where = "version " + version + " in flavor \"" + flavorName + "\"";
        Condition condition = switch (classified.classification()) {
            case PREVIEW, SUPPORTED -> Condition.of(VERSION_SUPPORTED, true, generation, classified.classification() == VersionClassification.PREVIEW
                    ? "Preview" : "Supported", where + " is " + classified.classification().wireName()
                    + deprecatedAt.filter(at -> at.isAfter(now)).map(at -> "; deprecated from " + at).orElse("")
                    + expiresAt.filter(at -> at.isAfter(now)).map(at -> ", expires at " + at).orElse(""));
            case DEPRECATED -> Condition.of(VERSION_SUPPORTED, false, generation, "Deprecated", where + " is deprecated since "
                    + classified.since().orElseThrow() + expiresAt.map(at -> " and expires at " + at).orElse("")
                    + "; move the cluster to a supported version");
            case EXPIRED -> Condition.of(VERSION_SUPPORTED, false, generation, "Expired", where + " expired at "
                    + classified.since().orElseThrow() + "; the cluster runs an unsupported version, move it to a supported one");
        };
        return new Decision(Optional.of(new StatusWriter.Update(key, fields, List.of(condition))),
                classified.next().map(VersionLifecycle.Change::at));
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
    }

    private static Optional<Instant> earliest(Optional<Instant> one, Optional<Instant> other) {
        if (one.isEmpty()) {
            return other;
        }
        return other.filter(at -> at.isBefore(one.get())).or(() -> one);
    }
}
