package dev.drover.server.write;

import dev.drover.model.error.ApiException;

/** How unknown fields are treated, as the {@code fieldValidation} query parameter says. */
public enum FieldValidation {
    STRICT, WARN, IGNORE;

    public static FieldValidation parse(String text) {
        if (text == null || text.isEmpty() || text.equals("Warn")) {
            return WARN;
        }
        return switch (text) {
            case "Strict" -> STRICT;
            case "Ignore" -> IGNORE;
            default -> throw ApiException.badRequest("fieldValidation \"" + text
                    + "\" is not supported (allowed: Strict, Warn, Ignore)");
        };
    }
}
