package dev.drover.server.write;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.FlavorValidation;

/** ClusterFlavors: validated on their own. */
final class ClusterFlavorRules implements KindRules {

    @Override
    public Admitted admit(Request request) {
        ClusterFlavorSpec flavor = Json.bind(request.spec(), ClusterFlavorSpec.class);
        FlavorValidation.check(request.name(), flavor);
        return new Admitted(Json.toTree(flavor));
    }
}
