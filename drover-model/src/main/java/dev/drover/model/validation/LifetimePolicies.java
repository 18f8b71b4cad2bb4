package dev.drover.model.validation;

import dev.drover.model.api.LifetimePolicy;
import dev.drover.model.error.FieldError;
import dev.drover.model.environment.Lifetime;
import java.util.List;

/** A flavor's or a team's spec.lifetime: a positive maximum, and environments the object knows. */
final class LifetimePolicies {

    private LifetimePolicies() {
    }

    static void check(LifetimePolicy policy, List<String> environments, String owner, List<FieldError> errors) {
        policy.maximumTtl().filter(maximum -> Lifetime.parse(maximum).isZero()).ifPresent(maximum -> errors.add(
                FieldError.invalid("spec.lifetime.maximumTtl", maximum, "must be longer than zero, for example 336h")));
        for (int index = 0; index < policy.ttlRequiredIn().size(); index++) {
            String environment = policy.ttlRequiredIn().get(index);
            if (!environments.contains(environment)) {
                errors.add(FieldError.invalid("spec.lifetime.ttlRequiredIn[" + index + "]", environment, "is not one of the "
                        + owner + "'s environments (" + String.join(", ", environments) + ")"));
            }
        }
    }
}
