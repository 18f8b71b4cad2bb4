package dev.drover.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an owner's decision is merged into a stored status, without a store. */
class StatusWriterTest {

    private static final ObjectKey KEY = new ObjectKey(Kinds.CLUSTER.kind(), "payments", "payments-prod");
    private static final String EARLIER = "2026-11-30T08:00:00Z";
    private static final String NOW = "2026-12-01T09:30:00Z";

    private final ObjectNode stored = Json.parseObject("""
            {"phase":"Provisioning","observedGeneration":3,
             "conditions":[
               {"type":"Rendered","status":"True","observedGeneration":3,"lastTransitionTime":"%1$s","reason":"Rendered","message":"ok"},
               {"type":"CostKnown","status":"True","observedGeneration":3,"lastTransitionTime":"%1$s","reason":"Priced","message":"p"}],
             "cost":{"monthly":"10.00"}}""".formatted(EARLIER));

    @Test
    void anUnchangedDecisionGivesTheStoredStatusBackExactly() {
        var update = new StatusWriter.Update(KEY, Map.of("phase", TextNode.valueOf("Provisioning"),
                "observedGeneration", Json.MAPPER.getNodeFactory().numberNode(3L)),
                List.of(Condition.of("Rendered", true, 3, "Rendered", "ok")));

        assertThat(StatusWriter.same(StatusWriter.apply(update, stored, NOW), stored)).isTrue();
    }

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusFlips() {
        JsonNode sameStatus = StatusWriter.apply(new StatusWriter.Update(KEY, Map.of(),
                List.of(Condition.of("Rendered", true, 4, "Rendered", "generation 4"))), stored, NOW);
        JsonNode flipped = StatusWriter.apply(new StatusWriter.Update(KEY, Map.of(),
                List.of(Condition.of("Rendered", false, 4, "FlavorNotFound", "gone"))), stored, NOW);

        assertThat(sameStatus.path("conditions").get(0).path("lastTransitionTime").asText()).isEqualTo(EARLIER);
        assertThat(sameStatus.path("conditions").get(0).path("message").asText()).isEqualTo("generation 4");
        assertThat(flipped.path("conditions").get(0).path("lastTransitionTime").asText()).isEqualTo(NOW);
        assertThat(flipped.path("conditions").get(0).path("status").asText()).isEqualTo("False");
    }

    @Test
    void anOwnerLeavesTheOtherOwnersFieldsAndConditionsAlone() {
        JsonNode updated = StatusWriter.apply(new StatusWriter.Update(KEY, Map.of("phase", TextNode.valueOf("Failed"),
                "git", NullNode.getInstance()), List.of(Condition.of("Committed", false, 3, "RenderFailed", "see Rendered"))),
                stored, NOW);

        assertThat(updated.path("cost")).isEqualTo(stored.path("cost"));
        assertThat(updated.path("phase").asText()).isEqualTo("Failed");
        assertThat(updated.has("git")).isFalse();
        assertThat(updated.path("conditions")).extracting(condition -> condition.path("type").asText())
                .containsExactly("Rendered", "CostKnown", "Committed");
        assertThat(updated.path("conditions").get(1)).isEqualTo(stored.path("conditions").get(1));
    }

    @Test
    void twoOwnersCannotClaimTheSameCondition() {
        var writer = new StatusWriter(null, java.time.Clock.systemUTC(), dev.drover.server.store.LeaderFence.none());
        writer.register(new StatusWriter.Owner("fleet", Kinds.CLUSTER, java.util.Set.of("phase"), java.util.Set.of("Ready"),
                java.util.Set.of(), java.util.Optional.empty()));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.register(new StatusWriter.Owner("observer", Kinds.CLUSTER,
                        java.util.Set.of(), java.util.Set.of("Ready"), java.util.Set.of(), java.util.Optional.empty())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("observer and fleet both claim condition Ready");
    }
}
