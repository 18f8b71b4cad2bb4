package dev.drover.model.validation;

import dev.drover.model.api.Kinds;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One currency per fleet: every PriceBook and every team budget that names a currency use the same one, because
 * Drover adds estimates up and compares them with budgets and does not convert. Also: exactly one default PriceBook.
 */
public final class Currencies {

    private Currencies() {
    }

    public static void checkTeam(String name, TeamSpec team, Map<String, PriceBookSpec> books) {
        team.budget().flatMap(TeamSpec.Budget::currency).ifPresent(currency -> books.entrySet().stream()
                .filter(book -> !book.getValue().currency().equals(currency)).findFirst().ifPresent(book -> {
                    throw ApiException.invalid(Kinds.TEAM, name, List.of(FieldError.invalid("spec.budget.currency", currency,
                            "clusters are priced in " + book.getValue().currency() + " (PriceBook \"" + book.getKey()
                                    + "\") and Drover does not convert currencies; give the budget in "
                                    + book.getValue().currency() + " or leave the currency out")));
                }));
    }

    public static void checkPriceBook(String name, PriceBookSpec book, Map<String, PriceBookSpec> others, Map<String, TeamSpec> teams) {
        List<FieldError> errors = new ArrayList<>();
        if (book.defaultBook()) {
            others.entrySet().stream().filter(other -> other.getValue().defaultBook()).findFirst().ifPresent(other ->
                    errors.add(FieldError.invalid("spec.default", true, "PriceBook \"" + other.getKey()
                            + "\" is already the default and exactly one PriceBook is; set its spec.default to false first")));
        }
        List<String> conflicts = new ArrayList<>();
        others.forEach((otherName, other) -> {
            if (!other.currency().equals(book.currency())) {
                conflicts.add("PriceBook \"" + otherName + "\" prices in " + other.currency());
            }
        });
        teams.forEach((teamName, team) -> team.budget().flatMap(TeamSpec.Budget::currency)
                .filter(currency -> !currency.equals(book.currency()))
                .ifPresent(currency -> conflicts.add("team \"" + teamName + "\" budgets in " + currency)));
        if (!conflicts.isEmpty()) {
            errors.add(FieldError.invalid("spec.currency", book.currency(), String.join(", ", conflicts)
                    + "; Drover does not convert currencies, so every PriceBook and budget uses one currency"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.PRICE_BOOK, name, errors);
        }
    }
}
