package dev.drover.server.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An informer's copy of one stored object: its spec bound to the kind's record, and the metadata and status that
 * controllers read.
 *
 * @param statusJson the stored status's fields the informer keeps, as compact JSON (empty when there are none): text
 *     takes a fraction of the memory of a JSON tree, and a fleet's informer holds one per Cluster
 * @param created metadata.creationTimestamp (the epoch when the stored object has none)
 */
public record CachedObject<S>(ObjectKey key, S spec, Map<String, String> labels, List<String> finalizers, long generation,
                              boolean deleting, String statusJson, long resourceVersion, Instant created) {

    public CachedObject {
        requireNonNull(key, "key is null");
        requireNonNull(spec, "spec is null");
        labels = Map.copyOf(labels);
        finalizers = List.copyOf(finalizers);
        requireNonNull(statusJson, "statusJson is null");
        requireNonNull(created, "created is null");
    }

    /** @param unchangedSpec the bound spec to keep, when the informer knows the stored spec is the one it bound before */
    static <S> CachedObject<S> of(ObjectKey key, ObjectNode object, long resourceVersion, Class<S> specType,
                                  Set<String> statusFields, Optional<S> unchangedSpec) {
        JsonNode metadata = object.path("metadata");
        Map<String, String> labels = new TreeMap<>();
        metadata.path("labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asText()));
        List<String> finalizers = new ArrayList<>();
        metadata.path("finalizers").forEach(finalizer -> finalizers.add(finalizer.asText()));
        JsonNode status = object.path("status");
        String kept = "";
        if (status.isObject() && !statusFields.isEmpty()) {
            ObjectNode fields = Json.MAPPER.createObjectNode();
            statusFields.stream().sorted().filter(status::has).forEach(field -> fields.set(field, status.get(field)));
            kept = Json.write(fields);
        }
        S spec = unchangedSpec.orElseGet(() -> Json.bind(object.path("spec"), specType));
        return new CachedObject<>(key, spec, labels, finalizers, metadata.path("generation").asLong(1),
                metadata.has("deletionTimestamp"), kept, resourceVersion, creationTime(metadata));
    }

    private static Instant creationTime(JsonNode metadata) {
        try {
            return Instant.parse(metadata.path("creationTimestamp").asText(""));
        } catch (DateTimeParseException missing) {
            return Instant.EPOCH;
        }
    }

    /** The kept status fields, parsed anew on each call (a missing node when none are kept). */
    public JsonNode status() {
        return statusJson.isEmpty() ? MissingNode.getInstance() : Json.parseObject(statusJson);
    }

    public String name() {
        return key.name();
    }

    public String namespace() {
        return key.namespace();
    }

    /** Whether the change is one that a spec reader cares about: the spec (generation), deletion or labels. */
    public boolean specOrLabelsDifferFrom(CachedObject<S> other) {
        return generation != other.generation || deleting != other.deleting || !labels.equals(other.labels);
    }
}
