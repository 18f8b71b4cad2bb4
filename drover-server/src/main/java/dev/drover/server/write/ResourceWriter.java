package dev.drover.server.write;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.selector.FieldSelector;
import dev.drover.model.selector.LabelSelector;
import dev.drover.server.auth.Authorizer;
import dev.drover.server.apply.ManagedFields;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ListPage;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ListedObject;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The write path of the API, for HTTP routes and in-process callers alike: every write is authorized for its
 * principal, checked against the kind's schema, admitted by the kind's rules (validation, defaulting, quotas, budgets)
 * inside the store's write transaction, with Kubernetes' rules for resourceVersion, generation and finalizers. A
 * refused write throws {@link ApiException} and changes nothing.
 */
public final class ResourceWriter {

    private static final int PATCH_ATTEMPTS = 5;

    /** One object of a kind; the namespace is empty for cluster-scoped kinds. */
    public record Target(Kind kind, String namespace, String name) {
        public Target {
            requireNonNull(kind, "kind is null");
            requireNonNull(namespace, "namespace is null");
            requireNonNull(name, "name is null");
        }

        ObjectKey key() {
            return new ObjectKey(kind.kind(), namespace, name);
        }
    }

    /**
     * How a write is carried out: as a dry run (nothing stored), how unknown fields are treated, and the manager
     * recorded in {@code metadata.managedFields} as owning what the write sets.
     */
    /** @param source the client's address, for the audit log; empty for Drover's own writes */
    public record Options(boolean dryRun, FieldValidation fieldValidation, String fieldManager, String source) {
        /** The manager of Drover's own writes. */
        public static final String DROVER = "drover";
        public static final Options DEFAULT = new Options(false, FieldValidation.WARN, DROVER);

        public Options {
            requireNonNull(fieldValidation, "fieldValidation is null");
            requireNonNull(fieldManager, "fieldManager is null");
            requireNonNull(source, "source is null");
        }

        /** Options of a write Drover makes itself. */
        public Options(boolean dryRun, FieldValidation fieldValidation, String fieldManager) {
            this(dryRun, fieldValidation, fieldManager, "");
        }
    }

    /** How a server-side apply treats fields other managers own: refuses to change them, or takes them. */
    public enum Conflicts {
        REFUSE,
        FORCE
    }

    /** The patch formats of the Kubernetes API. */
    public enum PatchType {
        /** RFC 7386. */
        MERGE,
        /** RFC 6902. */
        JSON,
        /** Taken as a merge patch: Drover's lists are replaced whole. */
        STRATEGIC_MERGE
    }

    /** Preconditions of a delete. */
    /** @param source the client's address, for the audit log; empty for Drover's own deletes */
    public record DeleteOptions(boolean dryRun, Optional<String> resourceVersion, Optional<String> uid, String source) {
        public static final DeleteOptions NONE = new DeleteOptions(false, Optional.empty(), Optional.empty(), "");

        public DeleteOptions {
            requireNonNull(resourceVersion, "resourceVersion is null");
            requireNonNull(uid, "uid is null");
            requireNonNull(source, "source is null");
        }
    }

    /** What a write produced: the object as stored (or as it would be, for a dry run), as JSON, and warnings. */
    public record Result(String json, List<String> warnings) {
        public Result {
            requireNonNull(json, "json is null");
            warnings = List.copyOf(warnings);
        }
    }

    private final ResourceStore store;
    private final Authorizer authorizer;
    private final ResourceWrites writes;
    private final AddonPromotion promotion;
    private final ApplicationPromotion applicationPromotion;
    private final Clock clock;

    public ResourceWriter(ResourceStore store, KindRegistry registry, Authorizer authorizer, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.authorizer = authorizer;
        this.writes = new ResourceWrites(store, registry, clock);
        this.promotion = new AddonPromotion(store, writes);
        this.applicationPromotion = new ApplicationPromotion(store, writes);
    }

