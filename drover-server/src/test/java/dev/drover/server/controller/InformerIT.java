package dev.drover.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.testing.TestStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An informer on a real store: the first list, live changes, deletions, the label index and the kept status fields. */
class InformerIT {

    private static TestStore testStore;
    private static ResourceStore store;

    @BeforeAll
    static void startStore() throws Exception {
        testStore = TestStore.start("drover-informer-", Duration.ofHours(1));
        store = testStore.store();
    }

    @AfterAll
    static void stopStore() {
        testStore.close();
    }

    @Test
    void tellsHandlersOfTheListThenOfEveryChangeAndKeepsItsIndexes() throws Exception {
        putTeam("listed", "blue", "Listed");
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (var informer = new Informer<>(store, Kinds.TEAM, TeamSpec.class, Set.of("cost"))) {
            informer.addHandler((before, after) -> {
                throw new IllegalStateException("a broken handler must not silence the others");
            });
            informer.addHandler((before, after) -> events.add((before.isPresent() ? "before " + before.get().spec().displayName().orElse("") : "new")
                    + " -> " + after.flatMap(team -> team.spec().displayName()).orElse("gone")));
            informer.start();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("new -> Listed");

            putTeam("listed", "green", "Relabelled");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("before Listed -> Relabelled");
            assertThat(informer.withLabel("colour", "blue")).isEmpty();
            assertThat(informer.withLabel("colour", "green")).extracting(CachedObject::name).containsExactly("listed");
            CachedObject<TeamSpec> cached = informer.get(new ObjectKey(Kinds.TEAM.kind(), "", "listed")).orElseThrow();
            assertThat(cached.status().fieldNames()).toIterable().containsExactly("cost");
            assertThat(cached.status().path("cost").path("monthly").asText()).isEqualTo("1.00");

            store.write(transaction -> transaction.delete(transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", "listed")).orElseThrow(),
                    Json.parseObject(transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", "listed")).orElseThrow().json())));
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("before Relabelled -> gone");
            assertThat(informer.withLabel("colour", "green")).isEmpty();
            assertThat(informer.list()).isEmpty();
        }
    }

    private static void putTeam(String name, String colour, String displayName) {
        store.write(transaction -> {
            ObjectNode object = Json.MAPPER.createObjectNode();
            object.put("apiVersion", Kinds.TEAM.apiVersion()).put("kind", Kinds.TEAM.kind());
            object.putObject("metadata").put("name", name).put("generation", 1).putObject("labels").put("colour", colour);
            object.putObject("spec").put("displayName", displayName);
            ObjectNode status = object.putObject("status");
            status.putObject("cost").put("monthly", "1.00");
            status.putArray("conditions").addObject().put("type", "BudgetWarning").put("status", "False");
            return transaction.put(Kinds.TEAM.kind(), "", name, Map.of("colour", colour), Map.of(), object);
        });
    }
}
