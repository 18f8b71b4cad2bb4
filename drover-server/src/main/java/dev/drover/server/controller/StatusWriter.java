package dev.drover.server.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.event.EventLog;
import dev.drover.server.store.LeaderFence;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WriteTransaction;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way controllers write status. Each controller registers as the {@link Owner} of some status fields,
 * condition types and attributes of a kind, and writes only those: another owner's part of the status is never
 * touched, and two owners cannot claim the same part. A condition's lastTransitionTime changes only when its status
 * does. A write that changes nothing is not written, so unchanged objects get no new resourceVersion and watchers see
 * no event.
 */
public final class StatusWriter {

    /**
     * A controller's part of one kind's status.
     *
     * @param fields top-level fields of {@code status}
     * @param conditions condition types
     * @param attributes numeric attributes the store aggregates (see {@code UsageScope})
     * @param finalizer the finalizer the owner holds on objects of the kind, if any
     * @param problems the owned conditions that report a problem when True (BudgetExceeded), not when False (Ready)
     * @param newsOnReason the owned conditions whose change of reason is an Event too, not only a change of status
     *     (Expiring stays True from a day before the expiry and says so again an hour before)
     * @param neutral the owned conditions whose status says neither good nor bad (Hibernated, MaintenancePending):
     *     their Events are Normal either way
     */
    public record Owner(String name, Kind kind, Set<String> fields, Set<String> conditions, Set<String> attributes,
                        Optional<String> finalizer, Set<String> problems, Set<String> newsOnReason, Set<String> neutral) {

        public Owner {
            requireNonNull(name, "name is null");
            requireNonNull(kind, "kind is null");
            fields = Set.copyOf(fields);
            conditions = Set.copyOf(conditions);
            attributes = Set.copyOf(attributes);
            requireNonNull(finalizer, "finalizer is null");
            problems = Set.copyOf(problems);
            newsOnReason = Set.copyOf(newsOnReason);
            neutral = Set.copyOf(neutral);
        }

        public Owner(String name, Kind kind, Set<String> fields, Set<String> conditions, Set<String> attributes,
                     Optional<String> finalizer, Set<String> problems, Set<String> newsOnReason) {
            this(name, kind, fields, conditions, attributes, finalizer, problems, newsOnReason, Set.of());
        }

        public Owner(String name, Kind kind, Set<String> fields, Set<String> conditions, Set<String> attributes,
                     Optional<String> finalizer, Set<String> problems) {
            this(name, kind, fields, conditions, attributes, finalizer, problems, Set.of(), Set.of());
        }

        public Owner(String name, Kind kind, Set<String> fields, Set<String> conditions, Set<String> attributes,
                     Optional<String> finalizer) {
            this(name, kind, fields, conditions, attributes, finalizer, Set.of());
        }
    }

    /** What an owner does with its finalizer on the object. */
    public enum Finalizer {
        /** Leave the finalizers as they are. */
        KEEP,
        /** Add the owner's finalizer if it is missing (the object is not being deleted). */
        ENSURE,
        /** Remove it; an object being deleted that then has no finalizers is deleted. */
        RELEASE
    }

    /**
     * What an owner decided for one object.
     *
     * @param fields owned status fields to set; a JSON null removes the field; owned fields not named are left alone
     * @param conditions owned conditions to set; other conditions are left alone
     * @param attributes owned attributes to set
     * @param notices Events about the object that are no condition's transition (a campaign's cluster that failed),
     *     recorded with the write, and only when it changes the status
     */
    public record Update(ObjectKey key, Map<String, JsonNode> fields, List<Condition> conditions, Map<String, Long> attributes,
                         Finalizer finalizer, List<Notice> notices) {

        public Update {
            requireNonNull(key, "key is null");
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            conditions = List.copyOf(conditions);
            attributes = Map.copyOf(attributes);
            requireNonNull(finalizer, "finalizer is null");
            notices = List.copyOf(notices);
        }

        public Update(ObjectKey key, Map<String, JsonNode> fields, List<Condition> conditions, Map<String, Long> attributes,
                      Finalizer finalizer) {
            this(key, fields, conditions, attributes, finalizer, List.of());
        }

        public Update(ObjectKey key, Map<String, JsonNode> fields, List<Condition> conditions) {
            this(key, fields, conditions, Map.of(), Finalizer.KEEP);
        }
    }

    /** An Event to record with a status write: Warning or Normal, a reason in one word, a message. */
    public record Notice(boolean warning, String reason, String message) {
        public Notice {
            requireNonNull(reason, "reason is null");
            requireNonNull(message, "message is null");
        }
    }

    private final ResourceStore store;
    private final Clock clock;
    private final LeaderFence fence;
    private final Map<Kind, List<Owner>> owners = new ConcurrentHashMap<>();

