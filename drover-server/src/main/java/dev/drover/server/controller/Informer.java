package dev.drover.server.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.server.store.Change;
import dev.drover.server.store.ListPage;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ListedObject;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.WatchStream;
import dev.drover.server.store.WatcherFellBehind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory copy of one kind, kept current from the store: list, then watch from the list's version; list again
 * when the watch fell behind, expired or failed, telling handlers what the new list changed. Objects are indexed by
 * key and by label. Handlers run on the informer's thread, one change at a time, in resource-version order; they must
 * be quick (queue work, do not do it).
 */
public final class Informer<S> implements AutoCloseable {

    /** Told of every change: an object added (before empty), changed, or deleted (after empty). */
    @FunctionalInterface
    public interface Handler<S> {
        void changed(Optional<CachedObject<S>> before, Optional<CachedObject<S>> after);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);
    private static final long POLL_MILLIS = 500;
    private static final long RETRY_MILLIS = 1000;

    private final ResourceStore store;
    private final Kind kind;
    private final Class<S> specType;
    private final Set<String> statusFields;
    private final Map<ObjectKey, CachedObject<S>> objects = new ConcurrentHashMap<>();
    /** The content hash of each object's stored spec as last bound; used on the informer's thread only. */
    private final Map<ObjectKey, Integer> specHashes = new java.util.HashMap<>();
    /** "key=value" to the objects carrying that label. */
    private final Map<String, Set<ObjectKey>> byLabel = new ConcurrentHashMap<>();
    private final List<Handler<S>> handlers = new CopyOnWriteArrayList<>();
    private Thread watcher;
    private volatile boolean closed;

    /**
     * @param statusFields the top-level status fields its controllers read; only those are kept, because a fleet's
     *     statuses (cost lines, conditions) would otherwise be most of the informer's memory
     */
    public Informer(ResourceStore store, Kind kind, Class<S> specType, Set<String> statusFields) {
        this.store = requireNonNull(store, "store is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.specType = requireNonNull(specType, "specType is null");
        this.statusFields = Set.copyOf(statusFields);
    }

    /** Adds a handler; add them all before {@link #start()}, so that none misses the first list. */
    public Informer<S> addHandler(Handler<S> handler) {
        handlers.add(requireNonNull(handler, "handler is null"));
        return this;
    }

    /** Lists the kind (handlers see every object as added) and starts watching; returns once the list is in. */
    public Informer<S> start() {
        long revision = relist();
        watcher = Thread.ofPlatform().daemon().name("informer-" + kind.plural()).start(() -> watch(revision));
        return this;
    }

    public Optional<CachedObject<S>> get(ObjectKey key) {
        return Optional.ofNullable(objects.get(key));
    }

    public Collection<CachedObject<S>> list() {
        return List.copyOf(objects.values());
    }

    /** Each object's spec by name, for the cluster-scoped kinds a snapshot takes whole. */
    public SortedMap<String, S> specsByName() {
        SortedMap<String, S> specs = new TreeMap<>();
        objects.values().forEach(object -> specs.put(object.name(), object.spec()));
        return specs;
    }

    /** The objects whose label {@code key} has the value. */
    public List<CachedObject<S>> withLabel(String key, String value) {
        List<CachedObject<S>> matching = new ArrayList<>();
        for (ObjectKey objectKey : byLabel.getOrDefault(key + "=" + value, Set.of())) {
            CachedObject<S> object = objects.get(objectKey);
            if (object != null) {
                matching.add(object);
            }
        }
        return matching;
    }

    private long relist() {
        ListPage page = store.list(ListQuery.all(kind.kind()));
        Set<ObjectKey> listed = new HashSet<>();
        for (ListedObject item : page.items()) {
            ObjectKey key = new ObjectKey(kind.kind(), item.namespace(), item.name());
            listed.add(key);
            CachedObject<S> known = objects.get(key);
            if (known == null || known.resourceVersion() != item.resourceVersion()) {
                apply(key, Optional.of(Json.parseObject(item.json())), item.resourceVersion());
            }
        }
        for (ObjectKey gone : List.copyOf(objects.keySet())) {
            if (!listed.contains(gone)) {
                apply(gone, Optional.empty(), 0);
            }
        }
        return page.revision();
    }

    private void watch(long fromRevision) {
        long revision = fromRevision;
        while (!closed) {
            try (WatchStream stream = store.watch(kind.kind(), revision)) {
                while (!closed) {
                    Optional<Change> change = stream.next(POLL_MILLIS);
                    if (change.isPresent()) {
                        var object = change.get().object();
                        boolean deleted = change.get().type() == Change.EventType.DELETED;
                        apply(object.key(), deleted ? Optional.empty() : Optional.of(Json.parseObject(object.json())),
                                object.resourceVersion());
                    }
                    revision = stream.lastDelivered();
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return;
            } catch (WatcherFellBehind | ApiException behindOrExpired) {
                LOG.info("watch of {} fell behind ({}); listing again", kind.plural(), behindOrExpired.getMessage());
                revision = relistOr(revision);
            } catch (RuntimeException failed) {
                if (closed) {
                    return;
                }
                LOG.warn("watch of {} failed: {}; listing again", kind.plural(), failed.toString());
                pause();
                revision = relistOr(revision);
            }
        }
    }

    private long relistOr(long previous) {
        try {
            return relist();
        } catch (RuntimeException failed) {
            LOG.warn("cannot list {}: {}; retrying", kind.plural(), failed.toString());
            pause();
            return previous;
        }
    }

    /**
     * The spec bound before, when the stored spec is the same (same generation, same content hash): most changes of
     * an object are status writes, and binding the spec again for each was a good part of the informer's time.
     */
    private Optional<S> unchangedSpec(ObjectKey key, ObjectNode object) {
        int hash = object.path("spec").hashCode();
        Integer before = specHashes.put(key, hash);
        CachedObject<S> previous = objects.get(key);
        return previous != null && before != null && before == hash
                && previous.generation() == object.path("metadata").path("generation").asLong(1)
                ? Optional.of(previous.spec()) : Optional.empty();
    }

    private void apply(ObjectKey key, Optional<ObjectNode> object, long resourceVersion) {
        Optional<CachedObject<S>> after = object.map(json -> CachedObject.of(key, json, resourceVersion, specType, statusFields,
                unchangedSpec(key, json)));
        CachedObject<S> before = after.isPresent() ? objects.put(key, after.get()) : objects.remove(key);
        if (after.isEmpty()) {
            specHashes.remove(key);
        }
        if (before != null) {
            before.labels().forEach((label, value) -> unindex(label + "=" + value, key));
        }
        after.ifPresent(cached -> cached.labels().forEach((label, value) ->
                byLabel.computeIfAbsent(label + "=" + value, ignored -> ConcurrentHashMap.newKeySet()).add(key)));
        for (Handler<S> handler : handlers) {
            try {
                handler.changed(Optional.ofNullable(before), after);
            } catch (RuntimeException bug) {
                // A failing handler must not stop the others from hearing of the change, nor end the watch.
                LOG.error("a handler of {} failed on {}", kind.plural(), key, bug);
            }
        }
    }

    private void unindex(String label, ObjectKey key) {
        Set<ObjectKey> keys = byLabel.get(label);
        if (keys != null) {
            keys.remove(key);
            if (keys.isEmpty()) {
                byLabel.remove(label, keys);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
