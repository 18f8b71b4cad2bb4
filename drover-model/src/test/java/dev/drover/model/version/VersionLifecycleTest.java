package dev.drover.model.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterFlavorSpec.LifecycleStage;
import dev.drover.model.api.ClusterFlavorSpec.VersionClassification;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Provider;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.validation.FlavorValidation;
import dev.drover.model.validation.VersionAdmission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The EKS calendar as a flavor lifecycle (standard support 14 months, extended 12; source: the EKS user guide). */
class VersionLifecycleTest {

    private static final ClusterFlavorSpec.KubernetesVersions EKS = new ClusterFlavorSpec.KubernetesVersions("1.35.0",
            List.of("1.33.5", "1.34.2", "1.35.0", "1.36.0"), Map.of(), Map.of(
            "1.33", List.of(stage(VersionClassification.SUPPORTED, "2025-05-29T00:00:00Z"),
                    stage(VersionClassification.DEPRECATED, "2026-07-29T00:00:00Z"), stage(VersionClassification.EXPIRED, "2027-07-29T00:00:00Z")),
            "1.34", List.of(stage(VersionClassification.SUPPORTED, "2025-10-02T00:00:00Z"),
                    stage(VersionClassification.DEPRECATED, "2026-12-02T00:00:00Z"), stage(VersionClassification.EXPIRED, "2027-12-02T00:00:00Z")),
            "1.36.0", List.of(stage(VersionClassification.PREVIEW, "2026-11-01T00:00:00Z"),
                    stage(VersionClassification.SUPPORTED, "2027-01-15T00:00:00Z"))));
    private static final Instant TODAY = Instant.parse("2026-12-02T09:00:00Z");

    @Test
    void aVersionIsClassifiedByItsMinorsStagesWithTheNextChange() {
        var classified = VersionLifecycle.classify(EKS, "1.34.2", Instant.parse("2026-12-01T23:59:59Z"));
        assertThat(classified.classification()).isEqualTo(VersionClassification.SUPPORTED);
        assertThat(classified.next()).contains(new VersionLifecycle.Change(VersionClassification.DEPRECATED,
                Instant.parse("2026-12-02T00:00:00Z")));
        assertThat(VersionLifecycle.classify(EKS, "1.34.2", TODAY).classification()).isEqualTo(VersionClassification.DEPRECATED);
        assertThat(VersionLifecycle.classify(EKS, "1.33.5", Instant.parse("2027-08-01T00:00:00Z")).classification())
                .isEqualTo(VersionClassification.EXPIRED);
        assertThat(VersionLifecycle.classify(EKS, "1.35.0", TODAY).classification()).as("no lifecycle: supported")
                .isEqualTo(VersionClassification.SUPPORTED);
        assertThat(VersionLifecycle.classify(EKS, "1.36.0", TODAY).classification()).isEqualTo(VersionClassification.PREVIEW);
    }

    @Test
    void newClustersGetSupportedVersionsOnlyAndKeepTheirsOnUpdate() {
        ClusterFlavorSpec flavor = flavor(EKS);
        assertThat(refusal(() -> VersionAdmission.check("web", Optional.of("1.34.2"), cluster("1.34.2", false), Optional.empty(),
                "eks-standard", flavor, TODAY))).isEqualTo("version 1.34.2 is deprecated in flavor \"eks-standard\" since "
                + "2026-12-02T00:00:00Z (it expires at 2027-12-02T00:00:00Z); new clusters and version changes take a supported "
                + "version: 1.35.0");
        VersionAdmission.check("web", Optional.of("1.34.2"), cluster("1.34.2", false), Optional.of(cluster("1.34.2", false)),
                "eks-standard", flavor, TODAY);
        assertThat(refusal(() -> VersionAdmission.check("web", Optional.of("1.36.0"), cluster("1.36.0", false), Optional.empty(),
                "eks-standard", flavor, TODAY))).contains("is a preview").contains("spec.allowPreviewVersion: true");
        VersionAdmission.check("web", Optional.of("1.36.0"), cluster("1.36.0", true), Optional.empty(), "eks-standard", flavor, TODAY);
        VersionAdmission.check("web", Optional.empty(), cluster("1.35.0", false), Optional.empty(), "eks-standard", flavor, TODAY);
    }

    @Test
    void flavorAdmissionRefusesStagesThatGoBackwards() {
        var backwards = new ClusterFlavorSpec.KubernetesVersions("1.35.0", List.of("1.35.0"), Map.of(), Map.of("1.35", List.of(
                stage(VersionClassification.DEPRECATED, "2027-01-01T00:00:00Z"), stage(VersionClassification.SUPPORTED, "2027-02-01T00:00:00Z")),
                "1.20", List.of(stage(VersionClassification.SUPPORTED, "2020-01-01T00:00:00Z"))));
        ApiException refused = Assertions.catchThrowableOfType(ApiException.class, () -> FlavorValidation.check("eks", flavor(backwards)));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.kubernetesVersions.lifecycle[\"1.35\"][1]", "spec.kubernetesVersions.lifecycle[\"1.20\"]");
    }

    private static String refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable check) {
        ApiException refused = Assertions.catchThrowableOfType(ApiException.class, check);
        assertThat(refused).isNotNull();
        assertThat(refused.causes()).extracting(FieldError::field).containsExactly("spec.kubernetesVersion");
        return refused.causes().getFirst().message().replaceFirst("^Invalid value: \"[^\"]*\": ", "");
    }

    private static LifecycleStage stage(VersionClassification classification, String start) {
        return new LifecycleStage(classification, start);
    }

    private static ClusterSpec cluster(String version, boolean preview) {
        return new ClusterSpec("eks-standard", "production", Optional.empty(), Optional.of(version), List.of(), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(preview), Optional.empty());
    }

    private static ClusterFlavorSpec flavor(ClusterFlavorSpec.KubernetesVersions versions) {
        return new ClusterFlavorSpec(Provider.AWS_EKS, Optional.empty(), List.of("production"), versions, List.of(), Optional.empty(),
                List.of(), List.of(), List.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty());
    }
}
