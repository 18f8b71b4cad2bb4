package dev.drover.server.apply;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Field ownership as kube-apiserver keeps it in {@code metadata.managedFields}: server-side apply (merge the applied
 * configuration, remove what the manager stopped applying, refuse to take fields other managers set to other values)
 * and the bookkeeping of every other write (the writer takes the fields it changed). Pure functions of objects and
 * entries; the write path stores what they return.
 */
public final class ManagedFields {

    /** Who owns the fields of an object created before field ownership was recorded, when it is first applied. */
    static final String BEFORE_FIRST_APPLY = "before-first-apply";

    /** Metadata the server sets, which no manager owns. */
    private static final Set<String> SERVER_METADATA = Set.of("name", "generateName", "namespace", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields");

    private static final Comparator<ManagedField> ORDER = Comparator.comparing((ManagedField entry) -> entry.operation().wireName())
            .thenComparing(ManagedField::time).thenComparing(ManagedField::manager).thenComparing(ManagedField::subresource);

    /** The part of an object a write covers: spec and metadata, or the status subresource. */
    public enum Scope {
        MAIN(""),
        STATUS("status");

        private final String subresource;

        Scope(String subresource) {
            this.subresource = subresource;
        }
    }

    /** A manager writing one part of objects. */
    public record Writer(String manager, Scope scope) {
        public Writer {
            requireNonNull(manager, "manager is null");
            requireNonNull(scope, "scope is null");
        }
    }

    /**
     * What an apply decided.
     *
     * @param view the written part of the object ({@link #view}) with the configuration merged in
     * @param entries the managed fields the object gets
     */
    public record Applied(ObjectNode view, List<ManagedField> entries) {
        public Applied {
            requireNonNull(view, "view is null");
            entries = List.copyOf(entries);
        }
    }

    /** The paths a change set or changed the value of, and the paths it removed. */
    private record Changes(FieldSet changed, FieldSet removed) {
        boolean isEmpty() {
            return changed.isEmpty() && removed.isEmpty();
        }
    }

    private ManagedFields() {
    }

    /**
     * Applies a configuration for a manager.
     *
     * @param live the object as stored; empty when the apply creates it
     * @param entries the object's managed fields
     * @throws ApiException Conflict, naming the managers and fields, when the configuration sets fields other
     *                      managers own to other values, unless {@code force} takes them over
     */
    public static Applied apply(Kind kind, String name, Optional<ObjectNode> live, ObjectNode config, List<ManagedField> entries,
                                Writer writer, boolean force, String now) {
        Schema schema = kind.objectSchema();
        ObjectNode liveView = live.map(object -> view(object, writer.scope())).orElseGet(Json.MAPPER::createObjectNode);
        ObjectNode configView = view(config, writer.scope());
        List<ManagedField> others = new ArrayList<>(entries);
        if (live.isPresent() && others.isEmpty()) {
            others.add(new ManagedField(BEFORE_FIRST_APPLY, ManagedField.Operation.UPDATE, kind.apiVersion(), "",
                    writer.scope().subresource, TypedValue.fieldSet(liveView, schema)));
        }
        ManagedField applier = new ManagedField(writer.manager(), ManagedField.Operation.APPLY, kind.apiVersion(), now,
                writer.scope().subresource, TypedValue.fieldSet(configView, schema));
        Optional<ManagedField> previous = others.stream().filter(applier::sameManager).findFirst();
        others.removeIf(applier::sameManager);
        FieldSet owned = applier.fields();
        for (ManagedField other : others) {
            owned = owned.union(other.fields());
        }
        FieldSet dropped = previous.map(ManagedField::fields).orElse(FieldSet.empty()).minus(applier.fields());
        JsonNode merged = TypedValue.remove(TypedValue.merge(liveView, configView, schema), schema, dropped, owned);
        Changes changes = compare(liveView, merged, schema);
        Map<ManagedField, FieldSet> conflicts = new LinkedHashMap<>();
        for (ManagedField other : others) {
            FieldSet taken = other.fields().intersect(changes.changed());
            if (!taken.isEmpty()) {
                conflicts.put(other, taken);
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw conflict(kind, name, conflicts);
        }
        List<ManagedField> result = new ArrayList<>();
        for (ManagedField other : others) {
            FieldSet kept = other.fields().minus(conflicts.getOrDefault(other, FieldSet.empty())).minus(changes.removed());
            if (!kept.isEmpty()) {
                result.add(other.withFields(kept));
            }
        }
        boolean unchanged = changes.isEmpty() && previous.map(entry -> entry.fields().equals(applier.fields())).orElse(false);
        if (!applier.fields().isEmpty()) {
            result.add(unchanged ? applier.at(previous.get().time()) : applier);
        }
        result.sort(ORDER);
        return new Applied((ObjectNode) merged, result);
    }

    /**
     * The managed fields after a write that is not an apply: the writer's Update entry takes every field the write set,
     * changed or removed, and the other managers lose them. A write that changes nothing leaves the entries as they are.
     *
     * @param before the object as stored; empty for a create
     */
    public static List<ManagedField> afterUpdate(Kind kind, Optional<ObjectNode> before, ObjectNode after,
                                                 List<ManagedField> entries, Writer writer, String now) {
        Schema schema = kind.objectSchema();
        Changes changes = compare(before.map(object -> view(object, writer.scope())).orElseGet(Json.MAPPER::createObjectNode),
                view(after, writer.scope()), schema);
        if (changes.isEmpty()) {
            return entries;
        }
        FieldSet touched = changes.changed().union(changes.removed());
        ManagedField updater = new ManagedField(writer.manager(), ManagedField.Operation.UPDATE, kind.apiVersion(), now,
                writer.scope().subresource, FieldSet.empty());
        List<ManagedField> result = new ArrayList<>();
        for (ManagedField entry : entries) {
            if (entry.sameManager(updater)) {
                updater = updater.withFields(entry.fields());
                continue;
            }
            FieldSet kept = entry.fields().minus(touched);
            if (!kept.isEmpty()) {
                result.add(entry.withFields(kept));
            }
        }
        FieldSet owned = updater.fields().minus(changes.removed()).union(changes.changed());
        if (!owned.isEmpty()) {
            result.add(updater.withFields(owned));
        }
        result.sort(ORDER);
        return result;
    }

    /**
     * The part of an object a write of the scope covers, without what the server sets: spec and user metadata (labels,
     * annotations, finalizers, owner references) for the object, status for the status subresource.
     */
    public static ObjectNode view(ObjectNode object, Scope scope) {
        ObjectNode view = Json.MAPPER.createObjectNode();
        if (scope == Scope.STATUS) {
            if (object.hasNonNull("status")) {
                view.set("status", object.get("status"));
            }
            return view;
        }
        object.properties().forEach(entry -> {
            switch (entry.getKey()) {
                case "apiVersion", "kind", "status" -> {
                }
                case "metadata" -> {
                    ObjectNode metadata = Json.MAPPER.createObjectNode();
                    entry.getValue().properties().forEach(field -> {
                        if (!SERVER_METADATA.contains(field.getKey())) {
                            metadata.set(field.getKey(), field.getValue());
                        }
                    });
                    if (!metadata.isEmpty()) {
                        view.set("metadata", metadata);
                    }
                }
                default -> view.set(entry.getKey(), entry.getValue());
            }
        });
        return view;
    }

    /**
     * Reads {@code metadata.managedFields}.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static List<ManagedField> decode(JsonNode managedFields) {
        if (managedFields == null || managedFields.isNull() || managedFields.isMissingNode()) {
            return List.of();
        }
        if (!managedFields.isArray()) {
            throw new IllegalArgumentException("metadata.managedFields must be a list");
        }
        List<ManagedField> entries = new ArrayList<>();
        for (int index = 0; index < managedFields.size(); index++) {
            JsonNode entry = managedFields.get(index);
            String where = "metadata.managedFields[" + index + "]";
            String operation = entry.path("operation").asText("");
            ManagedField.Operation parsed = switch (operation) {
                case "Apply" -> ManagedField.Operation.APPLY;
                case "Update" -> ManagedField.Operation.UPDATE;
                default -> throw new IllegalArgumentException(where + ".operation must be Apply or Update, not \"" + operation + "\"");
            };
            if (!entry.path("fieldsType").asText("").equals("FieldsV1")) {
                throw new IllegalArgumentException(where + ".fieldsType must be FieldsV1");
            }
            try {
                entries.add(new ManagedField(entry.path("manager").asText(""), parsed, entry.path("apiVersion").asText(""),
                        entry.path("time").asText(""), entry.path("subresource").asText(""),
                        FieldSet.fromFieldsV1(entry.path("fieldsV1"))));
            } catch (IllegalArgumentException malformed) {
                throw new IllegalArgumentException(where + ".fieldsV1: " + malformed.getMessage(), malformed);
            }
        }
        return entries;
    }

    /** The entries as {@code metadata.managedFields}, in kube-apiserver's order. */
    public static ArrayNode encode(List<ManagedField> entries) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        entries.stream().sorted(ORDER).forEach(entry -> {
            ObjectNode node = list.addObject();
            node.put("manager", entry.manager());
            node.put("operation", entry.operation().wireName());
            node.put("apiVersion", entry.apiVersion());
            if (!entry.time().isEmpty()) {
                node.put("time", entry.time());
            }
            node.put("fieldsType", "FieldsV1");
            node.set("fieldsV1", entry.fields().toFieldsV1());
            if (!entry.subresource().isEmpty()) {
                node.put("subresource", entry.subresource());
            }
        });
        return list;
    }

    /**
     * Whether a write's {@code metadata.managedFields} asks to clear them: a list of one empty entry, as
     * kube-apiserver defines it, so that clients unaware of the field (which send none, or an empty list) never clear it.
     */
    public static boolean clears(JsonNode managedFields) {
        return managedFields != null && managedFields.isArray() && managedFields.size() == 1
                && managedFields.get(0).isObject() && managedFields.get(0).isEmpty();
    }

    private static Changes compare(JsonNode before, JsonNode after, Schema schema) {
        Map<List<String>, TypedValue.Member> old = TypedValue.members(before, schema);
        Map<List<String>, TypedValue.Member> current = TypedValue.members(after, schema);
        FieldSet.Builder changed = new FieldSet.Builder();
        FieldSet.Builder removed = new FieldSet.Builder();
        current.forEach((path, member) -> {
            TypedValue.Member was = old.get(path);
            if (was == null || was.leaf() != member.leaf() || (member.leaf() && !Json.sameValue(was.value(), member.value()))) {
                changed.add(path);
            }
        });
        old.keySet().stream().filter(path -> !current.containsKey(path)).forEach(removed::add);
        return new Changes(changed.build(), removed.build());
    }

    /** A 409 as kube-apiserver words it, one cause per field, so kubectl offers --force-conflicts. */
    private static ApiException conflict(Kind kind, String name, Map<ManagedField, FieldSet> conflicts) {
        Map<String, List<String>> byManager = new TreeMap<>();
        List<FieldError> causes = new ArrayList<>();
        int count = 0;
        for (Map.Entry<ManagedField, FieldSet> conflict : conflicts.entrySet()) {
            String manager = describe(conflict.getKey());
            for (List<String> path : conflict.getValue().paths()) {
                String field = TypedValue.display(path);
                byManager.computeIfAbsent(manager, ignored -> new ArrayList<>()).add(field);
                causes.add(new FieldError("FieldManagerConflict", field, "conflict with " + manager));
                count++;
            }
        }
        String message;
        if (count == 1) {
            Map.Entry<String, List<String>> only = byManager.entrySet().iterator().next();
            message = "Apply failed with 1 conflict: conflict with " + only.getKey() + ": " + only.getValue().getFirst();
        } else {
            List<String> lines = new ArrayList<>();
            byManager.forEach((manager, fields) -> {
                lines.add("conflicts with " + manager + ":");
                fields.forEach(field -> lines.add("- " + field));
            });
            message = "Apply failed with " + count + " conflicts: " + String.join("\n", lines);
        }
        return new ApiException(ApiException.Reason.CONFLICT, message,
                new ApiException.Details(kind.group(), kind.plural(), name), causes);
    }

    private static String describe(ManagedField entry) {
        String manager = "\"" + entry.manager() + "\"";
        if (!entry.subresource().isEmpty()) {
            manager += " with subresource \"" + entry.subresource() + "\"";
        }
        if (entry.operation() == ManagedField.Operation.UPDATE) {
            manager += " using " + entry.apiVersion() + (entry.time().isEmpty() ? "" : " at " + entry.time());
        }
        return manager;
    }
}