    /** @param fence refuses the writes once another replica leads */
    public StatusWriter(ResourceStore store, Clock clock, LeaderFence fence) {
        this.store = store;
        this.clock = clock;
        this.fence = fence;
    }

    /** @throws IllegalStateException when another owner already claims one of the fields, conditions or attributes */
    public synchronized Owner register(Owner owner) {
        List<Owner> ofKind = owners.computeIfAbsent(owner.kind(), ignored -> new ArrayList<>());
        for (Owner other : ofKind) {
            if (other.name().equals(owner.name())) {
                throw new IllegalStateException("status owner " + owner.name() + " of " + owner.kind().kind() + " is registered twice");
            }
            List<String> shared = new ArrayList<>();
            owner.fields().stream().filter(other.fields()::contains).forEach(field -> shared.add("status." + field));
            owner.conditions().stream().filter(other.conditions()::contains).forEach(type -> shared.add("condition " + type));
            owner.attributes().stream().filter(other.attributes()::contains).forEach(name -> shared.add("attribute " + name));
            owner.finalizer().filter(other.finalizer()::equals).ifPresent(finalizer -> shared.add("finalizer " + finalizer));
            if (!shared.isEmpty()) {
                throw new IllegalStateException(owner.name() + " and " + other.name() + " both claim " + String.join(", ", shared)
                        + " of " + owner.kind().kind());
            }
        }
        ofKind.add(owner);
        return owner;
    }

    /**
     * Writes the updates that change something, in one store transaction. Each update is compared with the stored
     * object; a controller that decides often keeps what it last wrote and passes only what changed since.
     *
     * @return how many objects were written
     * @throws IllegalArgumentException when an update names a field, condition or attribute the owner does not own
     */
    public int write(Owner owner, Collection<Update> updates) {
        if (!owners.getOrDefault(owner.kind(), List.of()).contains(owner)) {
            throw new IllegalStateException(owner.name() + " is not registered as a status owner of " + owner.kind().kind());
        }
        List<Update> pending = List.copyOf(updates);
        pending.forEach(update -> checkOwned(owner, update));
        if (pending.isEmpty()) {
            return 0;
        }
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        List<ObjectKey> keys = pending.stream().map(Update::key).toList();
        return store.write(new ReadHints(keys, List.of()), transaction -> {
            fence.check(transaction);
            int changed = 0;
            for (Update update : pending) {
                Optional<StoredObject> stored = transaction.get(update.key());
                if (stored.isEmpty()) {
                    continue;
                }
                ObjectNode object = Json.parseObject(stored.get().json());
                ObjectNode metadata = object.withObjectProperty("metadata");
                JsonNode finalizersBefore = metadata.path("finalizers").deepCopy();
                boolean deleting = metadata.has("deletionTimestamp");
                if (update.finalizer() == Finalizer.RELEASE && owner.finalizer().isPresent()) {
                    ArrayNode remaining = Json.MAPPER.createArrayNode();
                    metadata.path("finalizers").forEach(finalizer -> {
                        if (!finalizer.asText().equals(owner.finalizer().get())) {
                            remaining.add(finalizer);
                        }
                    });
                    if (remaining.isEmpty()) {
                        metadata.remove("finalizers");
                        if (deleting) {
                            transaction.delete(stored.get(), object);
                            changed++;
                            continue;
                        }
                    } else {
                        metadata.set("finalizers", remaining);
                    }
                }
                if (update.finalizer() == Finalizer.ENSURE && !deleting && owner.finalizer().isPresent()
                        && !contains(metadata.path("finalizers"), owner.finalizer().get())) {
                    metadata.withArrayProperty("finalizers").add(owner.finalizer().get());
                }
                JsonNode statusBefore = object.path("status");
                ObjectNode status = apply(update, statusBefore, now);
                Map<String, Long> attributes = new HashMap<>(stored.get().attributes());
                attributes.putAll(update.attributes());
                boolean statusSame = same(status, statusBefore) || (status.isEmpty() && !statusBefore.isObject());
                if (statusSame && attributes.equals(stored.get().attributes())
                        && finalizersBefore.equals(metadata.path("finalizers"))) {
                    continue;
                }
                object.set("status", status);
                StoredObject written = transaction.put(update.key().kind(), update.key().namespace(), update.key().name(),
                        stored.get().labels(), attributes, object);
                recordTransitions(transaction, owner, update, statusBefore, written, object, now);
                for (Notice notice : update.notices()) {
                    EventLog.record(transaction, written, object, eventNamespace(written), notice.warning() ? EventLog.Type.WARNING
                            : EventLog.Type.NORMAL, notice.reason(), notice.message(), "drover-" + owner.name(), now);
                }
                changed++;
            }
            return changed;
        });
    }

    /** Where an object's Events live: its namespace, a Team's own for a Team, else {@code default}. */
    private static String eventNamespace(StoredObject written) {
        return !written.namespace().isEmpty() ? written.namespace()
                : written.kind().equals(Kinds.TEAM.kind()) ? written.name() : EventLog.DEFAULT_NAMESPACE;
    }

