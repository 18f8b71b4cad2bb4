package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.Kind;
import dev.drover.model.campaign.CampaignStep;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.Numbers;
import dev.drover.model.selector.FieldSelector;
import dev.drover.model.selector.LabelSelector;
import dev.drover.server.auth.Authorizer;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ListPage;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import dev.drover.server.write.FieldValidation;
import dev.drover.server.write.KindRegistry;
import dev.drover.server.write.ResourceWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The verbs on resource URLs: get, list, watch, create, update, patch, delete, the status subresource and the
 * promote subresource of AddonProfiles.
 */
final class ResourceRoutes {

    private static final Duration FUTURE_VERSION_WAIT = Duration.ofSeconds(3);
    private static final int MAX_FIELD_MANAGER = 128;
    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
    static final Duration MAX_WATCH_TIMEOUT = Duration.ofHours(1);
    private static final List<String> OBJECT_TYPES = List.of(RequestBodies.JSON, RequestBodies.YAML);
    private static final Map<String, ResourceWriter.PatchType> PATCH_TYPES = Map.of(
            RequestBodies.MERGE_PATCH, ResourceWriter.PatchType.MERGE,
            RequestBodies.JSON_PATCH, ResourceWriter.PatchType.JSON,
            RequestBodies.STRATEGIC_MERGE_PATCH, ResourceWriter.PatchType.STRATEGIC_MERGE);

    private final ResourceStore store;
    private final KindRegistry registry;
    private final ResourceWriter writer;
    private final Authorizer authorizer;
    private final Clock clock;
    private final WatchResponder watches;
    private final CampaignPlanning planning;
    private final ApplicationRoutes applications;

    ResourceRoutes(ResourceStore store, KindRegistry registry, ResourceWriter writer, Authorizer authorizer, Clock clock,
                   CampaignPlanning planning, WatchResponder watches, ApplicationRoutes applications) {
        this.store = store;
        this.registry = registry;
        this.writer = writer;
        this.authorizer = authorizer;
        this.clock = clock;
        this.watches = watches;
        this.planning = planning;
        this.applications = applications;
    }

    void handle(Context context, Principal principal) throws IOException {
        ResourcePath path = ResourcePath.parse(context.path());
        if (path.subresource().isPresent() && !registry.hasSubresource(path.kind(), path.subresource().get())) {
            throw ResourcePath.notFound(context.path());
        }
        String method = context.method().name();
        if (path.subresource().filter(KindRegistry.SCAN::equals).isPresent() && method.equals("POST")) {
            applications.scan(context, path, principal);
            return;
        }
        if (path.subresource().filter(KindRegistry.SCAFFOLD::equals).isPresent() && method.equals("GET")) {
            applications.scaffold(context, path, principal);
            return;
        }
        if (path.subresource().filter(subresource -> subresource.equals(KindRegistry.SCAN)
                || subresource.equals(KindRegistry.SCAFFOLD)).isPresent()) {
            throw new ApiException(ApiException.Reason.METHOD_NOT_ALLOWED, "the server does not allow this method on the "
                    + "requested resource: " + method + " " + context.path() + "; POST a scan, GET a scaffold");
        }
        String verb = verb(method, path, context);
        if (READ_VERBS.contains(verb) || verb.equals("plan")) {
            // A plan changes nothing: whoever may read the campaign may plan it.
            authorizer.check(principal, new Authorizer.Request(verb.equals("plan") ? "get" : verb, path.kind(), path.namespace(),
                    path.name()));
        }
        switch (verb) {
            case "get" -> get(context, path);
            case "list" -> list(context, path, principal);
            case "watch" -> watch(context, path, principal);
            case "create" -> create(context, path, principal);
            case "update" -> update(context, path, principal);
            case "patch" -> patch(context, path, principal);
            case "delete" -> delete(context, path, principal);
            case "deletecollection" -> deleteCollection(context, path, principal);
            case "promote" -> promote(context, path, principal);
            case "plan" -> plan(context, path);
            default -> throw new IllegalStateException(verb);
        }
    }

