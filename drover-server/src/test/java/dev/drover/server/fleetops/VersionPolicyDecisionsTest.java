package dev.drover.server.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterFlavorSpec.LifecycleStage;
import dev.drover.model.api.ClusterFlavorSpec.VersionClassification;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.Provider;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionPolicyDecisionsTest {

    private static final ObjectKey CLUSTER = new ObjectKey(Kinds.CLUSTER.kind(), "payments", "payments-prod");
    private static final ObjectKey FLAVOR = new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", "eks-standard");
    private static final ClusterFlavorSpec EKS = flavor(Map.of("1.34", List.of(
            new LifecycleStage(VersionClassification.SUPPORTED, "2025-10-02T00:00:00Z"),
            new LifecycleStage(VersionClassification.DEPRECATED, "2026-12-02T00:00:00Z"),
            new LifecycleStage(VersionClassification.EXPIRED, "2027-12-02T00:00:00Z"))));

    @Test
    void aClusterOnAVersionInExtendedSupportSaysWhenItExpires() {
        var decision = VersionPolicyDecisions.cluster(CLUSTER, 3, cluster("1.34.2"), "eks-standard", EKS, false,
                Instant.parse("2026-12-02T08:00:00Z"));
        var update = decision.update().orElseThrow();
        assertThat(update.fields().get("versionSupport").path("summary").asText()).isEqualTo("deprecated, expires 2027-12-02");
        Condition supported = update.conditions().getFirst();
        assertThat(supported.status()).isEqualTo(Condition.ConditionStatus.FALSE);
        assertThat(supported.reason()).contains("Deprecated");
        assertThat(supported.message().orElseThrow()).isEqualTo("version 1.34.2 in flavor \"eks-standard\" is deprecated since "
                + "2026-12-02T00:00:00Z and expires at 2027-12-02T00:00:00Z; move the cluster to a supported version");
        assertThat(decision.nextDue()).contains(Instant.parse("2027-12-02T00:00:00Z"));

        var dayBefore = VersionPolicyDecisions.cluster(CLUSTER, 3, cluster("1.34.2"), "eks-standard", EKS, false,
                Instant.parse("2026-12-01T08:00:00Z")).update().orElseThrow();
        assertThat(dayBefore.fields().get("versionSupport").path("summary").asText()).isEqualTo("supported until 2026-12-02");
        assertThat(dayBefore.conditions().getFirst().status()).isEqualTo(Condition.ConditionStatus.TRUE);
    }

    @Test
    void aSupportedVersionFarFromItsDeprecationWritesNothingUntilNinetyDaysBefore() {
        var far = VersionPolicyDecisions.cluster(CLUSTER, 1, cluster("1.34.2"), "eks-standard", EKS, false,
                Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(far.update()).as("no status write for a bulk create").isEmpty();
        assertThat(far.nextDue()).contains(Instant.parse("2026-09-03T00:00:00Z"));
        var near = VersionPolicyDecisions.cluster(CLUSTER, 1, cluster("1.34.2"), "eks-standard", EKS, false,
                Instant.parse("2026-09-03T00:00:00Z"));
        assertThat(near.update().orElseThrow().fields().get("versionSupport").path("summary").asText())
                .isEqualTo("supported until 2026-12-02");
    }

    @Test
    void aVersionWithoutALifecycleWritesNothingUnlessItHadOne() {
        assertThat(VersionPolicyDecisions.cluster(CLUSTER, 1, cluster("1.35.0"), "eks-standard", EKS, false, Instant.EPOCH).update())
                .isEmpty();
        var cleared = VersionPolicyDecisions.cluster(CLUSTER, 1, cluster("1.35.0"), "eks-standard", EKS, true, Instant.EPOCH)
                .update().orElseThrow();
        assertThat(cleared.fields().get("versionSupport").isNull()).isTrue();
    }

    @Test
    void theFlavorListsEveryAllowedVersionWithItsNextChange() {
        var decision = VersionPolicyDecisions.flavor(FLAVOR, 1, EKS, false, Instant.parse("2026-11-30T00:00:00Z"));
        String versions = Json.write(decision.update().orElseThrow().fields().get("versions"));
        assertThat(versions).isEqualTo("[{\"version\":\"1.34.2\",\"classification\":\"supported\",\"since\":\"2025-10-02T00:00:00Z\","
                + "\"nextClassification\":\"deprecated\",\"nextAt\":\"2026-12-02T00:00:00Z\"},"
                + "{\"version\":\"1.35.0\",\"classification\":\"supported\"}]");
        assertThat(decision.nextDue()).contains(Instant.parse("2026-12-02T00:00:00Z"));
    }

    private static ClusterSpec cluster(String version) {
        return new ClusterSpec("eks-standard", "production", Optional.empty(), Optional.of(version), List.of(), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static ClusterFlavorSpec flavor(Map<String, List<LifecycleStage>> lifecycle) {
        return new ClusterFlavorSpec(Provider.AWS_EKS, Optional.empty(), List.of("production"),
                new ClusterFlavorSpec.KubernetesVersions("1.35.0", List.of("1.34.2", "1.35.0"), Map.of(), lifecycle), List.of(),
                Optional.empty(), List.of(), List.of(), List.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty());
    }
}
