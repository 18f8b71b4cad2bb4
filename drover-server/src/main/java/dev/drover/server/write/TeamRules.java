package dev.drover.server.write;

import dev.drover.model.api.Kinds;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.Currencies;
import dev.drover.model.validation.TeamValidation;
import dev.drover.server.store.WriteTransaction;
import java.util.List;

/** Teams: validated, budgets in the fleet's currency; not deleted while they own Clusters or Applications. */
final class TeamRules implements KindRules {

    private final SpecCache specs;

    TeamRules(SpecCache specs) {
        this.specs = specs;
    }

    @Override
    public Admitted admit(Request request) {
        TeamSpec team = Json.bind(request.spec(), TeamSpec.class);
        TeamValidation.check(request.name(), team);
        Currencies.checkTeam(request.name(), team, specs.all(request.transaction(), Kinds.PRICE_BOOK, PriceBookSpec.class));
        return new Admitted(Json.toTree(team));
    }

    @Override
    public void beforeDelete(WriteTransaction transaction, String team) {
        List<String> applications = transaction.names(Kinds.APPLICATION.kind(), team);
        if (!applications.isEmpty()) {
            throw ApiException.conflict(Kinds.TEAM, team, "the team still owns " + applications.size() + " application"
                    + (applications.size() == 1 ? "" : "s") + " (" + shown(applications) + "); delete them first with "
                    + "`kubectl delete applications --all -n " + team + "`");
        }
        List<String> names = transaction.names(Kinds.CLUSTER.kind(), team);
        if (names.isEmpty()) {
            return;
        }
        throw ApiException.conflict(Kinds.TEAM, team, "the team still owns " + names.size() + " cluster"
                + (names.size() == 1 ? "" : "s") + " (" + shown(names) + "); delete them first with "
                + "`kubectl delete clusters --all -n " + team + "`");
    }

    private static String shown(List<String> names) {
        return String.join(", ", names.size() > 20 ? names.subList(0, 20) : names)
                + (names.size() > 20 ? " and " + (names.size() - 20) + " more" : "");
    }
}