    private static String verb(String method, ResourcePath path, Context context) {
        boolean named = path.name().isPresent();
        if (path.plan()) {
            if (!method.equals("GET") && !method.equals("POST")) {
                throw new ApiException(ApiException.Reason.METHOD_NOT_ALLOWED, "the server does not allow this method on the "
                        + "requested resource: " + method + " " + context.path() + "; GET plans the stored campaign, POST the "
                        + "Campaign sent");
            }
            return "plan";
        }
        String verb = switch (method) {
            case "GET" -> named ? "get" : isWatch(context) ? "watch" : "list";
            case "POST" -> named ? (path.promote() ? "promote" : "") : "create";
            case "PUT" -> named ? "update" : "";
            case "PATCH" -> named ? "patch" : "";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> "";
        };
        if (verb.isEmpty() || (path.status() && !List.of("get", "update", "patch").contains(verb))
                || (path.promote() && !verb.equals("promote"))) {
            throw new ApiException(ApiException.Reason.METHOD_NOT_ALLOWED, "the server does not allow this method on the "
                    + "requested resource: " + method + " " + context.path());
        }
        return verb;
    }

    /** As kube-apiserver reads a boolean parameter: absent, {@code 0} and {@code false} are false; anything else true. */
    static boolean isWatch(Context context) {
        String watch = context.queryParam("watch");
        return watch != null && !watch.equals("0") && !watch.equalsIgnoreCase("false");
    }

    private void get(Context context, ResourcePath path) {
        StoredObject object = store.get(key(path)).orElseThrow(() -> ApiException.notFound(path.kind(), path.name().get()));
        switch (Representation.of(context.header("Accept"))) {
            case TABLE -> respondJson(context, 200, Tables.table(path.kind(), List.of(Json.parseObject(object.json())),
                    Long.toString(object.resourceVersion()), "", rowObject(context), true, clock.instant()));
            case PARTIAL_METADATA -> respondJson(context, 200, Representation.partialMetadata(Json.parseObject(object.json())));
            case YAML -> respondYaml(context, Json.parseObject(object.json()));
            case JSON -> respondRaw(context, 200, object.json());
        }
    }

    private void list(Context context, ResourcePath path, Principal principal) {
        LabelSelector labels = LabelSelector.parse(context.queryParam("labelSelector"));
        FieldSelector fields = FieldSelector.parse(context.queryParam("fieldSelector"));
        int limit = parseLimit(context.queryParam("limit"));
        Optional<ContinueToken> token = ContinueToken.parse(context.queryParam("continue"));
        Optional<Long> exact = versionToMatch(context);
        ListPage page = store.list(new ListQuery(path.kind().kind(), path.namespace(), keyFilter(path, fields, principal),
                labels, limit, token.map(ContinueToken::after)));
        if (exact.isPresent() && exact.get() != page.revision()) {
            throw new ApiException(ApiException.Reason.GONE, "too old resource version: " + exact.get() + " (" + page.revision()
                    + "): Drover lists at the newest resourceVersion only; list without resourceVersionMatch=Exact");
        }
        long revision = token.map(ContinueToken::revision).orElse(page.revision());
        String continueValue = page.lastKey().map(last -> new ContinueToken(revision, last).encode()).orElse("");
        // As kube-apiserver, the count of what follows is given only when it is exact: without selectors.
        Optional<Long> remaining = page.lastKey().filter(last -> labels.isEverything() && fields.isEverything()
                        && authorizer.onlyTeamsVisibleTo(principal, path.kind()).isEmpty())
                .map(last -> store.countAfter(path.kind().kind(), path.namespace(), last));
        Representation representation = Representation.of(context.header("Accept"));
        if (representation == Representation.TABLE) {
            List<ObjectNode> objects = page.items().stream().map(item -> Json.parseObject(item.json())).toList();
            respondJson(context, 200, Tables.table(path.kind(), objects, Long.toString(revision), continueValue,
                    rowObject(context), true, clock.instant()));
            return;
        }
        if (representation != Representation.JSON) {
            boolean partial = representation == Representation.PARTIAL_METADATA;
            ObjectNode list = Json.MAPPER.createObjectNode();
            list.put("apiVersion", partial ? "meta.k8s.io/v1" : path.kind().apiVersion());
            list.put("kind", partial ? "PartialObjectMetadataList" : path.kind().listKind());
            ObjectNode metadata = list.putObject("metadata").put("resourceVersion", Long.toString(revision));
            if (!continueValue.isEmpty()) {
                metadata.put("continue", continueValue);
            }
            remaining.ifPresent(count -> metadata.put("remainingItemCount", count));
            var items = list.putArray("items");
            page.items().forEach(item -> items.add(partial ? Representation.partialMetadata(Json.parseObject(item.json()))
                    : Json.parseObject(item.json())));
            if (partial) {
                respondJson(context, 200, list);
            } else {
                respondYaml(context, list);
            }
            return;
        }
        context.status(200);
        context.res().setContentType("application/json");
        try (var body = new java.io.BufferedOutputStream(context.res().getOutputStream(), 64 * 1024)) {
            StringBuilder head = new StringBuilder("{\"apiVersion\":\"").append(path.kind().apiVersion())
                    .append("\",\"kind\":\"").append(path.kind().listKind())
                    .append("\",\"metadata\":{\"resourceVersion\":\"").append(revision).append('"');
            if (!continueValue.isEmpty()) {
                head.append(",\"continue\":\"").append(continueValue).append('"');
            }
            remaining.ifPresent(count -> head.append(",\"remainingItemCount\":").append(count));
            head.append("},\"items\":[");
            body.write(head.toString().getBytes(StandardCharsets.UTF_8));
            for (int index = 0; index < page.items().size(); index++) {
                if (index > 0) {
                    body.write(',');
                }
                body.write(page.items().get(index).jsonBytes());
            }
            body.write(']');
            body.write('}');
        } catch (IOException clientGone) {
            // The client stopped reading; nothing to answer.
        }
    }

