package dev.drover.server.write;

import dev.drover.model.cost.ClusterCost;
import java.math.BigDecimal;

/**
 * A Cluster's monthly cost in cents, stored as an attribute of the object so that a team's total is one usage sum in
 * the write transaction that checks its budget. Admission sets it from the estimate; the cost reconciler keeps it
 * current when prices or virtual-cluster shares change.
 */
public final class CostAttribute {

    public static final String MONTHLY_COST_CENTS = "monthlyCostCents";

    private CostAttribute() {
    }

    public static long cents(ClusterCost cost) {
        return cost.monthly().movePointRight(2).longValueExact();
    }

    public static BigDecimal amount(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
