package dev.drover.server.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WriteTransaction;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stored specs bound to their records once per resource version: every Cluster admission reads its team and flavor,
 * and binding them again for each request would cost more than the rest of the check.
 */
final class SpecCache {

    /** The spec of a stored object and whether it is being deleted. */
    record Parsed<S>(S spec, boolean deleting) {
    }

    private static final int LIMIT = 10_000;

    private final Map<String, Parsed<?>> parsedByVersion = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    <S> Parsed<S> parsed(StoredObject stored, Class<S> specType) {
        String key = stored.kind() + "/" + stored.namespace() + "/" + stored.name() + "@" + stored.resourceVersion();
        Parsed<?> known = parsedByVersion.get(key);
        if (known != null) {
            return (Parsed<S>) known;
        }
        ObjectNode object = Json.parseObject(stored.json());
        var parsed = new Parsed<>(Json.bind(object.path("spec"), specType), object.path("metadata").has("deletionTimestamp"));
        if (parsedByVersion.size() >= LIMIT) {
            parsedByVersion.clear();
        }
        parsedByVersion.put(key, parsed);
        return parsed;
    }

    /** Every object of a cluster-scoped kind, by name; for the kinds there are few of. */
    <S> SortedMap<String, S> all(WriteTransaction transaction, Kind kind, Class<S> specType) {
        SortedMap<String, S> specs = new TreeMap<>();
        for (String name : transaction.names(kind.kind(), "")) {
            transaction.get(new ObjectKey(kind.kind(), "", name)).ifPresent(stored -> specs.put(name, parsed(stored, specType).spec()));
        }
        return specs;
    }
}
