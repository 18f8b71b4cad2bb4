package dev.drover.model.schema;

import java.util.List;
import java.util.Map;

/** The schema of {@code metadata}, the part of {@code ObjectMeta} that Drover's kinds use. */
public final class ObjectMetaSchema {

    private static final Schema STRING_MAP = Schema.mapOf("", Schema.of(Schema.Type.STRING, ""));

    public static final Schema SCHEMA = Schema.object(
            "Standard object metadata: name, namespace, labels and the fields the server manages.",
            Map.ofEntries(
                    Map.entry("name", Schema.of(Schema.Type.STRING, "Name, unique within the namespace (or the whole API for cluster-scoped kinds).")),
                    Map.entry("generateName", Schema.of(Schema.Type.STRING, "Prefix of a name the server generates when name is empty.")),
                    Map.entry("namespace", Schema.of(Schema.Type.STRING, "Namespace of a namespaced object: the name of the owning Team.")),
                    Map.entry("uid", Schema.of(Schema.Type.STRING, "Unique id set by the server; read-only.")),
                    Map.entry("resourceVersion", Schema.of(Schema.Type.STRING, "Opaque version of the object for optimistic concurrency and watch; read-only.")),
                    Map.entry("generation", Schema.of(Schema.Type.INTEGER, "Sequence number of spec changes; read-only.")),
                    Map.entry("creationTimestamp", Schema.of(Schema.Type.STRING, "When the object was created (RFC 3339); read-only.")),
                    Map.entry("deletionTimestamp", Schema.of(Schema.Type.STRING, "When deletion was requested; the object stays until its finalizers are removed; read-only.")),
                    Map.entry("deletionGracePeriodSeconds", Schema.of(Schema.Type.INTEGER, "Grace period of a requested deletion; read-only.")),
                    Map.entry("labels", STRING_MAP.withDescription("Key/value labels for selection.")),
                    Map.entry("annotations", STRING_MAP.withDescription("Key/value annotations for tools.")),
                    Map.entry("finalizers", Schema.arrayOf("Names of controllers that must finish before the object is removed.", Schema.of(Schema.Type.STRING, "")).asSet()),
                    Map.entry("ownerReferences", Schema.arrayOf("Objects this object belongs to.", Schema.of(Schema.Type.ANY, ""))),
                    Map.entry("managedFields", Schema.arrayOf("Field ownership records of server-side apply.", Schema.of(Schema.Type.ANY, "")))),
            List.of()).withOrderedProperties(List.of("name", "generateName", "namespace", "uid", "resourceVersion", "generation",
            "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "finalizers",
            "ownerReferences", "managedFields"));

    private ObjectMetaSchema() {
    }
}