    /** Creates the object; a namespaced kind needs the namespace of an existing Team. */
    public Result create(Principal principal, Kind kind, String namespace, JsonNode body, Options options) {
        authorize(principal, "create", kind, namespace, Optional.empty());
        List<String> warnings = new ArrayList<>();
        ObjectNode object = ObjectChecks.check(kind, body, options.fieldValidation(), warnings);
        String bodyNamespace = object.path("metadata").path("namespace").asText("");
        if (kind.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object (" + bodyNamespace
                    + ") does not match the namespace sent on the request (" + namespace + ")");
        }
        if (kind.namespaced() && namespace.isEmpty()) {
            throw new ApiException(ApiException.Reason.METHOD_NOT_ALLOWED, kind.kind()
                    + " is namespaced: create it under /namespaces/{team}/" + kind.plural() + " (kubectl -n TEAM)");
        }
        return withWarnings(warnings, writes.create(kind, namespace, object, options.dryRun(),
                new Ownership.Update(options.fieldManager()), new WriteOrigin(principal, "create", options.source())));
    }

    /** Replaces spec and metadata; the body must carry the resourceVersion it was read at. */
    public Result update(Principal principal, Target target, JsonNode body, Options options) {
        return replace(principal, target, body, false, options);
    }

    /** Replaces the status only; the body must carry the resourceVersion it was read at. */
    public Result updateStatus(Principal principal, Target target, JsonNode body, Options options) {
        return replace(principal, target, body, true, options);
    }

    /**
     * Applies the patch to the current object and writes the result, retrying on a concurrent write unless the patch
     * pins a resourceVersion.
     *
     * @param status whether the patch is of the status subresource
     */
    public Result patch(Principal principal, Target target, PatchType type, JsonNode patch, boolean status, Options options) {
        authorize(principal, "patch", target.kind(), target.namespace(), Optional.of(target.name()), status);
        boolean versionPinned = pinsVersion(type, patch);
        for (int attempt = 1; ; attempt++) {
            StoredObject current = store.get(target.key()).orElseThrow(() -> ApiException.notFound(target.kind(), target.name()));
            ObjectNode before = Json.parseObject(current.json());
            JsonNode patched = type == PatchType.JSON ? Patches.jsonPatch(before, patch)
                    : Patches.mergePatch(before, withoutDirectives(patch));
            List<String> warnings = new ArrayList<>();
            ObjectNode object = ObjectChecks.check(target.kind(), patched, options.fieldValidation(), warnings);
            try {
                return withWarnings(warnings, writes.update(target.kind(), target.namespace(), target.name(), object, status,
                        options.dryRun(), false, new Ownership.Update(options.fieldManager()),
                        new WriteOrigin(principal, "patch", options.source())));
            } catch (ApiException conflict) {
                if (conflict.reason() != ApiException.Reason.CONFLICT || versionPinned || attempt == PATCH_ATTEMPTS) {
                    throw conflict;
                }
            }
        }
    }

