package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.CampaignStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.campaign.CampaignStep;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.CampaignValidation;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A campaign's plan from now on, as the API serves it ({@code campaigns/NAME/plan}): the stored campaign from where it
 * stands, or a campaign sent in the request from the start, against the fleet as the controllers' informers hold it.
 * Changes nothing.
 */
public final class CampaignPlanning {

    private volatile Optional<Supplier<CampaignStep.Fleet>> fleet = Optional.empty();

    /** Called by the campaign controller once its informers are registered. */
    public void connect(Supplier<CampaignStep.Fleet> source) {
        fleet = Optional.of(source);
    }

    /** A CampaignPlan object: the schedule, the clusters left out and why, the ETA and the late clusters. */
    JsonNode plan(String name, CampaignSpec spec, CampaignStatus status, long generation, Instant now) {
        CampaignStep.Fleet observed = fleet.orElseThrow(() -> new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE,
                "the fleet is still being loaded; try again in a moment")).get();
        // To the second, as the plan is read by people.
        CampaignStep.Outcome outcome = CampaignStep.decide(name, generation, spec, status, observed, Map.of(),
                now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        ObjectNode plan = Json.MAPPER.createObjectNode();
        plan.put("apiVersion", Kinds.CAMPAIGN.apiVersion());
        plan.put("kind", "CampaignPlan");
        plan.putObject("metadata").put("name", name);
        plan.setAll((ObjectNode) Json.toTree(outcome.plan()));
        spec.deadline().ifPresent(deadline -> plan.put("deadline", deadline));
        ArrayNode notPlanned = plan.putArray("notPlanned");
        outcome.status().clusters().stream().filter(cluster -> cluster.state().finished()).forEach(cluster -> notPlanned.addObject()
                .put("name", cluster.name()).put("state", Json.MAPPER.convertValue(cluster.state(), String.class))
                .put("reason", cluster.reason().orElse("")).put("message", cluster.message().orElse("")));
        return plan;
    }

    /** The campaign a plan request sends: a whole Campaign object, validated as a create would be. */
    static CampaignSpec requested(String name, JsonNode body) {
        if (!body.path("kind").asText().equals(Kinds.CAMPAIGN.kind())) {
            throw ApiException.badRequest("send a Campaign (kind: Campaign, apiVersion: " + Kinds.CAMPAIGN.apiVersion()
                    + ") to plan it; got kind \"" + body.path("kind").asText() + "\"");
        }
        CampaignSpec spec = Json.bind(body.path("spec"), CampaignSpec.class);
        CampaignValidation.check(name, spec, Optional.empty());
        return spec;
    }
}
