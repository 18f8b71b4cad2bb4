package dev.drover.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The unit of work a {@link Mutation} runs in. Reads see the database plus every earlier write of the same
 * batch; writes are kept here and flushed in order at commit, each with the next resource version.
 * Not thread-safe: it lives on the writer thread only.
 */
public final class WriteTransaction {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Long>> ATTRIBUTES = new TypeReference<>() { };

    private final Connection connection;
    private long revision;
    private final Map<ObjectKey, Optional<StoredObject>> current = new HashMap<>();
    /** Objects as committed before this batch, for every object the batch wrote. */
    private final Map<ObjectKey, Optional<StoredObject>> committedStates = new HashMap<>();
    private final Map<UsageScope, Usage> committedUsage = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final List<AuditEntry> audited = new ArrayList<>();
    private Optional<Long> leaderEpoch = Optional.empty();

    WriteTransaction(Connection connection, long revision) {
        this.connection = connection;
        this.revision = revision;
    }

    /**
     * Loads the objects the batch's mutations will read in one query, so each read is then served from memory.
     * The {@code LIMIT 1} keeps the planner from flattening the lookup into a join that scans the whole table
     * once its statistics grow: each key must stay one primary-key probe.
     */
    void prefetch(java.util.Collection<ObjectKey> keys) {
        List<ObjectKey> missing = keys.stream().distinct().filter(key -> !current.containsKey(key)).toList();
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT r.kind, r.namespace, r.name, r.resource_version, r.labels::text, r.attributes::text, r.body
                FROM unnest(?::text[], ?::text[], ?::text[]) AS wanted(kind, namespace, name)
                CROSS JOIN LATERAL (SELECT * FROM resources
                    WHERE kind = wanted.kind AND namespace = wanted.namespace AND name = wanted.name LIMIT 1) r""")) {
            select.setArray(1, connection.createArrayOf("text", missing.stream().map(ObjectKey::kind).toArray()));
            select.setArray(2, connection.createArrayOf("text", missing.stream().map(ObjectKey::namespace).toArray()));
            select.setArray(3, connection.createArrayOf("text", missing.stream().map(ObjectKey::name).toArray()));
            missing.forEach(key -> current.put(key, Optional.empty()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    var object = new StoredObject(row.getString(1), row.getString(2), row.getString(3), row.getLong(4),
                            readLabels(row.getString(5)), readAttributes(row.getString(6)), row.getString(7));
                    current.put(object.key(), Optional.of(object));
                }
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    /** The object as of this point of the batch. */
    public Optional<StoredObject> get(ObjectKey key) {
        Optional<StoredObject> known = current.get(key);
        if (known != null) {
            return known;
        }
        Optional<StoredObject> loaded = load(key);
        current.put(key, loaded);
        return loaded;
    }

    /**
     * Every committed object of a kind, in any namespace, carrying the label with the value, read as of this point of
     * the batch (an object the batch changed is read as changed); objects the batch created are not among them.
     */
    public List<StoredObject> labelled(String kind, String labelKey, String value) {
        List<ObjectKey> keys = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT namespace, name FROM resources WHERE kind = ? AND labels ->> ? = ? ORDER BY namespace, name")) {
            select.setString(1, kind);
            select.setString(2, labelKey);
            select.setString(3, value);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    keys.add(new ObjectKey(kind, row.getString(1), row.getString(2)));
                }
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
        List<StoredObject> objects = new ArrayList<>();
        keys.forEach(key -> get(key).filter(stored -> value.equals(stored.labels().get(labelKey))).ifPresent(objects::add));
        return objects;
    }

    /** Names of every object of a kind in a namespace as of this point of the batch, sorted. */
    public List<String> names(String kind, String namespace) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name FROM resources WHERE kind = ? AND namespace = ?")) {
            select.setString(1, kind);
            select.setString(2, namespace);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    names.add(row.getString(1));
                }
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
        for (Map.Entry<ObjectKey, Optional<StoredObject>> pending : pendingIn(kind, namespace).entrySet()) {
            if (pending.getValue().isPresent()) {
                names.add(pending.getKey().name());
            } else {
                names.remove(pending.getKey().name());
            }
        }
        return List.copyOf(names);
    }

    /**
     * How many objects of a kind in a namespace carry an attribute, and its sum over them, as of this
     * point of the batch, leaving out one object (the one being admitted).
     */
    public Usage usage(UsageScope scope, String excludedName) {
        Usage committed = committedUsage.get(scope);
        if (committed == null) {
            prefetchUsage(List.of(scope));
            committed = committedUsage.get(scope);
        }
        long count = committed.count();
        long sum = committed.sum();
        for (Map.Entry<ObjectKey, Optional<StoredObject>> entry : pendingIn(scope.kind(), scope.namespace()).entrySet()) {
            Optional<StoredObject> before = committedStates.get(entry.getKey());
            if (before != null && before.isPresent()) {
                count--;
                sum -= before.get().attributes().getOrDefault(scope.attribute(), 0L);
            }
            if (entry.getValue().isPresent()) {
                count++;
                sum += entry.getValue().get().attributes().getOrDefault(scope.attribute(), 0L);
            }
        }
        Optional<StoredObject> excluded = get(new ObjectKey(scope.kind(), scope.namespace(), excludedName));
        if (excluded.isPresent()) {
            count--;
            sum -= excluded.get().attributes().getOrDefault(scope.attribute(), 0L);
        }
        return new Usage(count, sum);
    }

    /** Reads the committed usage of every scope in one query. */
    void prefetchUsage(java.util.Collection<UsageScope> scopes) {
        List<UsageScope> missing = scopes.stream().distinct().filter(scope -> !committedUsage.containsKey(scope)).toList();
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT wanted.ordinality, coalesce(u.object_count, 0), coalesce(u.total, 0)
                FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS wanted(kind, namespace, attribute, ordinality)
                LEFT JOIN LATERAL (SELECT object_count, total FROM usage_totals
                    WHERE kind = wanted.kind AND namespace = wanted.namespace AND attribute = wanted.attribute LIMIT 1) u ON true""")) {
            select.setArray(1, connection.createArrayOf("text", missing.stream().map(UsageScope::kind).toArray()));
            select.setArray(2, connection.createArrayOf("text", missing.stream().map(UsageScope::namespace).toArray()));
            select.setArray(3, connection.createArrayOf("text", missing.stream().map(UsageScope::attribute).toArray()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    committedUsage.put(missing.get(row.getInt(1) - 1), new Usage(row.getLong(2), row.getLong(3)));
                }
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    /** A count of objects and the sum of one of their attributes. */
    public record Usage(long count, long sum) {
    }

    /** The current state of every object of the kind and namespace that this batch has written. */
    private Map<ObjectKey, Optional<StoredObject>> pendingIn(String kind, String namespace) {
        Map<ObjectKey, Optional<StoredObject>> pending = new HashMap<>();
        for (Change change : changes) {
            ObjectKey key = change.object().key();
            if (key.kind().equals(kind) && key.namespace().equals(namespace)) {
                pending.put(key, current.get(key));
            }
        }
        return pending;
    }

    /** Stores the object with the next resource version, which is also written into its metadata. */
    public StoredObject put(String kind, String namespace, String name, Map<String, String> labels,
                            Map<String, Long> attributes, ObjectNode object) {
        ObjectKey key = new ObjectKey(kind, namespace, name);
        Optional<StoredObject> previous = get(key);
        long version = ++revision;
        object.withObjectProperty("metadata").put("resourceVersion", Long.toString(version));
        var stored = new StoredObject(kind, namespace, name, version, labels, attributes, Json.write(object));
        record(new Change(previous.isPresent() ? Change.EventType.MODIFIED : Change.EventType.ADDED, stored, previous));
        return stored;
    }

    /** Removes the object; its last state, with the deletion's resource version, goes to watchers. */
    public StoredObject delete(StoredObject existing, ObjectNode lastState) {
        long version = ++revision;
        lastState.withObjectProperty("metadata").put("resourceVersion", Long.toString(version));
        var gone = new StoredObject(existing.kind(), existing.namespace(), existing.name(), version, existing.labels(),
                existing.attributes(), Json.write(lastState));
        record(new Change(Change.EventType.DELETED, gone, Optional.of(existing)));
        return gone;
    }

    private void record(Change change) {
        StoredObject object = change.object();
        boolean deleted = change.type() == Change.EventType.DELETED;
        committedStates.putIfAbsent(object.key(), change.previous());
        current.put(object.key(), deleted ? Optional.empty() : Optional.of(object));
        changes.add(change);
    }

    /** How far the batch's writes and audit entries had got. */
    record Mark(int changes, int audited) {
    }

    Mark mark() {
        return new Mark(changes.size(), audited.size());
    }

    /** Forgets every write and audit entry after the mark, so a failed mutation leaves no trace in its batch. */
    void resetTo(Mark mark) {
        audited.subList(mark.audited(), audited.size()).clear();
        for (int index = changes.size() - 1; index >= mark.changes(); index--) {
            Change undone = changes.remove(index);
            ObjectKey key = undone.object().key();
            current.put(key, undone.previous());
            if (changes.stream().noneMatch(change -> change.object().key().equals(key))) {
                committedStates.remove(key);
            }
            revision--;
        }
    }

    List<Change> changes() {
        return changes;
    }

    long revision() {
        return revision;
    }

    /** The transaction's connection, for the store's tables beside the objects (the IP allocations). */
    Connection connection() {
        return connection;
    }

    /** Writes every recorded change, in order, and the new revision; the caller commits. */
    /**
     * The leader epoch, read once per transaction with a share lock, so that no election commits until this
     * transaction has (see {@link LeaderFence}).
     */
    long leaderEpoch() {
        if (leaderEpoch.isEmpty()) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT value FROM store_state WHERE key = 'leader_epoch' FOR SHARE");
                 ResultSet row = select.executeQuery()) {
                leaderEpoch = Optional.of(row.next() ? row.getLong(1) : 0L);
            } catch (SQLException failed) {
                throw new StoreFailure(failed);
            }
        }
        return leaderEpoch.get();
    }

    /** Records the entry in the audit log, in this transaction: it is there exactly when the write it records is. */
    public void audit(AuditEntry entry) {
        audited.add(entry);
    }

    void flush() throws SQLException {
        AuditLog.insert(connection, audited);
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO resources (kind, namespace, name, resource_version, labels, attributes, body)
                VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
                ON CONFLICT (kind, namespace, name) DO UPDATE SET resource_version = excluded.resource_version,
                    labels = excluded.labels, attributes = excluded.attributes, body = excluded.body""");
             PreparedStatement remove = connection.prepareStatement(
                     "DELETE FROM resources WHERE kind = ? AND namespace = ? AND name = ?");
             PreparedStatement feed = connection.prepareStatement("""
                     INSERT INTO changes (resource_version, kind, namespace, name, event, labels, body)
                     VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)""")) {
            Map<ObjectKey, Change> finalStates = new java.util.LinkedHashMap<>();
            for (Change change : changes) {
                StoredObject object = change.object();
                finalStates.put(object.key(), change);
                feed.setLong(1, object.resourceVersion());
                feed.setString(2, object.kind());
                feed.setString(3, object.namespace());
                feed.setString(4, object.name());
                feed.setString(5, change.type().name());
                feed.setString(6, Json.write(new TreeMap<>(object.labels())));
                feed.setString(7, object.json());
                feed.addBatch();
            }
            for (Change change : finalStates.values()) {
                StoredObject object = change.object();
                if (change.type() == Change.EventType.DELETED) {
                    remove.setString(1, object.kind());
                    remove.setString(2, object.namespace());
                    remove.setString(3, object.name());
                    remove.addBatch();
                    continue;
                }
                upsert.setString(1, object.kind());
                upsert.setString(2, object.namespace());
                upsert.setString(3, object.name());
                upsert.setLong(4, object.resourceVersion());
                upsert.setString(5, Json.write(new TreeMap<>(object.labels())));
                upsert.setString(6, Json.write(new TreeMap<>(object.attributes())));
                upsert.setString(7, object.json());
                upsert.addBatch();
            }
            remove.executeBatch();
            upsert.executeBatch();
            flushUsageTotals(finalStates.keySet());
            feed.executeBatch();
        }
        try (PreparedStatement advance = connection.prepareStatement(
                "UPDATE store_state SET value = ? WHERE key = 'revision'");
             PreparedStatement notify = connection.prepareStatement("SELECT pg_notify('" + ResourceStore.CHANGES_CHANNEL
                     + "', ?)")) {
            advance.setLong(1, revision);
            advance.executeUpdate();
            notify.setString(1, Long.toString(revision));
            notify.execute();
        }
    }

    /** Applies the batch's net change of every attribute's count and sum to {@code usage_totals}. */
    private void flushUsageTotals(java.util.Set<ObjectKey> written) throws SQLException {
        Map<UsageScope, long[]> deltas = new java.util.LinkedHashMap<>();
        for (ObjectKey key : written) {
            committedStates.getOrDefault(key, Optional.empty()).ifPresent(before -> before.attributes().forEach(
                    (attribute, value) -> add(deltas, new UsageScope(key.kind(), key.namespace(), attribute), -1, -value)));
            current.getOrDefault(key, Optional.empty()).ifPresent(after -> after.attributes().forEach(
                    (attribute, value) -> add(deltas, new UsageScope(key.kind(), key.namespace(), attribute), 1, value)));
        }
        deltas.values().removeIf(delta -> delta[0] == 0 && delta[1] == 0);
        if (deltas.isEmpty()) {
            return;
        }
        try (PreparedStatement apply = connection.prepareStatement("""
                INSERT INTO usage_totals (kind, namespace, attribute, object_count, total) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (kind, namespace, attribute) DO UPDATE SET
                    object_count = usage_totals.object_count + excluded.object_count,
                    total = usage_totals.total + excluded.total""")) {
            for (Map.Entry<UsageScope, long[]> delta : deltas.entrySet()) {
                apply.setString(1, delta.getKey().kind());
                apply.setString(2, delta.getKey().namespace());
                apply.setString(3, delta.getKey().attribute());
                apply.setLong(4, delta.getValue()[0]);
                apply.setLong(5, delta.getValue()[1]);
                apply.addBatch();
            }
            apply.executeBatch();
        }
    }

    private static void add(Map<UsageScope, long[]> deltas, UsageScope scope, long count, long sum) {
        long[] delta = deltas.computeIfAbsent(scope, ignored -> new long[2]);
        delta[0] += count;
        delta[1] += sum;
    }

    private Optional<StoredObject> load(ObjectKey key) {
        return load(connection, key);
    }

    /** Reads one committed object (or what this connection's open transaction sees). */
    static Optional<StoredObject> load(Connection connection, ObjectKey key) {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT resource_version, labels::text, attributes::text, body FROM resources
                WHERE kind = ? AND namespace = ? AND name = ?""")) {
            select.setString(1, key.kind());
            select.setString(2, key.namespace());
            select.setString(3, key.name());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredObject(key.kind(), key.namespace(), key.name(), row.getLong(1),
                        readLabels(row.getString(2)), readAttributes(row.getString(3)), row.getString(4)));
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    static Map<String, String> readLabels(String json) {
        return read(json, LABELS);
    }

    static Map<String, Long> readAttributes(String json) {
        return read(json, ATTRIBUTES);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (java.io.IOException corrupt) {
            throw new IllegalStateException("stored JSON is corrupt: " + json, corrupt);
        }
    }
}
