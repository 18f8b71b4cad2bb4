package dev.drover.model.error;

import static java.util.Objects.requireNonNull;


/**
 * One thing wrong with one field, as a Kubernetes {@code StatusCause}.
 *
 * @param type the cause type ({@code FieldValueInvalid}, {@code FieldValueRequired}, …)
 * @param field the field path, for example {@code spec.nodePools[1].instanceType}
 * @param message what was wrong and what is allowed
 */
public record FieldError(String type, String field, String message) {

    public FieldError {
        requireNonNull(type, "type is null");
        requireNonNull(field, "field is null");
        requireNonNull(message, "message is null");
    }

    public static FieldError invalid(String field, Object value, String why) {
        return new FieldError("FieldValueInvalid", field, "Invalid value: " + quote(value) + ": " + why);
    }

    public static FieldError required(String field, String why) {
        return new FieldError("FieldValueRequired", field, "Required value: " + why);
    }

    public static FieldError notSupported(String field, Object value, java.util.Collection<?> allowed) {
        var quoted = new StringBuilder();
        for (Object each : allowed) {
            quoted.append(quoted.isEmpty() ? "" : ", ").append(quote(each));
        }
        return new FieldError("FieldValueNotSupported", field,
                "Unsupported value: " + quote(value) + ": supported values: " + quoted);
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError("FieldValueDuplicate", field, "Duplicate value: " + quote(value));
    }

    public static FieldError forbidden(String field, String why) {
        return new FieldError("FieldValueForbidden", field, "Forbidden: " + why);
    }

    public static FieldError notFoundReference(String field, String name, String kind, String howToList) {
        return new FieldError("FieldValueNotFound", field, "Not found: \"" + name + "\": no " + kind
                + " of that name exists (list them with `" + howToList + "`)");
    }

    private static String quote(Object value) {
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        return String.valueOf(value);
    }
}
