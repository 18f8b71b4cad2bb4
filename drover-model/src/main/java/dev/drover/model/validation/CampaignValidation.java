package dev.drover.model.validation;

import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Names;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Semantic checks of a Campaign, and what an update may not change. */
public final class CampaignValidation {

    private CampaignValidation() {
    }

    /**
     * @param previous the stored spec an update replaces
     * @throws ApiException Invalid with one cause per wrong field
     */
    public static void check(String name, CampaignSpec campaign, Optional<CampaignSpec> previous) {
        List<FieldError> errors = new ArrayList<>();
        boolean patch = campaign.change().kubernetesPatch().orElse(false);
        if (campaign.change().kubernetesVersion().isPresent() == patch) {
            errors.add(FieldError.required("spec.change", "set exactly one of kubernetesVersion (for example 1.33) and "
                    + "kubernetesPatch: true"));
        }
        if (campaign.stages().isEmpty()) {
            errors.add(FieldError.required("spec.stages", "name at least one stage, for example "
                    + "[{name: staging, environments: [staging]}, {name: production, environments: [production]}]"));
        }
        Set<String> stages = new HashSet<>();
        for (int index = 0; index < campaign.stages().size(); index++) {
            CampaignSpec.Stage stage = campaign.stages().get(index);
            String path = "spec.stages[" + index + "]";
            Names.checkLabelValue(stage.name()).ifPresent(why -> errors.add(FieldError.invalid(path + ".name", stage.name(), why)));
            stage.selector().ifPresent(selector -> errors.addAll(selector.check(path + ".selector")));
            stages.add(stage.name());
        }
        campaign.selector().ifPresent(selector -> errors.addAll(selector.check("spec.selector")));
        for (String approved : campaign.approvedStages()) {
            if (!stages.contains(approved)) {
                errors.add(FieldError.notSupported("spec.approvedStages", approved, stages));
            }
        }
        clusterNames("spec.skip", campaign.skip(), errors);
        clusterNames("spec.acceptedFailures", campaign.acceptedFailures(), errors);
        clusterNames("spec.retries.cluster", campaign.retries().stream().map(CampaignSpec.Retry::cluster).toList(), errors);
        campaign.deadline().ifPresent(deadline -> {
            try {
                Instant.parse(deadline);
            } catch (DateTimeParseException notATime) {
                errors.add(FieldError.invalid("spec.deadline", deadline, "is not an RFC 3339 time such as 2026-12-20T00:00:00Z"));
            }
        });
        campaign.updateTimeout().filter(timeout -> timeout.isEmpty() || timeout.matches("^0+h?0*m?$"))
                .ifPresent(timeout -> errors.add(FieldError.invalid("spec.updateTimeout", timeout, "must be longer than zero")));
        previous.ifPresent(before -> {
            if (!before.change().equals(campaign.change())) {
                errors.add(FieldError.forbidden("spec.change", "a campaign's change cannot change once it exists; abort it "
                        + "(spec.aborted: true) and create a new Campaign"));
            }
            if (before.aborted().orElse(false) && !campaign.aborted().orElse(false)) {
                errors.add(FieldError.forbidden("spec.aborted", "an aborted campaign stays aborted; create a new Campaign to "
                        + "go on"));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.CAMPAIGN, name, errors);
        }
    }

    private static void clusterNames(String field, List<String> names, List<FieldError> errors) {
        for (String cluster : names) {
            int slash = cluster.indexOf('/');
            if (slash <= 0 || slash != cluster.lastIndexOf('/') || slash == cluster.length() - 1) {
                errors.add(FieldError.invalid(field, cluster, "name a cluster as team/name, for example payments/api"));
            }
        }
    }
}