    /**
     * Records an Event for each owned condition whose status changed to True or False (or, for the owner's
     * newsOnReason conditions, whose reason changed), in the transaction of the change: a Warning when it now reports a
     * problem. Unknown is no news, so it records nothing.
     */
    private static void recordTransitions(WriteTransaction transaction, Owner owner, Update update, JsonNode statusBefore,
                                          StoredObject written, JsonNode object, String now) {
        for (Condition condition : update.conditions()) {
            if (condition.status() == Condition.ConditionStatus.UNKNOWN) {
                continue;
            }
            String before = "";
            String reasonBefore = "";
            for (JsonNode previous : statusBefore.path("conditions")) {
                if (previous.path("type").asText().equals(condition.type())) {
                    before = previous.path("status").asText();
                    reasonBefore = previous.path("reason").asText();
                }
            }
            boolean reasonIsNews = owner.newsOnReason().contains(condition.type())
                    && !reasonBefore.equals(condition.reason().orElse(""));
            if (before.equals(condition.status().wireName()) && !reasonIsNews) {
                continue;
            }
            boolean problem = !owner.neutral().contains(condition.type())
                    && owner.problems().contains(condition.type()) == (condition.status() == Condition.ConditionStatus.TRUE);
            EventLog.record(transaction, written, object, eventNamespace(written), problem ? EventLog.Type.WARNING : EventLog.Type.NORMAL,
                    condition.reason().orElse(condition.type()), condition.type() + " is " + condition.status().wireName()
                            + condition.message().map(message -> ": " + message).orElse(""), "drover-" + owner.name(), now);
        }
    }

    /**
     * Whether two statuses say the same. Numbers compare by value: a generation parsed from stored JSON is an int node,
     * the same generation from a record a long node, and Jackson's equals tells them apart.
     */
    static boolean same(JsonNode left, JsonNode right) {
        return Json.sameValue(left, right);
    }

    /** The status with the update applied: owned fields set or removed, owned conditions replaced in place. */
    static ObjectNode apply(Update update, JsonNode before, String now) {
        ObjectNode status = before.isObject() ? ((ObjectNode) before).deepCopy() : Json.MAPPER.createObjectNode();
        update.fields().forEach((field, value) -> {
            if (value == null || value.isNull() || value.isMissingNode()) {
                status.remove(field);
            } else {
                status.set(field, value);
            }
        });
        if (update.conditions().isEmpty()) {
            return status;
        }
        Map<String, ObjectNode> decided = new LinkedHashMap<>();
        for (Condition condition : update.conditions()) {
            decided.put(condition.type(), timed(condition, before.path("conditions"), now));
        }
        ArrayNode conditions = Json.MAPPER.createArrayNode();
        for (JsonNode existing : before.path("conditions")) {
            ObjectNode replacement = decided.remove(existing.path("type").asText());
            conditions.add(replacement != null ? replacement : existing);
        }
        decided.values().forEach(conditions::add);
        status.set("conditions", conditions);
        return status;
    }

    /** The condition as stored, with the time of its last status change. Built by hand: a batch sets thousands. */
    private static ObjectNode timed(Condition condition, JsonNode previousConditions, String now) {
        String time = now;
        String status = condition.status().wireName();
        for (JsonNode previous : previousConditions) {
            if (previous.path("type").asText().equals(condition.type()) && previous.path("status").asText().equals(status)) {
                time = previous.path("lastTransitionTime").asText(now);
            }
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", condition.type());
        node.put("status", status);
        condition.observedGeneration().ifPresent(generation -> node.put("observedGeneration", generation));
        node.put("lastTransitionTime", time);
        condition.reason().ifPresent(reason -> node.put("reason", reason));
        condition.message().ifPresent(message -> node.put("message", message));
        return node;
    }

    private static void checkOwned(Owner owner, Update update) {
        if (!update.key().kind().equals(owner.kind().kind())) {
            throw new IllegalArgumentException(owner.name() + " writes " + owner.kind().kind() + " status, not "
                    + update.key().kind());
        }
        for (String field : update.fields().keySet()) {
            if (!owner.fields().contains(field)) {
                throw new IllegalArgumentException(owner.name() + " does not own status." + field + " of " + update.key());
            }
        }
        for (Condition condition : update.conditions()) {
            if (!owner.conditions().contains(condition.type())) {
                throw new IllegalArgumentException(owner.name() + " does not own the " + condition.type() + " condition of "
                        + update.key());
            }
        }
        for (String attribute : update.attributes().keySet()) {
            if (!owner.attributes().contains(attribute)) {
                throw new IllegalArgumentException(owner.name() + " does not own the attribute " + attribute + " of " + update.key());
            }
        }
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode element : list) {
            if (element.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
