package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.Names;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import dev.drover.model.selector.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Doc("A Kubernetes label selector: all matchLabels and all matchExpressions must hold.")
public record ClusterSelector(
        @Doc("Labels the Cluster must carry with exactly these values.") Map<String, String> matchLabels,
        @Doc("Set-based requirements.") List<Expression> matchExpressions) {

    public ClusterSelector {
        matchLabels = Values.map(matchLabels);
        matchExpressions = Values.list(matchExpressions);
    }

    @Doc("A requirement on one label.")
    public record Expression(
            @Required @Doc("Label key.") String key,
            @Required @Doc("In, NotIn, Exists or DoesNotExist.") Operator operator,
            @Doc("Values for In and NotIn; empty for Exists and DoesNotExist.") List<String> values) {

        public Expression {
            values = Values.list(values);
        }
    }

    public enum Operator {
        @JsonProperty("In") IN,
        @JsonProperty("NotIn") NOT_IN,
        @JsonProperty("Exists") EXISTS,
        @JsonProperty("DoesNotExist") DOES_NOT_EXIST
    }

    public LabelSelector toLabelSelector() {
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        matchLabels.forEach((key, value) -> requirements.add(
                new LabelSelector.Requirement(key, LabelSelector.Operator.EQUALS, Set.of(value))));
        for (Expression expression : matchExpressions) {
            LabelSelector.Operator operator = switch (expression.operator()) {
                case IN -> LabelSelector.Operator.IN;
                case NOT_IN -> LabelSelector.Operator.NOT_IN;
                case EXISTS -> LabelSelector.Operator.EXISTS;
                case DOES_NOT_EXIST -> LabelSelector.Operator.DOES_NOT_EXIST;
            };
            requirements.add(new LabelSelector.Requirement(expression.key(), operator, Set.copyOf(expression.values())));
        }
        return new LabelSelector(requirements);
    }

    /** The problems of the selector, with their field paths under {@code path}. */
    public List<FieldError> check(String path) {
        List<FieldError> errors = new ArrayList<>();
        matchLabels.forEach((key, value) -> {
            Names.checkLabelKey(key).ifPresent(why -> errors.add(FieldError.invalid(path + ".matchLabels", key, why)));
            Names.checkLabelValue(value).ifPresent(why -> errors.add(FieldError.invalid(path + ".matchLabels." + key, value, why)));
        });
        for (int index = 0; index < matchExpressions.size(); index++) {
            Expression expression = matchExpressions.get(index);
            String expressionPath = path + ".matchExpressions[" + index + "]";
            Names.checkLabelKey(expression.key()).ifPresent(why ->
                    errors.add(FieldError.invalid(expressionPath + ".key", expression.key(), why)));
            boolean needsValues = expression.operator() == Operator.IN || expression.operator() == Operator.NOT_IN;
            if (needsValues && expression.values().isEmpty()) {
                errors.add(FieldError.required(expressionPath + ".values", "operator " + wire(expression.operator())
                        + " needs at least one value"));
            }
            if (!needsValues && !expression.values().isEmpty()) {
                errors.add(FieldError.forbidden(expressionPath + ".values", "operator " + wire(expression.operator())
                        + " takes no values; remove them"));
            }
        }
        return errors;
    }

    private static String wire(Operator operator) {
        return switch (operator) {
            case IN -> "In";
            case NOT_IN -> "NotIn";
            case EXISTS -> "Exists";
            case DOES_NOT_EXIST -> "DoesNotExist";
        };
    }
}
