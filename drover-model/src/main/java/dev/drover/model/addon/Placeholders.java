package dev.drover.model.addon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code ${...}} placeholders of add-on values. A string that is exactly one placeholder takes the value's JSON
 * type (a number stays a number); inside longer text the value is written as text. {@code $${} is a literal {@code ${}.
 */
public final class Placeholders {

    /** The placeholders every Cluster can fill, apart from {@code var.NAME}. */
    public static final List<String> FIXED = List.of("cluster.name", "cluster.providerName", "cluster.region", "cluster.flavor",
            "cluster.provider", "cluster.kubernetesVersion", "cluster.accountId", "team.name", "environment");
    public static final String VARIABLE_PREFIX = "var.";
    /** {@code flavor.setting.NAME}: the cluster's flavor's providerSettings entry NAME. */
    public static final String SETTING_PREFIX = "flavor.setting.";

    /** A placeholder found in a value, with the dotted path of the value that holds it. */
    public record Reference(String path, String name) {
    }

    /** A placeholder that cannot be filled for a cluster. */
    public static final class Unresolved extends RuntimeException {
        private final String name;

        Unresolved(String name, String path) {
            super("placeholder ${" + name + "} at " + path + " has no value");
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    private Placeholders() {
    }

    /**
     * Every placeholder in the strings of a value tree.
     *
     * @throws IllegalArgumentException naming the path of an unterminated {@code ${}
     */
    public static List<Reference> references(JsonNode values) {
        List<Reference> found = new ArrayList<>();
        walk(values, "", (path, text) -> {
            scan(text, path, name -> {
                found.add(new Reference(path, name));
                return "";
            });
            return TextNode.valueOf(text);
        });
        return found;
    }

    /** Whether the name is one of the fixed placeholders or names a variable. */
    public static boolean isKnown(String name, java.util.Set<String> variables) {
        return FIXED.contains(name) || (name.startsWith(VARIABLE_PREFIX) && variables.contains(name.substring(VARIABLE_PREFIX.length())))
                || (name.startsWith(SETTING_PREFIX) && name.length() > SETTING_PREFIX.length());
    }

    /**
     * The value tree with every placeholder filled.
     *
     * @throws Unresolved when the lookup has no value for a placeholder
     */
    public static JsonNode substitute(JsonNode values, Function<String, Optional<JsonNode>> lookup) {
        return walk(values, "", (path, text) -> {
            String trimmed = text.strip();
            if (trimmed.startsWith("${") && trimmed.indexOf('}') == trimmed.length() - 1 && trimmed.equals(text)) {
                String name = trimmed.substring(2, trimmed.length() - 1);
                return lookup.apply(name).orElseThrow(() -> new Unresolved(name, path));
            }
            return TextNode.valueOf(scan(text, path, name -> lookup.apply(name)
                    .map(value -> value.isTextual() ? value.textValue() : value.toString())
                    .orElseThrow(() -> new Unresolved(name, path))));
        });
    }

    private interface TextRewrite {
        JsonNode apply(String path, String text);
    }

    private static JsonNode walk(JsonNode node, String path, TextRewrite rewrite) {
        if (node.isTextual()) {
            return rewrite.apply(path.isEmpty() ? "." : path, node.textValue());
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), walk(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), rewrite));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            for (int index = 0; index < node.size(); index++) {
                copy.add(walk(node.get(index), path + "[" + index + "]", rewrite));
            }
            return copy;
        }
        return node;
    }

    /** Replaces each placeholder of the text by what {@code fill} returns for its name. */
    private static String scan(String text, String path, Function<String, String> fill) {
        StringBuilder result = new StringBuilder();
        int position = 0;
        while (position < text.length()) {
            if (text.startsWith("$${", position)) {
                result.append("${");
                position += 3;
                continue;
            }
            if (text.startsWith("${", position)) {
                int end = text.indexOf('}', position);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated placeholder at " + path + ": \"" + text
                            + "\"; close it with } or write $${ for a literal ${");
                }
                result.append(fill.apply(text.substring(position + 2, end)));
                position = end + 1;
                continue;
            }
            result.append(text.charAt(position++));
        }
        return result.toString();
    }
}
