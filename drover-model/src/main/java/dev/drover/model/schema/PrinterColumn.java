package dev.drover.model.schema;

import static java.util.Objects.requireNonNull;

/**
 * A column of {@code kubectl get} output, read from the object at a JSON pointer.
 *
 * @param name column header
 * @param type OpenAPI type of the cell: string, integer or date
 * @param pointer JSON pointer into the object; an array there is shown comma-separated
 * @param priority 0 for the default view, 1 for {@code -o wide} only
 * @param fallback shown when the object has no value at the pointer
 * @param timeLeft whether a date column shows the time until the date (EXPIRES) rather than since it (AGE)
 */
public record PrinterColumn(String name, String type, String pointer, int priority, String description, String fallback,
                            boolean timeLeft) {

    public PrinterColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(pointer, "pointer is null");
        requireNonNull(description, "description is null");
        requireNonNull(fallback, "fallback is null");
    }

    public static PrinterColumn of(String name, String pointer, String description) {
        return new PrinterColumn(name, "string", pointer, 0, description, "", false);
    }

    public static PrinterColumn age() {
        return new PrinterColumn("Age", "date", "/metadata/creationTimestamp", 0,
                "Time since the object was created.", "", false);
    }

    /** The time left until the date at the pointer, in kubectl's age format. */
    public static PrinterColumn timeLeft(String name, String pointer, String description) {
        return new PrinterColumn(name, "date", pointer, 0, description, "", true);
    }

    public PrinterColumn wide() {
        return new PrinterColumn(name, type, pointer, 1, description, fallback, timeLeft);
    }

    public PrinterColumn orElse(String shown) {
        return new PrinterColumn(name, type, pointer, priority, description, shown, timeLeft);
    }
}