    private Predicate<ObjectKey> keyFilter(ResourcePath path, FieldSelector fields, Principal principal) {
        Optional<java.util.Set<String>> onlyTeams = authorizer.onlyTeamsVisibleTo(principal, path.kind());
        return key -> path.namespace().map(key.namespace()::equals).orElse(true)
                && onlyTeams.map(teams -> teams.contains(key.name())).orElse(true)
                && fields.matches(key.namespace(), key.name());
    }

    private Predicate<StoredObject> filter(ResourcePath path, LabelSelector labels, FieldSelector fields, Principal principal) {
        Predicate<ObjectKey> keys = keyFilter(path, fields, principal);
        return object -> keys.test(object.key()) && labels.matches(object.labels());
    }

    private void watch(Context context, ResourcePath path, Principal principal) {
        LabelSelector labels = LabelSelector.parse(context.queryParam("labelSelector"));
        FieldSelector fields = FieldSelector.parse(context.queryParam("fieldSelector"));
        watches.respond(context, principal, path.kind(), path.namespace(), keyFilter(path, fields, principal), labels,
                filter(path, labels, fields, principal),
                new KindView(path.kind(), Representation.of(context.header("Accept")), rowObject(context)));
    }

    private void create(Context context, ResourcePath path, Principal principal) {
        if (path.status()) {
            throw new ApiException(ApiException.Reason.METHOD_NOT_ALLOWED, "status can only be updated, not created");
        }
        RequestBodies.requireMediaType(context, OBJECT_TYPES);
        ResourceWriter.Result result = writer.create(principal, path.kind(), path.namespaceOrEmpty(), RequestBodies.read(context),
                options(context));
        warn(context, result.warnings());
        respondRaw(context, 201, result.json());
    }

    private void update(Context context, ResourcePath path, Principal principal) {
        RequestBodies.requireMediaType(context, OBJECT_TYPES);
        JsonNode body = RequestBodies.read(context);
        ResourceWriter.Result result = path.status()
                ? writer.updateStatus(principal, target(path), body, options(context))
                : writer.update(principal, target(path), body, options(context));
        warn(context, result.warnings());
        respondRaw(context, 200, result.json());
    }

