package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("A Cluster's estimated monthly cost. Amounts are decimal strings in the PriceBook's currency, each line rounded "
        + "half-even to cents; the total is the sum of the lines.")
public record CostStatus(
        @Doc("ISO 4217 currency of the amounts.") Optional<String> currency,
        @Required @Doc("Monthly total. A lower bound while unpriced lists items.") String monthly,
        @Doc("Total with currency, as the COST column shows it; a trailing + marks a lower bound.") Optional<String> summary,
        @Doc("PriceBook the estimate comes from.") Optional<String> priceBook,
        @Doc("The lines of the estimate.") List<Line> lines,
        @Doc("Items the PriceBook has no figure for; they are not counted as zero but left out, and the CostKnown "
                + "condition is False.") List<String> unpriced) {

    public CostStatus {
        currency = Values.option(currency);
        summary = Values.option(summary);
        priceBook = Values.option(priceBook);
        lines = Values.list(lines);
        unpriced = Values.list(unpriced);
    }

    @Doc("One line of an estimate.")
    public record Line(
            @Required @Doc("What the line prices, for example control-plane or node-pool/general.") String item,
            @Required @Doc("Monthly amount.") String monthly,
            @Doc("How the amount comes about.") Optional<String> detail) {

        public Line {
            detail = Values.option(detail);
        }
    }
}
