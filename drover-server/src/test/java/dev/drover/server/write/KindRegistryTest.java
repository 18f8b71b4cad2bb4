package dev.drover.server.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.api.Kinds;
import dev.drover.server.auth.Access;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every kind is registered once, and a kind without a registration stops the start instead of being guessed at. */
class KindRegistryTest {

    @Test
    void theStandardRegistryServesEveryKindWithItsAccessAndSubresources() {
        KindRegistry registry = KindRegistry.standard(java.time.Clock.systemUTC());

        assertThat(registry.access()).containsOnlyKeys(Kinds.ALL);
        assertThat(registry.access().get(Kinds.CLUSTER)).isEqualTo(Access.TEAM_NAMESPACED);
        assertThat(registry.access().get(Kinds.TEAM)).isEqualTo(Access.TEAM_ITSELF);
        assertThat(registry.hasSubresource(Kinds.ADDON_PROFILE, KindRegistry.PROMOTE)).isTrue();
        assertThat(registry.hasSubresource(Kinds.CLUSTER, KindRegistry.PROMOTE)).isFalse();
        assertThat(registry.registration(Kinds.CLUSTER).finalizers()).containsExactly(Kinds.FLEET_FINALIZER);
    }

    @Test
    void aKindWithoutARegistrationIsAStartUpError() {
        var specs = new SpecCache();
        List<KindRegistry.Registration> allButPriceBooks = List.of(
                new KindRegistry.Registration(Kinds.TEAM, Access.TEAM_ITSELF, Set.of(), List.of(), new TeamRules(specs)),
                new KindRegistry.Registration(Kinds.CLUSTER_FLAVOR, Access.PLATFORM_SHARED, Set.of(), List.of(),
                        new ClusterFlavorRules()),
                new KindRegistry.Registration(Kinds.CLUSTER, Access.TEAM_NAMESPACED, Set.of(), List.of(), new ClusterRules(specs, java.time.Clock.systemUTC())),
                new KindRegistry.Registration(Kinds.ADDON_PROFILE, Access.PLATFORM_SHARED, Set.of(), List.of(),
                        new AddonProfileRules(specs)));

        assertThatThrownBy(() -> new KindRegistry(specs, allButPriceBooks))
                .isInstanceOf(IllegalStateException.class).hasMessage("kind PriceBook is served but has no registration");
    }

    @Test
    void aKindRegisteredTwiceIsAStartUpError() {
        var specs = new SpecCache();
        var team = new KindRegistry.Registration(Kinds.TEAM, Access.TEAM_ITSELF, Set.of(), List.of(), new TeamRules(specs));

        assertThatThrownBy(() -> new KindRegistry(specs, List.of(team, team)))
                .isInstanceOf(IllegalStateException.class).hasMessage("kind Team is registered twice");
    }
}