    private void patch(Context context, ResourcePath path, Principal principal) {
        List<String> accepted = new ArrayList<>(PATCH_TYPES.keySet());
        accepted.add(RequestBodies.APPLY_PATCH);
        RequestBodies.requireMediaType(context, accepted);
        boolean apply = RequestBodies.mediaType(context).equals(RequestBodies.APPLY_PATCH);
        ResourceWriter.Conflicts conflicts = conflicts(context, apply);
        ResourceWriter.Result result = apply
                ? writer.apply(principal, target(path), RequestBodies.read(context), path.status(), conflicts, options(context))
                : writer.patch(principal, target(path), PATCH_TYPES.get(RequestBodies.mediaType(context)),
                RequestBodies.read(context), path.status(), options(context));
        warn(context, result.warnings());
        respondRaw(context, 200, result.json());
    }

    private void promote(Context context, ResourcePath path, Principal principal) {
        RequestBodies.requireMediaType(context, List.of(RequestBodies.JSON));
        ResourceWriter.Result result = path.kind().equals(Kinds.APPLICATION)
                ? writer.promoteApplication(principal, path.namespaceOrEmpty(), path.name().get(), RequestBodies.read(context),
                options(context))
                : writer.promote(principal, path.name().get(), RequestBodies.read(context), options(context));
        warn(context, result.warnings());
        respondRaw(context, 200, result.json());
    }

    /** GET: the stored campaign's plan from where it stands; POST: the plan of the Campaign sent, from the start. */
    private void plan(Context context, ResourcePath path) {
        String name = path.name().get();
        JsonNode plan;
        if (context.method().name().equals("POST")) {
            RequestBodies.requireMediaType(context, List.of(RequestBodies.JSON, RequestBodies.YAML));
            plan = planning.plan(name, CampaignPlanning.requested(name, RequestBodies.read(context)),
                    CampaignStep.lastWritten(Json.MAPPER.createObjectNode()), 1, clock.instant());
        } else {
            StoredObject stored = store.get(key(path)).orElseThrow(() -> ApiException.notFound(path.kind(), name));
            JsonNode object = Json.parseObject(stored.json());
            plan = planning.plan(name, Json.bind(object.path("spec"), CampaignSpec.class),
                    CampaignStep.lastWritten(object.path("status")), object.path("metadata").path("generation").asLong(1),
                    clock.instant());
        }
        respondJson(context, 200, plan);
    }

    private void delete(Context context, ResourcePath path, Principal principal) {
        ResourceWriter.Result result = writer.delete(principal, target(path), deleteOptions(context));
        respondRaw(context, 200, result.json());
    }

    /** Deletes every object the label and field selectors match, one by one as kube-apiserver does; answers with them. */
    private void deleteCollection(Context context, ResourcePath path, Principal principal) {
        ResourceWriter.DeleteOptions options = deleteOptions(context);
        if (options.resourceVersion().isPresent() || options.uid().isPresent()) {
            throw ApiException.badRequest("preconditions name one object; a collection delete cannot have them");
        }
        List<String> deleted = writer.deleteCollection(principal, path.kind(), path.namespaceOrEmpty(),
                LabelSelector.parse(context.queryParam("labelSelector")), FieldSelector.parse(context.queryParam("fieldSelector")),
                options);
        context.status(200);
        context.contentType("application/json");
        context.result(("{\"apiVersion\":\"" + path.kind().apiVersion() + "\",\"kind\":\"" + path.kind().listKind()
                + "\",\"metadata\":{},\"items\":[" + String.join(",", deleted) + "]}").getBytes(StandardCharsets.UTF_8));
    }

    /** DeleteOptions from the query (dryRun) and the body (preconditions, dryRun), as kubectl and client libraries send them. */
    private static ResourceWriter.DeleteOptions deleteOptions(Context context) {
        Optional<String> expectedVersion = Optional.empty();
        Optional<String> expectedUid = Optional.empty();
        boolean dryRun = dryRun(context);
        if (context.contentLength() > 0 || "chunked".equalsIgnoreCase(context.header("Transfer-Encoding"))) {
            JsonNode options = RequestBodies.read(context);
            JsonNode preconditions = options.path("preconditions");
            expectedVersion = optionalText(preconditions.path("resourceVersion"));
            expectedUid = optionalText(preconditions.path("uid"));
            for (JsonNode value : options.path("dryRun")) {
                dryRun |= value.asText().equals("All");
            }
        }
        return new ResourceWriter.DeleteOptions(dryRun, expectedVersion, expectedUid, context.ip());
    }

