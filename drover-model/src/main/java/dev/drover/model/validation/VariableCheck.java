package dev.drover.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.error.FieldError;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checks one value against a flavor's typed variable declaration. */
final class VariableCheck {

    /** Compiled flavor patterns by their text: admission checks every create against them, compiling is the cost. */
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();
    private static final int COMPILED_LIMIT = 1_000;

    private VariableCheck() {
    }

    private static Pattern compiled(String pattern) {
        Pattern known = COMPILED.get(pattern);
        if (known != null) {
            return known;
        }
        if (COMPILED.size() >= COMPILED_LIMIT) {
            COMPILED.clear();
        }
        Pattern compiled = Pattern.compile(pattern);
        COMPILED.put(pattern, compiled);
        return compiled;
    }

    static Optional<FieldError> check(ClusterFlavorSpec.Variable declaration, JsonNode value, String path) {
        boolean typeMatches = switch (declaration.type()) {
            case STRING -> value.isTextual();
            case INTEGER -> value.isIntegralNumber();
            case NUMBER -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
        };
        String typeName = declaration.type().name().toLowerCase(java.util.Locale.ROOT);
        if (!typeMatches) {
            return Optional.of(FieldError.invalid(path, value.toString(), "variable \"" + declaration.name()
                    + "\" must be of type " + typeName));
        }
        if (!declaration.allowedValues().isEmpty() && !declaration.allowedValues().contains(value)) {
            return Optional.of(FieldError.notSupported(path, display(value), declaration.allowedValues().stream()
                    .map(VariableCheck::display).toList()));
        }
        if (declaration.pattern().isPresent() && value.isTextual()) {
            try {
                if (!compiled(declaration.pattern().get()).matcher(value.textValue()).matches()) {
                    return Optional.of(FieldError.invalid(path, value.textValue(),
                            "must match the pattern " + declaration.pattern().get()));
                }
            } catch (PatternSyntaxException badPattern) {
                return Optional.of(FieldError.invalid(path, value.textValue(), "the flavor's pattern for variable \""
                        + declaration.name() + "\" is not a valid regular expression"));
            }
        }
        if (value.isNumber() && declaration.minimum().isPresent()
                && value.decimalValue().compareTo(declaration.minimum().get()) < 0) {
            return Optional.of(FieldError.invalid(path, value.decimalValue(),
                    "must be greater than or equal to " + declaration.minimum().get().toPlainString()));
        }
        if (value.isNumber() && declaration.maximum().isPresent()
                && value.decimalValue().compareTo(declaration.maximum().get()) > 0) {
            return Optional.of(FieldError.invalid(path, value.decimalValue(),
                    "must be less than or equal to " + declaration.maximum().get().toPlainString()));
        }
        return Optional.empty();
    }

    private static Object display(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }
}
