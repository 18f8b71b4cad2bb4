package dev.drover.model.selector;

import static java.util.Objects.requireNonNull;

import dev.drover.model.error.ApiException;
import java.util.ArrayList;
import java.util.List;

/** A parsed field selector over {@code metadata.name} and {@code metadata.namespace} ({@code =}, {@code ==}, {@code !=}). */
public record FieldSelector(List<Term> terms) {

    public record Term(String field, boolean equal, String value) {
        public Term {
            requireNonNull(field, "field is null");
            requireNonNull(value, "value is null");
        }
    }

    public static final List<String> SUPPORTED_FIELDS = List.of("metadata.name", "metadata.namespace");

    public FieldSelector {
        terms = List.copyOf(terms);
    }

    /** @throws ApiException BadRequest for a field that cannot be selected on or a term that does not parse */
    public static FieldSelector parse(String text) {
        List<Term> terms = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new FieldSelector(terms);
        }
        for (String part : text.split(",")) {
            String term = part.trim();
            int notEqual = term.indexOf("!=");
            int doubleEqual = term.indexOf("==");
            int equal = term.indexOf('=');
            String field;
            String value;
            boolean isEqual;
            if (notEqual > 0) {
                field = term.substring(0, notEqual);
                value = term.substring(notEqual + 2);
                isEqual = false;
            } else if (doubleEqual > 0) {
                field = term.substring(0, doubleEqual);
                value = term.substring(doubleEqual + 2);
                isEqual = true;
            } else if (equal > 0) {
                field = term.substring(0, equal);
                value = term.substring(equal + 1);
                isEqual = true;
            } else {
                throw ApiException.badRequest("unable to parse fieldSelector term \"" + term
                        + "\": expected field=value, field==value or field!=value");
            }
            field = field.trim();
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw ApiException.badRequest("field label not supported: \"" + field + "\" (supported: "
                        + String.join(", ", SUPPORTED_FIELDS) + ")");
            }
            terms.add(new Term(field, isEqual, value.trim()));
        }
        return new FieldSelector(terms);
    }

    /** Whether the selector selects everything (no terms). */
    public boolean isEverything() {
        return terms.isEmpty();
    }

    public boolean matches(String namespace, String name) {
        for (Term term : terms) {
            String actual = term.field().equals("metadata.name") ? name : namespace;
            if (actual.equals(term.value()) != term.equal()) {
                return false;
            }
        }
        return true;
    }
}
