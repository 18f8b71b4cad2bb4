package dev.drover.model.api;

import static java.util.Objects.requireNonNull;

import dev.drover.model.error.ResourceType;
import dev.drover.model.schema.ObjectMetaSchema;
import dev.drover.model.schema.PrinterColumn;
import dev.drover.model.schema.Schema;
import dev.drover.model.schema.SchemaReflector;
import java.util.List;
import java.util.Map;

/**
 * One resource kind of the Drover API: its names, scope, schemas and table columns.
 *
 * @param nameIsLabel whether names must be DNS-1123 labels (at most 63 characters) rather than subdomains
 * @param objectSchema the schema of a whole object, as published in OpenAPI
 */
public record Kind(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        List<String> shortNames,
        boolean namespaced,
        boolean nameIsLabel,
        String description,
        Schema specSchema,
        Schema statusSchema,
        Schema objectSchema,
        List<PrinterColumn> columns) implements ResourceType {

    public Kind {
        requireNonNull(group, "group is null");
        requireNonNull(version, "version is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(plural, "plural is null");
        requireNonNull(singular, "singular is null");
        shortNames = List.copyOf(shortNames);
        requireNonNull(description, "description is null");
        requireNonNull(specSchema, "specSchema is null");
        requireNonNull(statusSchema, "statusSchema is null");
        requireNonNull(objectSchema, "objectSchema is null");
        columns = List.copyOf(columns);
    }

    /** A kind of the Drover group whose schemas come from its spec and status records. */
    static Kind define(String kind, String plural, String singular, List<String> shortNames, boolean namespaced,
                       boolean nameIsLabel, String description, Class<?> specType, Class<?> statusType,
                       List<PrinterColumn> columns) {
        Schema spec = SchemaReflector.of(specType);
        Schema status = SchemaReflector.of(statusType);
        String apiVersion = Kinds.GROUP + "/" + Kinds.VERSION;
        Schema object = Schema.object(description, Map.of(
                        "apiVersion", Schema.of(Schema.Type.STRING, "Versioned schema of this object: " + apiVersion + "."),
                        "kind", Schema.of(Schema.Type.STRING, "Kind of this object: " + kind + "."),
                        "metadata", ObjectMetaSchema.SCHEMA,
                        "spec", spec,
                        "status", status),
                List.of()).withOrderedProperties(List.of("apiVersion", "kind", "metadata", "spec", "status"));
        return new Kind(Kinds.GROUP, Kinds.VERSION, kind, plural, singular, shortNames, namespaced, nameIsLabel, description,
                spec, status, object, columns);
    }

    /**
     * A kind is its group, version and kind name: a registry holds one of each. Kinds are map keys on every request
     * (the registry, authorization), and the record's own equality would compare and hash three schema trees each time.
     */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Kind that && group.equals(that.group) && version.equals(that.version)
                && kind.equals(that.kind);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(group, version, kind);
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }
}
