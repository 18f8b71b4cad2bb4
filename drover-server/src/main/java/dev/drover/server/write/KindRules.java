package dev.drover.server.write;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WriteTransaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the write path treats one kind: validation and defaulting of a spec, with the reads they need done in the
 * write transaction so that checks and write see the same state; what a write reads; what a delete must check.
 */
interface KindRules {

    /**
     * A spec to admit.
     *
     * @param previous the stored object an update replaces
     * @param userLabels the labels the request sets on the object
     * @param dryRun whether the write is a dry run
     * @param by who writes, for the fields only platform admins may set
     */
    record Request(WriteTransaction transaction, String namespace, String name, ObjectNode spec, Optional<StoredObject> previous,
                   Map<String, String> userLabels, boolean dryRun, Principal by) {

        public Request {
            requireNonNull(transaction, "transaction is null");
            requireNonNull(previous, "previous is null");
            userLabels = Map.copyOf(userLabels);
            requireNonNull(by, "by is null");
        }
    }

    /**
     * The canonical, defaulted spec; labels Drover owns on the object; numeric facts for usage counts; warnings for the
     * response.
     */
    record Admitted(ObjectNode spec, Map<String, String> labels, Map<String, Long> attributes, List<String> warnings) {

        public Admitted {
            labels = Map.copyOf(labels);
            attributes = Map.copyOf(attributes);
            warnings = List.copyOf(warnings);
        }

        public Admitted(ObjectNode spec) {
            this(spec, Map.of(), Map.of(), List.of());
        }
    }

    /** @throws dev.drover.model.error.ApiException Invalid naming each field, or another refusal */
    Admitted admit(Request request);

    /** What a write of the object will read, so that a batch loads it for all its writes at once. */
    default ReadHints reads(ObjectKey key, ObjectNode object) {
        return new ReadHints(List.of(key), List.of());
    }

    /** @throws dev.drover.model.error.ApiException when the object must not be deleted now */
    default void beforeDelete(WriteTransaction transaction, String name) {
    }

    /** Whether a dry run that changes nothing is still admitted, because its answer says something (an estimate). */
    default boolean admitsUnchangedDryRuns() {
        return false;
    }
}
