package dev.drover.model.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * One line of a cluster's monthly estimate.
 *
 * @param item what the line prices, for example {@code control-plane} or {@code node-pool/general}
 * @param detail how the amount comes about, for a person
 * @param monthly the amount, rounded to cents
 */
public record CostLine(String item, String detail, BigDecimal monthly) {

    public CostLine {
        requireNonNull(item, "item is null");
        requireNonNull(detail, "detail is null");
        monthly = Money.cents(monthly);
    }
}
