package dev.drover.model.resource;

import static java.util.Objects.requireNonNull;

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
        List<PrinterColumn> columns) {

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

    public String apiVersion() {
        return group + "/" + version;
    }

    /** The {@code plural.group} form Kubernetes uses in messages, for example {@code clusters.platform.drover.dev}. */
    public String resourceGroup() {
        return plural + "." + group;
    }

    public String listKind() {
        return kind + "List";
    }
}