    private static ResourceWriter.Target target(ResourcePath path) {
        return new ResourceWriter.Target(path.kind(), path.namespaceOrEmpty(), path.name().orElseThrow());
    }

    private static ResourceWriter.Options options(Context context) {
        return new ResourceWriter.Options(dryRun(context), FieldValidation.parse(context.queryParam("fieldValidation")),
                fieldManager(context), context.ip());
    }

    /**
     * The manager a write is recorded for: the fieldManager parameter, else what the User-Agent names before its first
     * '/' (as kube-apiserver derives it), so writes of clients that send none are still told apart.
     */
    private static String fieldManager(Context context) {
        String given = context.queryParam("fieldManager");
        if (given == null) {
            String agent = Optional.ofNullable(context.userAgent()).orElse("");
            String derived = agent.split("/", 2)[0];
            return derived.length() > MAX_FIELD_MANAGER ? derived.substring(0, MAX_FIELD_MANAGER) : derived;
        }
        if (given.length() > MAX_FIELD_MANAGER) {
            throw ApiException.badRequest("fieldManager: Too long: may not be more than " + MAX_FIELD_MANAGER + " characters");
        }
        if (!given.codePoints().allMatch(point -> point >= 0x20 && point != 0x7f && Character.isDefined(point))) {
            throw ApiException.badRequest("fieldManager: Invalid value: \"" + given + "\": must only contain printable characters");
        }
        return given;
    }

    /** {@code force=true} takes fields other managers own; it means something only to server-side apply. */
    private static ResourceWriter.Conflicts conflicts(Context context, boolean apply) {
        String force = context.queryParam("force");
        if (force == null || force.equals("false")) {
            return ResourceWriter.Conflicts.REFUSE;
        }
        if (!force.equals("true")) {
            throw ApiException.badRequest("force must be true or false, not \"" + force + "\"");
        }
        if (!apply) {
            throw ApiException.badRequest("force is only allowed for server-side apply (Content-Type "
                    + RequestBodies.APPLY_PATCH + ")");
        }
        return ResourceWriter.Conflicts.FORCE;
    }

    private static Optional<String> optionalText(JsonNode node) {
        return node.isTextual() && !node.textValue().isEmpty() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static ObjectKey key(ResourcePath path) {
        return new ObjectKey(path.kind().kind(), path.namespaceOrEmpty(), path.name().orElseThrow());
    }

    private static boolean dryRun(Context context) {
        List<String> values = context.queryParams("dryRun");
        for (String value : values) {
            if (!value.equals("All")) {
                throw ApiException.badRequest("dryRun \"" + value + "\" is not supported (allowed: All)");
            }
        }
        return !values.isEmpty();
    }

    private static Tables.RowObject rowObject(Context context) {
        return Tables.RowObject.parse(context.queryParam("includeObject"));
    }

    static void respondYaml(Context context, JsonNode body) {
        context.status(200);
        context.contentType("application/yaml");
        context.result(Representation.yaml(body).getBytes(StandardCharsets.UTF_8));
    }

    private static int parseLimit(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException notANumber) {
            throw ApiException.badRequest("limit \"" + text + "\" is not a whole number");
        }
    }

    /**
     * A watch's timeout in milliseconds: the one asked for, at most {@link #MAX_WATCH_TIMEOUT} (clients such as
     * informers reconnect and resume), else between 30 and 60 minutes as kube-apiserver spreads them.
     */
    static long parseTimeout(String text) {
        if (text == null || text.isEmpty()) {
            return Duration.ofMinutes(30).toMillis() + ThreadLocalRandom.current().nextLong(Duration.ofMinutes(30).toMillis());
        }
        try {
            return Math.clamp(Long.parseLong(text), 1, MAX_WATCH_TIMEOUT.toSeconds()) * 1000;
        } catch (NumberFormatException notANumber) {
            throw ApiException.badRequest("timeoutSeconds \"" + Numbers.excerpt(text) + "\" is not a whole number");
        }
    }

