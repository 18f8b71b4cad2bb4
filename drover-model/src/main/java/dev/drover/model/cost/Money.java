package dev.drover.model.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decimal money. Intermediate products keep 34 significant digits; every amount that is shown or added up is rounded
 * half-even to cents first, so that totals are exact sums of the figures they are made of.
 */
public final class Money {

    static final MathContext PRECISION = MathContext.DECIMAL128;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);
    private static final BigDecimal CENT = new BigDecimal("0.01");

    private Money() {
    }

    /** Rounds half-even to cents. */
    public static BigDecimal cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Plain decimal with two places, for example {@code 1234.50}. */
    public static String format(BigDecimal amount) {
        return cents(amount).toPlainString();
    }

    /** An amount with its currency, for example {@code 1234.50 USD}. */
    public static String format(BigDecimal amount, String currency) {
        return format(amount) + " " + currency;
    }

    /** A fraction as a percentage with one decimal place, for example {@code 82.5 %}. */
    public static String percent(BigDecimal fraction) {
        return fraction.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + " %";
    }

    /**
     * Splits a total in proportion to weights so that the parts add up to the total exactly: each part is rounded down to
     * cents and the cents left over go to the largest remainders (ties to the first key). Zero weights get nothing;
     * when every weight is zero, the total is split evenly.
     */
    public static <K> Map<K, BigDecimal> allocate(BigDecimal total, Map<K, BigDecimal> weights) {
        Map<K, BigDecimal> effective = new LinkedHashMap<>(weights);
        BigDecimal sum = effective.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (sum.signum() == 0) {
            effective.replaceAll((key, weight) -> BigDecimal.ONE);
            sum = BigDecimal.valueOf(effective.size());
        }
        Map<K, BigDecimal> parts = new LinkedHashMap<>();
        if (effective.isEmpty()) {
            return parts;
        }
        BigDecimal roundedTotal = cents(total);
        List<Map.Entry<K, BigDecimal>> remainders = new ArrayList<>();
        BigDecimal given = BigDecimal.ZERO;
        for (Map.Entry<K, BigDecimal> entry : effective.entrySet()) {
            BigDecimal exact = roundedTotal.multiply(entry.getValue(), PRECISION).divide(sum, PRECISION);
            BigDecimal floor = exact.setScale(2, RoundingMode.FLOOR);
            parts.put(entry.getKey(), floor);
            given = given.add(floor);
            remainders.add(Map.entry(entry.getKey(), exact.subtract(floor)));
        }
        long leftover = roundedTotal.subtract(given).divide(CENT).longValueExact();
        remainders.sort(Map.Entry.<K, BigDecimal>comparingByValue(Comparator.reverseOrder()));
        for (int index = 0; index < leftover; index++) {
            K key = remainders.get(index % remainders.size()).getKey();
            parts.put(key, parts.get(key).add(CENT));
        }
        return parts;
    }
}
