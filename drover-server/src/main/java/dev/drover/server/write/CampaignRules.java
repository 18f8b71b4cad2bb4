package dev.drover.server.write;

import dev.drover.model.api.CampaignSpec;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.CampaignValidation;

/** Campaigns: validated; an update keeps the change and never undoes an abort. */
final class CampaignRules implements KindRules {

    @Override
    public Admitted admit(Request request) {
        CampaignSpec campaign = Json.bind(request.spec(), CampaignSpec.class);
        CampaignValidation.check(request.name(), campaign, request.previous()
                .map(stored -> Json.bind(Json.parseObject(stored.json()).path("spec"), CampaignSpec.class)));
        return new Admitted(Json.toTree(campaign));
    }
}