    /**
     * {@code resourceVersionMatch} of a list, as kube-apiserver reads it: {@code NotOlderThan} waits for the version
     * (Drover then lists the newest state, which is not older); {@code Exact} returns the version the list must be
     * at; either needs a resourceVersion.
     */
    private Optional<Long> versionToMatch(Context context) {
        String match = context.queryParam("resourceVersionMatch");
        if (match == null || match.isEmpty()) {
            return Optional.empty();
        }
        String version = Optional.ofNullable(context.queryParam("resourceVersion")).orElse("");
        if (version.isEmpty()) {
            throw ApiException.badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
        }
        long wanted = parseVersion(version);
        return switch (match) {
            case "NotOlderThan" -> {
                awaitRevision(store, wanted);
                yield Optional.empty();
            }
            case "Exact" -> {
                if (wanted == 0) {
                    throw ApiException.badRequest("resourceVersionMatch=Exact needs a resourceVersion other than 0");
                }
                awaitRevision(store, wanted);
                yield Optional.of(wanted);
            }
            default -> throw ApiException.badRequest("resourceVersionMatch \"" + match
                    + "\" is not supported (allowed: NotOlderThan, Exact)");
        };
    }

    /**
     * Waits a little for a resourceVersion newer than any committed one (another replica may have handed it out a
     * moment ago), then answers as kube-apiserver does: 504 with the cause ResourceVersionTooLarge; clients retry.
     */
    static void awaitRevision(ResourceStore store, long wanted) {
        long deadline = System.nanoTime() + FUTURE_VERSION_WAIT.toNanos();
        while (store.revision() < wanted) {
            if (System.nanoTime() > deadline) {
                throw new ApiException(ApiException.Reason.TIMEOUT, "Too large resource version: " + wanted + ", current: "
                        + store.revision(), new ApiException.Details("", "", ""),
                        List.of(new FieldError("ResourceVersionTooLarge", "", "Too large resource version")));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "interrupted while waiting; retry");
            }
        }
    }

    static long parseVersion(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notANumber) {
            throw ApiException.badRequest("resourceVersion \"" + text + "\" is not valid: use a value from a list or watch");
        }
    }

    private static void warn(Context context, List<String> warnings) {
        for (String warning : warnings) {
            context.res().addHeader("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
        }
    }

    static void respondJson(Context context, int status, JsonNode body) {
        respondRaw(context, status, Json.write(body));
    }

    static void respondRaw(Context context, int status, String json) {
        context.status(status);
        context.contentType("application/json");
        context.result(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The kind's own objects in watch events, in the form asked for; YAML is no watch format, so it is JSON. */
    private final class KindView implements WatchResponder.View {
        private final Kind kind;
        private final Representation representation;
        private final Tables.RowObject rowObject;
        private boolean columnsSent;

        KindView(Kind kind, Representation representation, Tables.RowObject rowObject) {
            this.kind = kind;
            this.representation = representation;
            this.rowObject = rowObject;
        }

        @Override
        public String kind() {
            return kind.kind();
        }

        @Override
        public String apiVersion() {
            return kind.apiVersion();
        }

        @Override
        public String object(String storedJson, long resourceVersion) {
            return switch (representation) {
                case TABLE -> {
                    String table = Json.write(Tables.table(kind, List.of(Json.parseObject(storedJson)), Long.toString(resourceVersion),
                            "", rowObject, !columnsSent, clock.instant()));
                    columnsSent = true;
                    yield table;
                }
                case PARTIAL_METADATA -> Json.write(Representation.partialMetadata(Json.parseObject(storedJson)));
                case JSON, YAML -> storedJson;
            };
        }
    }

    /** Where a paged list continues: the snapshot's revision and the last key served. */
    record ContinueToken(long revision, ObjectKey after) {

        String encode() {
            ObjectNode token = Json.MAPPER.createObjectNode();
            token.put("rv", revision).put("ns", after.namespace()).put("name", after.name()).put("kind", after.kind());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8));
        }

        static Optional<ContinueToken> parse(String text) {
            if (text == null || text.isEmpty()) {
                return Optional.empty();
            }
            try {
                ObjectNode token = Json.parseObject(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
                return Optional.of(new ContinueToken(token.path("rv").asLong(), new ObjectKey(token.path("kind").asText(),
                        token.path("ns").asText(), token.path("name").asText())));
            } catch (RuntimeException malformed) {
                throw ApiException.badRequest("continue key is not valid: use the metadata.continue value of the previous page");
            }
        }
    }
}
