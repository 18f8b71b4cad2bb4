package dev.drover.model.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.error.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> PRODUCTION_EKS = Map.of(
            "platform.drover.dev/environment", "production", "platform.drover.dev/provider", "aws-eks", "tier", "critical");
    private static final Map<String, String> DEVELOPMENT_VSPHERE = Map.of(
            "platform.drover.dev/environment", "development", "platform.drover.dev/provider", "vsphere");

    @Test
    void matchesEqualityRequirements() {
        LabelSelector selector = LabelSelector.parse("platform.drover.dev/environment=production,tier==critical");
        assertThat(selector.matches(PRODUCTION_EKS)).isTrue();
        assertThat(selector.matches(DEVELOPMENT_VSPHERE)).isFalse();
    }

    @Test
    void notEqualsAlsoMatchesObjectsWithoutTheKey() {
        LabelSelector selector = LabelSelector.parse("tier!=critical");
        assertThat(selector.matches(PRODUCTION_EKS)).isFalse();
        assertThat(selector.matches(DEVELOPMENT_VSPHERE)).isTrue();
    }

    @Test
    void matchesSetBasedRequirements() {
        assertThat(LabelSelector.parse("platform.drover.dev/provider in (aws-eks, aws)").matches(PRODUCTION_EKS)).isTrue();
        assertThat(LabelSelector.parse("platform.drover.dev/provider in (aws-eks, aws)").matches(DEVELOPMENT_VSPHERE)).isFalse();
        assertThat(LabelSelector.parse("platform.drover.dev/provider notin (vsphere)").matches(PRODUCTION_EKS)).isTrue();
        assertThat(LabelSelector.parse("platform.drover.dev/provider notin (vsphere)").matches(DEVELOPMENT_VSPHERE)).isFalse();
        assertThat(LabelSelector.parse("tier").matches(PRODUCTION_EKS)).isTrue();
        assertThat(LabelSelector.parse("tier").matches(DEVELOPMENT_VSPHERE)).isFalse();
        assertThat(LabelSelector.parse("!tier").matches(DEVELOPMENT_VSPHERE)).isTrue();
        assertThat(LabelSelector.parse("!tier").matches(PRODUCTION_EKS)).isFalse();
    }

    @Test
    void combinesSetBasedAndEqualityRequirements() {
        LabelSelector selector = LabelSelector.parse("platform.drover.dev/environment in (production,staging),tier,"
                + "platform.drover.dev/provider=aws-eks");
        assertThat(selector.matches(PRODUCTION_EKS)).isTrue();
        assertThat(selector.requirements()).hasSize(3);
    }

    @Test
    void emptySelectorMatchesEverything() {
        assertThat(LabelSelector.parse("").isEverything()).isTrue();
        assertThat(LabelSelector.parse(null).matches(Map.of())).isTrue();
    }

    @Test
    void refusesMalformedSelectorsNamingThePosition() {
        assertThatThrownBy(() -> LabelSelector.parse("tier in (a,b"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("unable to parse labelSelector")
                .hasMessageContaining("position");
        assertThatThrownBy(() -> LabelSelector.parse("tier ~ x")).hasMessageContaining("expected one of");
        assertThatThrownBy(() -> LabelSelector.parse("-bad=x")).hasMessageContaining("invalid label key");
        assertThatThrownBy(() -> LabelSelector.parse("ok=not valid!")).isInstanceOf(ApiException.class);
    }
}
