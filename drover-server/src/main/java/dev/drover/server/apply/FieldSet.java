package dev.drover.server.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of field paths, as one entry of {@code metadata.managedFields} holds them ({@code fieldsType: FieldsV1}).
 * A path is a list of elements: {@code f:name} for a field, {@code k:{"name":"general"}} for the item of a map list
 * with that key, {@code v:"value"} for the value of a set list. Sets are immutable; operations return new sets.
 */
public final class FieldSet {

    /** Fields first, then keys, values and indices, each by text: the order FieldsV1 is written in. */
    private static final Comparator<String> ELEMENT_ORDER = Comparator.comparingInt(FieldSet::rank)
            .thenComparing(Comparator.naturalOrder());
    private static final FieldSet EMPTY = new FieldSet(false, new TreeMap<>(ELEMENT_ORDER));

    private final boolean member;
    private final TreeMap<String, FieldSet> children;

    private FieldSet(boolean member, TreeMap<String, FieldSet> children) {
        this.member = member;
        this.children = children;
    }

    public static FieldSet empty() {
        return EMPTY;
    }

    static FieldSet of(Iterable<List<String>> paths) {
        Builder builder = new Builder();
        paths.forEach(builder::add);
        return builder.build();
    }

    public boolean isEmpty() {
        return !member && children.isEmpty();
    }

    boolean contains(List<String> path) {
        FieldSet node = at(path);
        return node != null && node.member;
    }

    /** Whether the path or anything below it is in the set. */
    boolean touches(List<String> path) {
        FieldSet node = at(path);
        return node != null && !node.isEmpty();
    }

    /** The part of the set below one element, empty when there is none. */
    FieldSet child(String element) {
        return children.getOrDefault(element, EMPTY);
    }

    boolean isMember() {
        return member;
    }

    Iterable<Map.Entry<String, FieldSet>> children() {
        return children.entrySet();
    }

    public FieldSet union(FieldSet other) {
        if (other.isEmpty()) {
            return this;
        }
        TreeMap<String, FieldSet> merged = new TreeMap<>(children);
        other.children.forEach((element, set) -> merged.merge(element, set, FieldSet::union));
        return new FieldSet(member || other.member, merged);
    }

    /** The paths of this set that are not in the other; paths below a removed path stay unless removed themselves. */
    public FieldSet minus(FieldSet other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        TreeMap<String, FieldSet> remaining = new TreeMap<>(ELEMENT_ORDER);
        children.forEach((element, set) -> {
            FieldSet left = set.minus(other.child(element));
            if (!left.isEmpty()) {
                remaining.put(element, left);
            }
        });
        return new FieldSet(member && !other.member, remaining);
    }

    public FieldSet intersect(FieldSet other) {
        TreeMap<String, FieldSet> common = new TreeMap<>(ELEMENT_ORDER);
        children.forEach((element, set) -> {
            FieldSet shared = set.intersect(other.child(element));
            if (!shared.isEmpty()) {
                common.put(element, shared);
            }
        });
        return new FieldSet(member && other.member, common);
    }

    /** Every path in the set, in FieldsV1 order. */
    List<List<String>> paths() {
        List<List<String>> paths = new ArrayList<>();
        collect(new ArrayList<>(), paths);
        return paths;
    }

    private void collect(List<String> prefix, List<List<String>> paths) {
        if (member) {
            paths.add(List.copyOf(prefix));
        }
        children.forEach((element, set) -> {
            prefix.add(element);
            set.collect(prefix, paths);
            prefix.removeLast();
        });
    }

    private FieldSet at(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.children.get(element);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** The set as FieldsV1: a path's own membership is {@code ".": {}} when it also has children, else {@code {}}. */
    public ObjectNode toFieldsV1() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (member && !children.isEmpty()) {
            node.putObject(".");
        }
        children.forEach((element, set) -> node.set(element, set.toFieldsV1()));
        return node;
    }

    /** @throws IllegalArgumentException when the value is not FieldsV1 */
    public static FieldSet fromFieldsV1(JsonNode fields) {
        return fromFieldsV1(fields, true);
    }

    private static FieldSet fromFieldsV1(JsonNode fields, boolean root) {
        if (!fields.isObject()) {
            throw new IllegalArgumentException("FieldsV1 must be an object, not " + fields.getNodeType());
        }
        boolean member = !root && (fields.isEmpty() || fields.has("."));
        TreeMap<String, FieldSet> children = new TreeMap<>(ELEMENT_ORDER);
        for (Map.Entry<String, JsonNode> entry : fields.properties()) {
            String element = entry.getKey();
            if (element.equals(".")) {
                continue;
            }
            if (rank(element) > 3) {
                throw new IllegalArgumentException("\"" + element + "\" is not a FieldsV1 path element "
                        + "(f:field, k:{key}, v:value or i:index)");
            }
            children.put(element, fromFieldsV1(entry.getValue(), false));
        }
        return new FieldSet(member, children);
    }

    private static int rank(String element) {
        return switch (element.length() < 2 || element.charAt(1) != ':' ? ' ' : element.charAt(0)) {
            case 'f' -> 0;
            case 'k' -> 1;
            case 'v' -> 2;
            case 'i' -> 3;
            default -> 4;
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldSet set && member == set.member && children.equals(set.children);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(member) * 31 + children.hashCode();
    }

    @Override
    public String toString() {
        return Json.write(toFieldsV1());
    }

    /** Collects paths into a set. */
    static final class Builder {
        private boolean member;
        private final TreeMap<String, Builder> children = new TreeMap<>(ELEMENT_ORDER);

        Builder add(List<String> path) {
            Builder node = this;
            for (String element : path) {
                node = node.children.computeIfAbsent(element, ignored -> new Builder());
            }
            node.member = true;
            return this;
        }

        FieldSet build() {
            TreeMap<String, FieldSet> built = new TreeMap<>(ELEMENT_ORDER);
            children.forEach((element, child) -> built.put(element, child.build()));
            return new FieldSet(member, built);
        }
    }
}
