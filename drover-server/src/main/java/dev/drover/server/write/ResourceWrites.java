package dev.drover.server.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.server.apply.ManagedField;
import dev.drover.server.apply.ManagedFields;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WriteTransaction;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Create, update, status update and delete as store mutations, with the Kubernetes rules for server-managed
 * metadata, optimistic concurrency, generation and finalizers.
 */
final class ResourceWrites {

    /** What a write produced: the object as stored (or as it would be, for a dry run), as JSON. */
    record Outcome(String json, List<String> warnings) {
        Outcome(String json) {
            this(json, List.of());
        }

        static Outcome of(ObjectNode object) {
            return new Outcome(Json.write(object));
        }

        Outcome withWarnings(List<String> added) {
            List<String> all = new java.util.ArrayList<>(warnings);
            all.addAll(added);
            return new Outcome(json, all);
        }
    }

    private static final String GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final ResourceStore store;
    private final Clock clock;
    private final KindRegistry registry;

    ResourceWrites(ResourceStore store, KindRegistry registry, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
    }

    Outcome create(Kind kind, String namespace, ObjectNode object, boolean dryRun, Ownership ownership, WriteOrigin origin) {
        ObjectNode metadata = object.withObjectProperty("metadata");
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            String prefix = metadata.path("generateName").asText("");
            if (prefix.isEmpty()) {
                throw ApiException.invalid(kind, "", List.of(FieldError.required("metadata.name",
                        "name or generateName is required")));
            }
            name = prefix + randomSuffix();
            metadata.put("name", name);
        }
        String finalName = name;
        ObjectChecks.checkName(kind, name).ifPresent(error -> {
            throw ApiException.invalid(kind, finalName, List.of(error));
        });
        if (kind.namespaced()) {
            metadata.put("namespace", namespace);
        } else {
            metadata.remove("namespace");
        }
        ObjectKey key = new ObjectKey(kind.kind(), namespace, finalName);
        KindRegistry.Registration registration = registry.registration(kind);
        return store.write(registration.rules().reads(key, object), transaction -> {
            if (transaction.get(key).isPresent()) {
                throw new ApiException(ApiException.Reason.ALREADY_EXISTS, kind.resourceGroup() + " \"" + finalName
                        + "\" already exists", new ApiException.Details(kind.group(), kind.plural(), finalName), List.of());
            }
            requireTeamNamespace(transaction, kind, namespace);
            KindRules.Admitted admitted = registration.rules().admit(new KindRules.Request(transaction, namespace, finalName,
                    object.withObjectProperty("spec"), Optional.empty(), labelsOf(metadata), dryRun, origin.principal()));
            ObjectNode created = Json.MAPPER.createObjectNode();
            created.put("apiVersion", kind.apiVersion());
            created.put("kind", kind.kind());
            ObjectNode newMetadata = created.putObject("metadata");
            newMetadata.put("name", finalName);
            if (kind.namespaced()) {
                newMetadata.put("namespace", namespace);
            }
            newMetadata.put("uid", UUID.randomUUID().toString());
            newMetadata.put("generation", 1);
            newMetadata.put("creationTimestamp", now());
            copyUserMetadata(metadata, newMetadata, admitted.labels());
            registration.finalizers().forEach(finalizer -> addFinalizer(newMetadata, finalizer));
            created.set("spec", admitted.spec());
            recordOwnership(kind, Optional.empty(), created, metadata.get("managedFields"), ownership, ManagedFields.Scope.MAIN);
            if (dryRun) {
                return Outcome.of(created).withWarnings(admitted.warnings());
            }
            StoredObject stored = transaction.put(kind.kind(), namespace, finalName, labelsOf(newMetadata),
                    admitted.attributes(), created);
            transaction.audit(origin.entry(clock.instant(), kind.kind(), namespace, finalName, Optional.empty(),
                    Optional.of(stored), 201));
            return new Outcome(stored.json(), admitted.warnings());
        });
    }

    /**
     * Replaces spec and user metadata (or, for the status subresource, only status).
     *
     * @param requireVersion whether the object must carry a resourceVersion (PUT) or may omit it (patch)
     */
    Outcome update(Kind kind, String namespace, String name, ObjectNode object, boolean statusOnly, boolean dryRun,
                   boolean requireVersion, Ownership ownership, WriteOrigin origin) {
        ObjectNode metadata = object.withObjectProperty("metadata");
        String bodyName = metadata.path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        String bodyNamespace = metadata.path("namespace").asText("");
        if (kind.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the object (" + bodyNamespace
                    + ") does not match the namespace on the URL (" + namespace + ")");
        }
        String version = metadata.path("resourceVersion").asText("");
        if (version.isEmpty() && requireVersion) {
            throw ApiException.invalid(kind, name, List.of(FieldError.invalid("metadata.resourceVersion", "",
                    "must be specified for an update; get the object first and send it back with its resourceVersion")));
        }
        ObjectKey key = new ObjectKey(kind.kind(), namespace, name);
        return store.write(registry.registration(kind).rules().reads(key, object), transaction -> {
            StoredObject existing = transaction.get(key).orElseThrow(() -> ApiException.notFound(kind, name));
            if (!version.isEmpty() && !version.equals(Long.toString(existing.resourceVersion()))) {
                throw ApiException.conflict(kind, name,
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            ObjectNode current = Json.parseObject(existing.json());
            Updated result = statusOnly
                    ? new Updated(withStatus(current, object), existing.attributes(), List.of())
                    : withSpecAndMetadata(kind, transaction, namespace, name, current, object, existing, dryRun,
                            origin.principal());
            ObjectNode updated = result.object();
            recordOwnership(kind, Optional.of(current), updated, metadata.get("managedFields"), ownership,
                    statusOnly ? ManagedFields.Scope.STATUS : ManagedFields.Scope.MAIN);
            if (updated.equals(current)) {
                return new Outcome(existing.json(), result.warnings());
            }
            ObjectNode updatedMetadata = updated.withObjectProperty("metadata");
            boolean deleting = updatedMetadata.has("deletionTimestamp");
            if (deleting && updatedMetadata.path("finalizers").isEmpty()) {
                if (dryRun) {
                    return Outcome.of(updated);
                }
                StoredObject gone = transaction.delete(existing, updated);
                transaction.audit(origin.entry(clock.instant(), kind.kind(), namespace, name, Optional.of(existing),
                        Optional.empty(), 200));
                return new Outcome(gone.json());
            }
            if (dryRun) {
                return Outcome.of(updated).withWarnings(result.warnings());
            }
            StoredObject stored = transaction.put(kind.kind(), namespace, name, labelsOf(updatedMetadata), result.attributes(),
                    updated);
            transaction.audit(origin.entry(clock.instant(), kind.kind(), namespace, name, Optional.of(existing),
                    Optional.of(stored), 200));
            return new Outcome(stored.json(), result.warnings());
        });
    }

    Outcome delete(Kind kind, String namespace, String name, Optional<String> expectedVersion, Optional<String> expectedUid,
                   boolean dryRun, WriteOrigin origin) {
        return store.write(transaction -> {
            StoredObject existing = transaction.get(new ObjectKey(kind.kind(), namespace, name))
                    .orElseThrow(() -> ApiException.notFound(kind, name));
            ObjectNode current = Json.parseObject(existing.json());
            if (expectedVersion.isPresent() && !expectedVersion.get().equals(Long.toString(existing.resourceVersion()))) {
                throw ApiException.conflict(kind, name, "precondition failed: the resourceVersion in the delete options ("
                        + expectedVersion.get() + ") does not match the object (" + existing.resourceVersion() + ")");
            }
            if (expectedUid.isPresent() && !expectedUid.get().equals(current.path("metadata").path("uid").asText())) {
                throw ApiException.conflict(kind, name, "precondition failed: the UID in the delete options ("
                        + expectedUid.get() + ") does not match the object");
            }
            registry.registration(kind).rules().beforeDelete(transaction, name);
            ObjectNode metadata = current.withObjectProperty("metadata");
            if (!metadata.path("finalizers").isEmpty()) {
                if (metadata.has("deletionTimestamp")) {
                    return new Outcome(existing.json());
                }
                metadata.put("deletionTimestamp", now());
                metadata.put("deletionGracePeriodSeconds", 0);
                metadata.put("generation", metadata.path("generation").asLong() + 1);
                if (dryRun) {
                    return Outcome.of(current);
                }
                StoredObject marked = transaction.put(kind.kind(), namespace, name, existing.labels(), existing.attributes(),
                        current);
                transaction.audit(origin.entry(clock.instant(), kind.kind(), namespace, name, Optional.of(existing),
                        Optional.of(marked), 200));
                return new Outcome(marked.json());
            }
            if (dryRun) {
                return Outcome.of(current);
            }
            StoredObject gone = transaction.delete(existing, current);
            transaction.audit(origin.entry(clock.instant(), kind.kind(), namespace, name, Optional.of(existing),
                    Optional.empty(), 200));
            return new Outcome(gone.json());
        });
    }

    /** An updated object with the numeric facts admission derived from its spec. */
    private record Updated(ObjectNode object, Map<String, Long> attributes, List<String> warnings) {
    }

    private Updated withSpecAndMetadata(Kind kind, WriteTransaction transaction, String namespace, String name,
                                        ObjectNode current, ObjectNode requested, StoredObject existing, boolean dryRun,
                                        Principal by) {
        ObjectNode updated = current.deepCopy();
        ObjectNode metadata = updated.withObjectProperty("metadata");
        ObjectNode requestedMetadata = requested.withObjectProperty("metadata");
        boolean deleting = metadata.has("deletionTimestamp");
        if (deleting) {
            Set<String> before = new HashSet<>();
            metadata.path("finalizers").forEach(finalizer -> before.add(finalizer.asText()));
            for (JsonNode finalizer : requestedMetadata.path("finalizers")) {
                if (!before.contains(finalizer.asText())) {
                    throw ApiException.invalid(kind, name, List.of(FieldError.forbidden("metadata.finalizers",
                            "no new finalizers can be added if the object is being deleted, found new finalizer \""
                                    + finalizer.asText() + "\"")));
                }
            }
        }
        JsonNode requestedSpec = requested.path("spec");
        boolean specChanged = !requestedSpec.equals(current.path("spec"));
        Map<String, String> ownedLabels = ownedLabels(existing.labels());
        Map<String, Long> attributes = existing.attributes();
        List<String> warnings = List.of();
        // A dry run of a Cluster is admitted even unchanged, because it answers with the cluster's estimate.
        KindRules rules = registry.registration(kind).rules();
        if (specChanged || (dryRun && rules.admitsUnchangedDryRuns() && !deleting)) {
            if (deleting) {
                throw ApiException.invalid(kind, name, List.of(FieldError.forbidden("spec",
                        "the object is being deleted; only its finalizers, labels and annotations may change")));
            }
            KindRules.Admitted admitted = rules.admit(new KindRules.Request(transaction, namespace, name,
                    (ObjectNode) requestedSpec, Optional.of(existing), labelsOf(requestedMetadata), dryRun, by));
            if (!admitted.spec().equals(current.path("spec"))) {
                updated.set("spec", admitted.spec());
                metadata.put("generation", metadata.path("generation").asLong(1) + 1);
            }
            ownedLabels = admitted.labels();
            attributes = admitted.attributes();
            warnings = admitted.warnings();
        }
        for (String field : List.of("labels", "annotations", "finalizers", "ownerReferences")) {
            metadata.remove(field);
        }
        copyUserMetadata(requestedMetadata, metadata, ownedLabels);
        return new Updated(reorderMetadata(updated), attributes, warnings);
    }

    /**
     * Sets {@code metadata.managedFields} of the object as written. An update starts from the stored entries, or from
     * those the request sends in place of them (not for the status subresource); a request sending a list of one
     * empty entry clears them, one sending entries that cannot be read keeps the stored ones, as kube-apiserver does.
     *
     * @param requested the managedFields the request sent, null when none
     */
    private void recordOwnership(Kind kind, Optional<ObjectNode> before, ObjectNode after, JsonNode requested,
                                 Ownership ownership, ManagedFields.Scope scope) {
        ObjectNode metadata = after.withObjectProperty("metadata");
        List<ManagedField> entries = switch (ownership) {
            case Ownership.Apply apply -> apply.entries();
            case Ownership.Update update -> {
                if (scope == ManagedFields.Scope.MAIN && ManagedFields.clears(requested)) {
                    yield List.of();
                }
                List<ManagedField> base = storedEntries(before);
                if (scope == ManagedFields.Scope.MAIN && requested != null && !requested.isEmpty()) {
                    try {
                        base = ManagedFields.decode(requested);
                    } catch (IllegalArgumentException unreadable) {
                        // kube-apiserver keeps the stored entries when a client sends entries it cannot read.
                    }
                }
                yield ManagedFields.afterUpdate(kind, before, after, base, new ManagedFields.Writer(update.manager(), scope), now());
            }
        };
        if (entries.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            metadata.set("managedFields", ManagedFields.encode(entries));
        }
    }

    /** The stored entries; entries that cannot be read (written by hand into the database) count as none. */
    static List<ManagedField> storedEntries(Optional<ObjectNode> object) {
        try {
            return ManagedFields.decode(object.map(stored -> stored.path("metadata").get("managedFields")).orElse(null));
        } catch (IllegalArgumentException unreadable) {
            return List.of();
        }
    }

    private static ObjectNode withStatus(ObjectNode current, ObjectNode requested) {
        ObjectNode updated = current.deepCopy();
        JsonNode status = requested.get("status");
        if (status == null || status.isNull()) {
            updated.remove("status");
        } else {
            updated.set("status", status);
        }
        return updated;
    }

    private void requireTeamNamespace(WriteTransaction transaction, Kind kind, String namespace) {
        if (!kind.namespaced()) {
            return;
        }
        StoredObject team = transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", namespace))
                .orElseThrow(() -> new ApiException(ApiException.Reason.NOT_FOUND, "namespace \"" + namespace
                        + "\" not found: there is no Team \"" + namespace + "\" (a Cluster's namespace is the name of its Team; "
                        + "list teams with `kubectl get teams`)",
                        new ApiException.Details("", "namespaces", namespace), List.of()));
        if (registry.specs().parsed(team, TeamSpec.class).deleting()) {
            throw ApiException.forbidden(kind.resourceGroup() + " is forbidden: unable to create new content in namespace \""
                    + namespace + "\" because Team \"" + namespace + "\" is being deleted");
        }
    }

    /** Copies labels, annotations, finalizers and owner references; Drover's own labels win. */
    private static void copyUserMetadata(JsonNode from, ObjectNode to, Map<String, String> ownedLabels) {
        Map<String, String> labels = new TreeMap<>();
        from.path("labels").properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        labels.keySet().removeIf(key -> key.startsWith(Kinds.LABEL_PREFIX) && !ownedLabels.containsKey(key));
        labels.putAll(ownedLabels);
        if (!labels.isEmpty()) {
            ObjectNode labelNode = to.putObject("labels");
            labels.forEach(labelNode::put);
        }
        for (String field : List.of("annotations", "finalizers", "ownerReferences")) {
            JsonNode value = from.get(field);
            if (value != null && !value.isEmpty()) {
                to.set(field, value.deepCopy());
            }
        }
    }

    private static void addFinalizer(ObjectNode metadata, String finalizer) {
        for (JsonNode present : metadata.path("finalizers")) {
            if (present.asText().equals(finalizer)) {
                return;
            }
        }
        metadata.withArrayProperty("finalizers").add(finalizer);
    }

    private static Map<String, String> ownedLabels(Map<String, String> labels) {
        Map<String, String> owned = new HashMap<>();
        labels.forEach((key, value) -> {
            if (key.startsWith(Kinds.LABEL_PREFIX)) {
                owned.put(key, value);
            }
        });
        return owned;
    }

    private static ObjectNode reorderMetadata(ObjectNode object) {
        ObjectNode metadata = object.withObjectProperty("metadata");
        ObjectNode ordered = Json.MAPPER.createObjectNode();
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "finalizers", "ownerReferences",
                "managedFields")) {
            if (metadata.has(field)) {
                ordered.set(field, metadata.get(field));
            }
        }
        object.set("metadata", ordered);
        return object;
    }

    static Map<String, String> labelsOf(ObjectNode metadata) {
        Map<String, String> labels = new TreeMap<>();
        metadata.path("labels").properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        return labels;
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String randomSuffix() {
        var suffix = new StringBuilder();
        for (int index = 0; index < 5; index++) {
            suffix.append(GENERATE_ALPHABET.charAt(ThreadLocalRandom.current().nextInt(GENERATE_ALPHABET.length())));
        }
        return suffix.toString();
    }
}
