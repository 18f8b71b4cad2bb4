package dev.drover.model.campaign;

import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSelector;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.environment.MaintenanceWindows;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Which Clusters a campaign takes, in which stage, how many at once, with which windows, and its durations. */
public final class CampaignScope {

    public static final Duration DEFAULT_UPDATE_TIMEOUT = Duration.ofHours(2);
    public static final Duration DEFAULT_EXPECTED_DURATION = Duration.ofHours(1);

    private CampaignScope() {
    }

    public static boolean selects(CampaignSpec campaign, Map<String, String> labels) {
        return campaign.selector().map(selector -> selector.toLabelSelector().matches(labels)).orElse(true);
    }

    /** The first stage that selects the Cluster; empty: excluded. */
    public static Optional<CampaignSpec.Stage> stageOf(CampaignSpec campaign, ClusterSpec spec, Map<String, String> labels) {
        return campaign.stages().stream()
                .filter(stage -> stage.environments().isEmpty() || stage.environments().contains(spec.environment()))
                .filter(stage -> stage.selector().map(ClusterSelector::toLabelSelector).map(selector -> selector.matches(labels))
                        .orElse(true))
                .findFirst();
    }

    /** A stage's concurrency for its number of clusters: a number, or a percentage rounded up; at least one. */
    public static int maxConcurrent(CampaignSpec.Stage stage, int clusters) {
        String text = stage.maxConcurrent().orElse("1");
        if (text.endsWith("%")) {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1));
            return Math.max(1, (int) Math.ceil(clusters * percent / 100.0));
        }
        return Math.max(1, Integer.parseInt(text));
    }

    public static Duration bake(CampaignSpec.Stage stage) {
        return stage.bakeTime().filter(text -> !text.isEmpty()).map(Lifetime::parse).orElse(Duration.ZERO);
    }

    public static Duration updateTimeout(CampaignSpec campaign) {
        return campaign.updateTimeout().map(Lifetime::parse).orElse(DEFAULT_UPDATE_TIMEOUT);
    }

    public static Duration expectedDuration(CampaignSpec campaign) {
        return campaign.expectedUpdateDuration().map(Lifetime::parse).orElse(DEFAULT_EXPECTED_DURATION);
    }

    /** The windows a campaign waits for on the Cluster; none with spec.maintenance.immediate. */
    public static Optional<MaintenanceWindows.Source> windows(ClusterSpec spec, String teamName, Optional<TeamSpec> team,
                                                              String flavorName, ClusterFlavorSpec flavor) {
        return MaintenanceWindows.immediate(spec) ? Optional.empty()
                : MaintenanceWindows.of(spec, teamName, team, flavorName, flavor);
    }
}