    /**
     * Server-side apply: merges the configuration into the object (creating it when there is none) for the options'
     * field manager, which then owns exactly the fields the configuration sets; fields it set before and no longer
     * sets are removed unless another manager owns them. Retries on a concurrent write unless the configuration pins a
     * resourceVersion.
     *
     * @param status whether the configuration is of the status subresource
     * @throws ApiException Conflict when the configuration changes fields other managers own, unless forced
     */
    public Result apply(Principal principal, Target target, JsonNode config, boolean status, Conflicts conflicts,
                        Options options) {
        authorize(principal, "patch", target.kind(), target.namespace(), Optional.of(target.name()), status);
        if (options.fieldManager().isEmpty()) {
            throw ApiException.badRequest("fieldManager is required for server-side apply: name the manager that owns the "
                    + "applied fields (kubectl apply --server-side --field-manager=NAME; kubectl's default is kubectl)");
        }
        List<String> warnings = new ArrayList<>();
        ObjectNode configuration = ObjectChecks.checkConfiguration(target.kind(), config, target.name(),
                options.fieldValidation(), warnings);
        String pinned = configuration.path("metadata").path("resourceVersion").asText("");
        ManagedFields.Writer manager = new ManagedFields.Writer(options.fieldManager(),
                status ? ManagedFields.Scope.STATUS : ManagedFields.Scope.MAIN);
        for (int attempt = 1; ; attempt++) {
            Optional<StoredObject> current = store.get(target.key());
            try {
                return withWarnings(warnings, current.isEmpty()
                        ? applyCreating(principal, target, configuration, pinned, manager, conflicts, status, options)
                        : applyUpdating(principal, target, Json.parseObject(current.get().json()), configuration, pinned, manager,
                        conflicts, status, options));
            } catch (ApiException raced) {
                // Another write came between the read and this one; a field conflict (with causes) is an answer.
                boolean retry = raced.reason() == ApiException.Reason.ALREADY_EXISTS
                        || (raced.reason() == ApiException.Reason.CONFLICT && pinned.isEmpty() && raced.causes().isEmpty());
                if (!retry || attempt == PATCH_ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    private ResourceWrites.Outcome applyCreating(Principal principal, Target target, ObjectNode configuration, String pinned,
                                                 ManagedFields.Writer manager, Conflicts conflicts, boolean status,
                                                 Options options) {
        if (status) {
            throw ApiException.notFound(target.kind(), target.name());
        }
        authorize(principal, "create", target.kind(), target.namespace(), Optional.empty());
        if (!pinned.isEmpty()) {
            throw ApiException.conflict(target.kind(), target.name(), "the object does not exist, so the applied "
                    + "configuration cannot name a resourceVersion (" + pinned + "); remove metadata.resourceVersion to create it");
        }
        ManagedFields.Applied applied = ManagedFields.apply(target.kind(), target.name(), Optional.empty(), configuration,
                List.of(), manager, conflicts == Conflicts.FORCE, now());
        ObjectNode object = applied.view();
        object.withObjectProperty("metadata").put("name", target.name());
        return writes.create(target.kind(), target.namespace(), ObjectChecks.check(target.kind(), object,
                FieldValidation.IGNORE, new ArrayList<>()), options.dryRun(), new Ownership.Apply(applied.entries()),
                new WriteOrigin(principal, "apply", options.source()));
    }

    private ResourceWrites.Outcome applyUpdating(Principal principal, Target target, ObjectNode live, ObjectNode configuration, String pinned,
                                                 ManagedFields.Writer manager, Conflicts conflicts, boolean status,
                                                 Options options) {
        ManagedFields.Applied applied = ManagedFields.apply(target.kind(), target.name(), Optional.of(live), configuration,
                ResourceWrites.storedEntries(Optional.of(live)), manager, conflicts == Conflicts.FORCE, now());
        ObjectNode object = applied.view();
        if (status) {
            object.set("spec", live.path("spec"));
        }
        object.withObjectProperty("metadata").put("name", target.name())
                .put("resourceVersion", pinned.isEmpty() ? live.path("metadata").path("resourceVersion").asText() : pinned);
        return writes.update(target.kind(), target.namespace(), target.name(), ObjectChecks.check(target.kind(), object,
                FieldValidation.IGNORE, new ArrayList<>()), status, options.dryRun(), true, new Ownership.Apply(applied.entries()),
                new WriteOrigin(principal, "apply", options.source()));
    }

    /** Deletes the object, or marks it for deletion while finalizers hold it. */
    public Result delete(Principal principal, Target target, DeleteOptions options) {
        authorize(principal, "delete", target.kind(), target.namespace(), Optional.of(target.name()));
        return withWarnings(List.of(), writes.delete(target.kind(), target.namespace(), target.name(), options.resourceVersion(),
                options.uid(), options.dryRun(), new WriteOrigin(principal, "delete", options.source())));
    }

    /**
     * Deletes every object of the kind in the namespace (all namespaces when empty) that the selectors match, each as
     * its own delete, as kube-apiserver does: a refusal stops there, the objects deleted before it stay deleted.
     *
     * @return the objects as deleted (or marked for deletion while finalizers hold them), as JSON
     */
    public List<String> deleteCollection(Principal principal, Kind kind, String namespace, LabelSelector labels,
                                         FieldSelector fields, DeleteOptions options) {
        boolean dryRun = options.dryRun();
        var origin = new WriteOrigin(principal, "deletecollection", options.source());
        authorize(principal, "deletecollection", kind, namespace, Optional.empty());
        ListPage page = store.list(new ListQuery(kind.kind(), namespace.isEmpty() ? Optional.empty() : Optional.of(namespace),
                key -> fields.matches(key.namespace(), key.name()), labels, 0, Optional.empty()));
        List<String> deleted = new ArrayList<>();
        for (ListedObject listed : page.items()) {
            try {
                deleted.add(writes.delete(kind, listed.namespace(), listed.name(), Optional.empty(), Optional.empty(), dryRun,
                        origin).json());
            } catch (ApiException gone) {
                if (gone.reason() != ApiException.Reason.NOT_FOUND) {
                    throw gone;
                }
            }
        }
        return deleted;
    }

    /**
     * Pins an add-on's version of one environment for the next, as one update of the profile; see {@link AddonPromotion}.
     *
     * @param request {@code {"addon": ..., "from": ..., "to": ..., "force": false}}
     */
    public Result promote(Principal principal, String profile, JsonNode request, Options options) {
        authorize(principal, "promote", Kinds.ADDON_PROFILE, "", Optional.of(profile));
        AddonPromotion.Promoted promoted = promotion.promote(new WriteOrigin(principal, "promote", options.source()), profile, AddonPromotion.Request.of(request), options.dryRun(),
                options.fieldManager());
        return new Result(promoted.json(), promoted.warnings());
    }

    private Result replace(Principal principal, Target target, JsonNode body, boolean status, Options options) {
        authorize(principal, "update", target.kind(), target.namespace(), Optional.of(target.name()), status);
        List<String> warnings = new ArrayList<>();
        ObjectNode object = ObjectChecks.check(target.kind(), body, options.fieldValidation(), warnings);
        return withWarnings(warnings, writes.update(target.kind(), target.namespace(), target.name(), object, status,
                options.dryRun(), true, new Ownership.Update(options.fieldManager()),
                new WriteOrigin(principal, "update", options.source())));
    }

    /**
     * Gives an Application's target environment the image of its source environment, as one update; see
     * {@link ApplicationPromotion}.
     *
     * @param request {@code {"from": ..., "to": ..., "force": false}}
     */
    public Result promoteApplication(Principal principal, String team, String application, JsonNode request, Options options) {
        authorize(principal, "promote", Kinds.APPLICATION, team, Optional.of(application));
        return applicationPromotion.promote(new WriteOrigin(principal, "promote", options.source()), team, application,
                ApplicationPromotion.Request.of(request), options.dryRun(), options.fieldManager());
    }

    private void authorize(Principal principal, String verb, Kind kind, String namespace, Optional<String> name) {
        authorize(principal, verb, kind, namespace, name, false);
    }

    private void authorize(Principal principal, String verb, Kind kind, String namespace, Optional<String> name,
                           boolean status) {
        authorizer.check(principal, new Authorizer.Request(verb, kind,
                namespace.isEmpty() ? Optional.empty() : Optional.of(namespace), name, status ? "status" : ""));
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Result withWarnings(List<String> first, ResourceWrites.Outcome outcome) {
        List<String> warnings = new ArrayList<>(first);
        warnings.addAll(outcome.warnings());
        return new Result(outcome.json(), warnings);
    }

    private static boolean pinsVersion(PatchType type, JsonNode patch) {
        if (type == PatchType.JSON) {
            for (JsonNode operation : patch) {
                if (operation.path("path").asText().equals("/metadata/resourceVersion")) {
                    return true;
                }
            }
            return false;
        }
        return patch.path("metadata").has("resourceVersion");
    }

    /** Strategic-merge directives ({@code $patch}, {@code $retainKeys}, ...) mean nothing to a merge patch. */
    private static JsonNode withoutDirectives(JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode copy = ((ObjectNode) patch).deepCopy();
        copy.properties().removeIf(entry -> entry.getKey().startsWith("$"));
        copy.properties().forEach(entry -> entry.setValue(withoutDirectives(entry.getValue())));
        return copy;
    }
}
