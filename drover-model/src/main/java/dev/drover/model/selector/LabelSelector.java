package dev.drover.model.selector;

import static java.util.Objects.requireNonNull;

import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Names;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Kubernetes label selector: equality ({@code a=b}, {@code a==b}, {@code a!=b}) and set-based
 * ({@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}) requirements, all of which must hold.
 */
public record LabelSelector(List<Requirement> requirements) {

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
            values = Set.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /**
     * Parses the {@code labelSelector} query parameter syntax.
     *
     * @throws ApiException BadRequest naming the position and what was expected
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        LabelSelector parse() {
            List<Requirement> requirements = new ArrayList<>();
            while (true) {
                requirements.add(requirement());
                skipSpaces();
                if (position == text.length()) {
                    return new LabelSelector(requirements);
                }
                expect(',');
            }
        }

        private Requirement requirement() {
            skipSpaces();
            if (peek('!')) {
                position++;
                return new Requirement(key(), Operator.DOES_NOT_EXIST, Set.of());
            }
            String key = key();
            skipSpaces();
            if (position == text.length() || peek(',')) {
                return new Requirement(key, Operator.EXISTS, Set.of());
            }
            if (text.startsWith("==", position)) {
                position += 2;
                return new Requirement(key, Operator.EQUALS, Set.of(value()));
            }
            if (text.startsWith("!=", position)) {
                position += 2;
                return new Requirement(key, Operator.NOT_EQUALS, Set.of(value()));
            }
            if (peek('=')) {
                position++;
                return new Requirement(key, Operator.EQUALS, Set.of(value()));
            }
            if (text.startsWith("notin", position)) {
                position += 5;
                return new Requirement(key, Operator.NOT_IN, valueSet());
            }
            if (text.startsWith("in", position)) {
                position += 2;
                return new Requirement(key, Operator.IN, valueSet());
            }
            throw error("expected one of '=', '==', '!=', 'in', 'notin', ',' after key \"" + key + "\"");
        }

        private String key() {
            skipSpaces();
            String key = word();
            if (key.isEmpty()) {
                throw error("expected a label key");
            }
            Names.checkLabelKey(key).ifPresent(why -> {
                throw error("invalid label key \"" + key + "\": " + why);
            });
            return key;
        }

        private String value() {
            skipSpaces();
            String value = word();
            Names.checkLabelValue(value).ifPresent(why -> {
                throw error("invalid label value \"" + value + "\": " + why);
            });
            return value;
        }

        private Set<String> valueSet() {
            skipSpaces();
            expect('(');
            Set<String> values = new LinkedHashSet<>();
            while (true) {
                values.add(value());
                skipSpaces();
                if (peek(')')) {
                    position++;
                    return values;
                }
                expect(',');
            }
        }

        private String word() {
            int start = position;
            while (position < text.length() && isWordCharacter(text.charAt(position))) {
                position++;
            }
            return text.substring(start, position);
        }

        private static boolean isWordCharacter(char character) {
            return Character.isLetterOrDigit(character) || character == '-' || character == '_' || character == '.'
                    || character == '/';
        }

        private void skipSpaces() {
            while (position < text.length() && text.charAt(position) == ' ') {
                position++;
            }
        }

        private boolean peek(char character) {
            return position < text.length() && text.charAt(position) == character;
        }

        private void expect(char character) {
            if (!peek(character)) {
                throw error("expected '" + character + "'");
            }
            position++;
        }

        private ApiException error(String what) {
            return ApiException.badRequest("unable to parse labelSelector \"" + text + "\" at position " + position
                    + ": " + what);
        }
    }
}
