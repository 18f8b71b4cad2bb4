package dev.drover.model.validation;

import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Names;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Semantic checks of a Team. */
public final class TeamValidation {

    private TeamValidation() {
    }

    /** @throws ApiException Invalid with one cause per wrong field */
    public static void check(String name, TeamSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec.environments().isEmpty()) {
            errors.add(FieldError.required("spec.environments",
                    "list at least one environment the team may use, for example {name: development}"));
        }
        List<String> environmentNames = spec.environments().stream().map(TeamSpec.Environment::name).toList();
        for (int index = 0; index < environmentNames.size(); index++) {
            String environment = environmentNames.get(index);
            int position = index;
            Names.checkLabelValue(environment).ifPresent(why -> errors.add(
                    FieldError.invalid("spec.environments[" + position + "].name", environment, why)));
        }
        for (int index = 0; index < spec.owners().size(); index++) {
            String owner = spec.owners().get(index);
            if (!owner.matches("^[^@\\s]+@[^@\\s]+$")) {
                errors.add(FieldError.invalid("spec.owners[" + index + "]", owner, "must be an e-mail address"));
            }
        }
        spec.costCenter().ifPresent(costCenter -> Names.checkLabelValue(costCenter).ifPresent(why ->
                errors.add(FieldError.invalid("spec.costCenter", costCenter, "is carried as a label, so " + why))));
        spec.budget().ifPresent(budget -> {
            if (budget.monthly().compareTo(BigDecimal.ZERO) < 0) {
                errors.add(FieldError.invalid("spec.budget.monthly", budget.monthly().toPlainString(),
                        "must be zero or more"));
            }
            if (budget.monthly().scale() > 2) {
                errors.add(FieldError.invalid("spec.budget.monthly", budget.monthly().toPlainString(),
                        "must have at most two decimal places (cents)"));
            }
        });
        spec.lifetime().ifPresent(lifetime -> LifetimePolicies.check(lifetime, environmentNames, "team", errors));
        spec.maintenance().ifPresent(maintenance -> MaintenancePolicies.check(maintenance, "spec.maintenance", errors));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.TEAM, name, errors);
        }
    }
}
