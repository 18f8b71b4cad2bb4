package dev.drover.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.server.testing.TestStore;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replica elected after another fences the other's controller writes off, in the database. */
class LeaderFenceIT {

    @Test
    void aDeposedLeadersWriteIsRefusedAndLeavesNothing() throws Exception {
        try (TestStore test = TestStore.start("drover-fence-", Duration.ofHours(1))) {
            ResourceStore store = test.store();
            LeaderFence first = LeaderFence.elected();
            LeaderFence second = LeaderFence.elected();
            try (Connection session = test.database().dataSource().getConnection()) {
                first.takeNextEpoch(session);
            }
            assertThat(write(store, first, "v1").resourceVersion()).isPositive();

            try (Connection session = test.database().dataSource().getConnection()) {
                second.takeNextEpoch(session);
            }
            assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
            ApiException refused = catchThrowableOfType(ApiException.class, () -> write(store, first, "late"));
            assertThat(refused.reason()).isEqualTo(ApiException.Reason.CONFLICT);
            assertThat(refused.getMessage()).contains("no longer the leader", "epoch is " + first.epoch());
            assertThat(store.get(new ObjectKey("Fenced", "team", "object")).orElseThrow().json()).contains("\"v1\"")
                    .doesNotContain("late");

            assertThat(write(store, second, "v2").json()).contains("\"v2\"");
            assertThat(write(store, LeaderFence.none(), "unfenced").json()).contains("unfenced");
        }
    }

    private static StoredObject write(ResourceStore store, LeaderFence fence, String value) {
        return store.write(transaction -> {
            fence.check(transaction);
            var object = Json.parseObject("{\"metadata\":{\"name\":\"object\"},\"spec\":{\"value\":\"" + value + "\"}}");
            return transaction.put("Fenced", "team", "object", Map.of(), Map.of(), object);
        });
    }
}
