package dev.drover.server.write;

import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.AddonProfileValidation;
import java.util.Set;
import java.util.TreeSet;

/** AddonProfiles: validated against the environments and variables the flavors define. */
final class AddonProfileRules implements KindRules {

    private final SpecCache specs;

    AddonProfileRules(SpecCache specs) {
        this.specs = specs;
    }

    @Override
    public Admitted admit(Request request) {
        AddonProfileSpec profile = Json.bind(request.spec(), AddonProfileSpec.class);
        Set<String> environments = new TreeSet<>();
        Set<String> variables = new TreeSet<>();
        for (ClusterFlavorSpec flavor : specs.all(request.transaction(), Kinds.CLUSTER_FLAVOR, ClusterFlavorSpec.class).values()) {
            environments.addAll(flavor.environments());
            flavor.variables().forEach(variable -> variables.add(variable.name()));
        }
        AddonProfileValidation.check(request.name(), profile, environments, variables);
        return new Admitted(Json.toTree(profile));
    }
}
