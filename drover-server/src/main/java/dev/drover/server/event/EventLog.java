package dev.drover.server.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ListedObject;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WriteTransaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Kubernetes {@code v1} Events about Drover's objects, kept in the store as objects of kind {@code Event} beside the
 * kinds they describe, so they are written in the same transaction as the status change they report. Like kube's
 * event recorder, a repeat of the same event (same object, type, reason and message) counts up the one Event instead
 * of adding another. The fields clients select events by ({@code involvedObject.*}, {@code reason}, {@code type}) are
 * the stored row's selection labels.
 */
public final class EventLog {

    /** The store kind of Events. */
    public static final String KIND = "Event";
    /** The namespace of Events about objects that are neither namespaced nor Teams, as kube-apiserver keeps them. */
    public static final String DEFAULT_NAMESPACE = "default";

    /** The field selector keys Events can be listed by; each is a selection label of the stored row. */
    public static final List<String> SELECTABLE_FIELDS = List.of("involvedObject.kind", "involvedObject.namespace",
            "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "reason", "type", "source");

    /** Normal or Warning, as Kubernetes types events. */
    public enum Type { NORMAL("Normal"), WARNING("Warning");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }
    }

    private EventLog() {
    }

    /**
     * Records an event about the stored object within the transaction.
     *
     * @param object the object as written, which the stored one holds as text
     * @param namespace where the Event lives: the object's namespace, the Team's own for a Team, else {@code default}
     * @param component what reports it, for example {@code drover-fleet}
     * @param now the time of the event (RFC 3339)
     */
    public static void record(WriteTransaction transaction, StoredObject about, JsonNode object, String namespace, Type type,
                              String reason, String message, String component, String now) {
        JsonNode metadata = object.path("metadata");
        String uid = metadata.path("uid").asText("");
        String name = about.name() + "." + digest(uid + "\n" + type.wireName + "\n" + reason + "\n" + message + "\n" + component);
        ObjectKey key = new ObjectKey(KIND, namespace, name);
        String time = now;
        Optional<StoredObject> existing = transaction.get(key);
        ObjectNode event;
        if (existing.isPresent()) {
            event = Json.parseObject(existing.get().json());
            event.put("count", event.path("count").asLong(1) + 1);
            event.put("lastTimestamp", time);
        } else {
            event = Json.MAPPER.createObjectNode();
            event.put("apiVersion", "v1");
            event.put("kind", KIND);
            ObjectNode eventMetadata = event.putObject("metadata");
            eventMetadata.put("name", name);
            eventMetadata.put("namespace", namespace);
            eventMetadata.put("uid", UUID.randomUUID().toString());
            eventMetadata.put("creationTimestamp", time);
            ObjectNode involved = event.putObject("involvedObject");
            involved.put("apiVersion", object.path("apiVersion").asText());
            involved.put("kind", about.kind());
            if (!about.namespace().isEmpty()) {
                involved.put("namespace", about.namespace());
            }
            involved.put("name", about.name());
            involved.put("uid", uid);
            event.put("reason", reason);
            event.put("message", message);
            event.putObject("source").put("component", component);
            event.put("firstTimestamp", time);
            event.put("lastTimestamp", time);
            event.put("count", 1);
            event.put("type", type.wireName);
            event.put("reportingComponent", component);
            event.put("reportingInstance", component);
        }
        event.withObjectProperty("involvedObject").put("resourceVersion", Long.toString(about.resourceVersion()));
        transaction.put(KIND, namespace, name, selectionLabels(event), Map.of(), event);
    }

    /** Deletes the Events last seen longer ago than the retention; returns how many. */
    public static int expire(ResourceStore store, Duration retention, Instant now) {
        Instant cutoff = now.minus(retention);
        List<ObjectKey> expired = new ArrayList<>();
        for (ListedObject listed : store.list(new ListQuery(KIND, Optional.empty(), key -> true,
                dev.drover.model.selector.LabelSelector.EVERYTHING, 0, Optional.empty())).items()) {
            JsonNode event = Json.parseObject(new String(listed.jsonBytes(), StandardCharsets.UTF_8));
            if (Instant.parse(event.path("lastTimestamp").asText(now.toString())).isBefore(cutoff)) {
                expired.add(listed.key());
            }
        }
        if (expired.isEmpty()) {
            return 0;
        }
        return store.write(transaction -> {
            int deleted = 0;
            for (ObjectKey key : expired) {
                Optional<StoredObject> event = transaction.get(key);
                if (event.isPresent()) {
                    transaction.delete(event.get(), Json.parseObject(event.get().json()));
                    deleted++;
                }
            }
            return deleted;
        });
    }

    private static Map<String, String> selectionLabels(JsonNode event) {
        Map<String, String> labels = new TreeMap<>();
        JsonNode involved = event.path("involvedObject");
        labels.put("involvedObject.kind", involved.path("kind").asText(""));
        labels.put("involvedObject.namespace", involved.path("namespace").asText(""));
        labels.put("involvedObject.name", involved.path("name").asText(""));
        labels.put("involvedObject.uid", involved.path("uid").asText(""));
        labels.put("involvedObject.apiVersion", involved.path("apiVersion").asText(""));
        labels.put("reason", event.path("reason").asText(""));
        labels.put("type", event.path("type").asText(""));
        labels.put("source", event.path("source").path("component").asText(""));
        return labels;
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
