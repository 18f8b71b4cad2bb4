package dev.drover.server.write;

import dev.drover.model.api.Kinds;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.Currencies;
import dev.drover.model.validation.PriceBookValidation;
import java.util.SortedMap;

/** PriceBooks: validated, one default, one currency with the other books and the budgets. */
final class PriceBookRules implements KindRules {

    private final SpecCache specs;

    PriceBookRules(SpecCache specs) {
        this.specs = specs;
    }

    @Override
    public Admitted admit(Request request) {
        PriceBookSpec book = Json.bind(request.spec(), PriceBookSpec.class);
        PriceBookValidation.check(request.name(), book);
        SortedMap<String, PriceBookSpec> others = specs.all(request.transaction(), Kinds.PRICE_BOOK, PriceBookSpec.class);
        others.remove(request.name());
        Currencies.checkPriceBook(request.name(), book, others, specs.all(request.transaction(), Kinds.TEAM, TeamSpec.class));
        return new Admitted(Json.toTree(book));
    }
}
