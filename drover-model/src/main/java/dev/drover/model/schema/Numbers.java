package dev.drover.model.schema;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Bounds on the numbers Drover accepts. A decimal such as {@code 1e999999999} is a few bytes to send but a gigabyte
 * to print in full, and arithmetic on it takes as long: numbers are held to the range of a double (an exponent within
 * ±{@value #MAX_EXPONENT}) before anything computes with them.
 */
public final class Numbers {

    public static final int MAX_EXPONENT = 300;
    /** Longer decimal text than this is no amount or fraction anyone means. */
    private static final int MAX_DECIMAL_TEXT = 100;

    private Numbers() {
    }

    /** Whether the number's decimal exponent lies within ±{@link #MAX_EXPONENT}. */
    public static boolean inRange(BigDecimal value) {
        if (value.signum() == 0) {
            return true;
        }
        long exponent = (long) value.precision() - value.scale() - 1;
        return Math.abs(exponent) <= MAX_EXPONENT;
    }

    /** The decimal a text spells, if it spells one in range ({@code "0.7"}, {@code "1500.00"}, {@code "2e3"}). */
    public static Optional<BigDecimal> parseDecimal(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_DECIMAL_TEXT) {
            return Optional.empty();
        }
        try {
            BigDecimal value = new BigDecimal(text);
            return inRange(value) ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /** A value for an error message: short values as they are, long ones cut, so an answer never echoes megabytes. */
    public static String excerpt(String value) {
        return value.length() <= 64 ? value : value.substring(0, 60) + "… (" + value.length() + " characters)";
    }
}
