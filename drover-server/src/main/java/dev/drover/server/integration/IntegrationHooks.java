package dev.drover.server.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.IntegrationSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.store.IntegrationOutbox;
import dev.drover.server.store.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Integrations: tells company systems about clusters and machines. It sees the events (a Drover Cluster created,
 * Ready for the first time, deleted; a Cluster API Machine of it added or being deleted), records each one per
 * system in the outbox before anything is sent, and delivers them as HTTPS webhooks, retried with capped backoff.
 * For systems that hold machine removals, every Machine of their clusters carries Cluster API's pre-terminate hook
 * annotation, which Drover removes once the system acknowledged the removal (2xx) or the hold ran out (the failure
 * is recorded): a down system delays the fleet by at most its hold, visibly. Each Integration's status counts its
 * deliveries, lists the latest errors and the machines waiting.
 */
public final class IntegrationHooks implements Controller<IntegrationHooks.Work>, AutoCloseable {

    /** What to look at: one Drover cluster's events, one integration's status, or the deliveries that are due. */
    public sealed interface Work {
        record Cluster(ObjectKey key) implements Work {
        }

        record Status(String integration) implements Work {
        }

        record Deliver() implements Work {
        }
    }

    /** Cluster API's annotation prefix of the hooks that hold a Machine's deletion before its infrastructure goes. */
    static final String PRE_TERMINATE = "pre-terminate.delete.hook.machine.cluster.x-k8s.io/";
    static final String HOOK_OWNER = "drover";
    static final ManagementCluster.Resource MACHINES = new ManagementCluster.Resource("cluster.x-k8s.io", "v1beta2", "Machine",
            "machines", true);
    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("integrations", Kinds.INTEGRATION,
            Set.of("delivered", "failed", "pending", "summary", "lastErrors", "machinesWaiting"), Set.of("Ready"), Set.of(),
            Optional.empty());
    private static final Duration DELIVER_EVERY = Duration.ofSeconds(1);
    private static final int DELIVERIES_PER_PASS = 64;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationHooks.class);

    private final StatusWriter statuses;
    private final Informer<IntegrationSpec> integrations;
    private final Informer<ClusterSpec> clusters;
    private final Optional<ManagementCluster> management;
    private final IntegrationOutbox outbox;
    private final Clock clock;
    private final Duration retention;
    private Instant prunedAt = Instant.EPOCH;
    private final WebhookSender sender;
    private final WorkQueue<Work> queue = new WorkQueue<>(Duration.ofSeconds(1), Duration.ofMinutes(2));
    /** The last seen state of each Drover cluster, to tell its deletion after it is gone; the controller's thread only. */
    private final Map<ObjectKey, CachedObject<ClusterSpec>> known = new HashMap<>();

    /** Registers its handlers on the informers and the management cluster, so construct it before they start. */
    public IntegrationHooks(StatusWriter statuses, Informer<IntegrationSpec> integrations, Informer<ClusterSpec> clusters,
                            Optional<ManagementCluster> management, IntegrationOutbox outbox, Duration retention, Clock clock) {
        this.statuses = statuses;
        this.integrations = integrations;
        this.clusters = clusters;
        this.management = management;
        this.outbox = outbox;
        this.clock = clock;
        this.retention = retention;
        this.sender = new WebhookSender(management);
        statuses.register(OWNER);
        integrations.addHandler((before, after) -> {
            queue.add(new Work.Status(after.or(() -> before).orElseThrow().name()));
            clusters.list().forEach(cluster -> queue.add(new Work.Cluster(cluster.key())));
        });
        // Only what an event depends on: creation, deletion, labels (the selectors) and the Ready condition.
        clusters.addHandler((before, after) -> {
            if (before.isEmpty() || after.isEmpty() || after.get().specOrLabelsDifferFrom(before.get())
                    || ready(before.get()) != ready(after.get())) {
                queue.add(new Work.Cluster(after.or(() -> before).orElseThrow().key()));
            }
        });
        management.ifPresent(cluster -> cluster.onChange(id -> queue.add(new Work.Cluster(
                new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name())))));
        queue.addAfter(new Work.Deliver(), DELIVER_EVERY);
    }

    public WorkQueue<Work> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "integrations";
    }

    @Override
    public Set<Work> reconcile(List<Work> batch) {
        Set<Work> retry = new HashSet<>();
        Set<String> touched = new HashSet<>();
        List<IntegrationOutbox.Event> events = new ArrayList<>();
        Instant now = clock.instant();
        for (Work work : batch) {
            switch (work) {
                case Work.Cluster cluster -> {
                    try {
                        events.addAll(observe(cluster.key(), now));
                    } catch (RuntimeException failed) {
                        LOG.warn("integrations of cluster {}/{}: {}", cluster.key().namespace(), cluster.key().name(), failed.toString());
                        retry.add(cluster);
                    }
                }
                case Work.Status status -> touched.add(status.integration());
                case Work.Deliver deliver -> {
                    touched.addAll(deliverDue(now));
                    if (prunedAt.plus(PRUNE_EVERY).isBefore(now)) {
                        int pruned = outbox.prune(now.minus(retention));
                        prunedAt = now;
                        if (pruned > 0) {
                            LOG.info("removed {} integration deliveries finished more than {} ago", pruned, retention);
                        }
                    }
                    queue.addAfter(deliver, DELIVER_EVERY);
                }
            }
        }
        Set<String> recorded = outbox.record(events, now);
        if (!recorded.isEmpty()) {
            touched.addAll(recorded);
            queue.add(new Work.Deliver());
        }
        writeStatuses(touched);
        return retry;
    }

    /** The events of one cluster and its machines, for every integration that selects it; keeps the machines' hooks. */
    private List<IntegrationOutbox.Event> observe(ObjectKey key, Instant now) {
        Optional<CachedObject<ClusterSpec>> current = clusters.get(key);
        CachedObject<ClusterSpec> cluster = current.or(() -> Optional.ofNullable(known.get(key))).orElse(null);
        if (cluster == null) {
            return List.of();
        }
        if (current.isPresent()) {
            known.put(key, current.get());
        } else {
            known.remove(key);
        }
        boolean gone = current.isEmpty() || current.get().deleting();
        ClusterId id = new ClusterId(key.namespace(), key.name());
        Map<String, JsonNode> machines = management.filter(connection -> connection.health().reachable())
                .map(connection -> connection.observation(id).machines()).orElse(Map.of());
        List<IntegrationOutbox.Event> events = new ArrayList<>();
        for (CachedObject<IntegrationSpec> integration : integrations.list()) {
            IntegrationSpec spec = integration.spec();
            boolean selected = spec.clusterSelector().map(selector -> selector.toLabelSelector().matches(cluster.labels())).orElse(true);
            String clusterDedup = key.namespace() + "/" + key.name() + "@" + cluster.created();
            if (selected) {
                if (spec.events().contains(IntegrationSpec.Event.CLUSTER_CREATED)) {
                    events.add(event(integration, IntegrationSpec.Event.CLUSTER_CREATED, cluster, Optional.empty(), clusterDedup,
                            Optional.empty(), now));
                }
                if (spec.events().contains(IntegrationSpec.Event.CLUSTER_READY) && !gone && ready(current.get())) {
                    events.add(event(integration, IntegrationSpec.Event.CLUSTER_READY, cluster, Optional.empty(), clusterDedup,
                            Optional.empty(), now));
                }
                if (spec.events().contains(IntegrationSpec.Event.CLUSTER_DELETED) && gone) {
                    events.add(event(integration, IntegrationSpec.Event.CLUSTER_DELETED, cluster, Optional.empty(), clusterDedup,
                            Optional.empty(), now));
                }
            }
            boolean holds = selected && spec.hold().isPresent() && spec.events().contains(IntegrationSpec.Event.MACHINE_REMOVED);
            for (JsonNode machine : machines.values()) {
                JsonNode metadata = machine.path("metadata");
                String uid = metadata.path("uid").asText();
                boolean deleting = metadata.has("deletionTimestamp");
                if (selected && spec.events().contains(IntegrationSpec.Event.MACHINE_ADDED)) {
                    events.add(event(integration, IntegrationSpec.Event.MACHINE_ADDED, cluster, Optional.of(machine), uid,
                            Optional.empty(), now));
                }
                if (selected && deleting && spec.events().contains(IntegrationSpec.Event.MACHINE_REMOVED)) {
                    Optional<Instant> holdUntil = holds && metadata.path("annotations").has(hookKey(integration.name()))
                            ? Optional.of(deletedAt(metadata).orElse(now).plus(spec.hold().get())) : Optional.empty();
                    events.add(event(integration, IntegrationSpec.Event.MACHINE_REMOVED, cluster, Optional.of(machine), uid,
                            holdUntil, now));
                }
                keepHook(integration.name(), holds, machine, uid);
            }
        }
        // Hooks of integrations that are gone, or no longer hold, are let go.
        for (JsonNode machine : machines.values()) {
            annotations(machine).forEach(annotation -> {
                if (annotation.startsWith(PRE_TERMINATE + "drover-")) {
                    String name = annotation.substring((PRE_TERMINATE + "drover-").length());
                    if (integrations.get(new ObjectKey(Kinds.INTEGRATION.kind(), "", name)).isEmpty()) {
                        setHook(machine, annotation, false);
                    }
                }
            });
        }
        boolean holding = machines.values().stream().anyMatch(machine -> machine.path("metadata").has("deletionTimestamp")
                && annotations(machine).stream()
                .anyMatch(annotation -> annotation.startsWith(PRE_TERMINATE + "drover-")));
        if (holding) {
            // A held removal is looked at again soon: its acknowledgement, or the end of its hold, lets the Machine go.
            queue.addAfter(new Work.Cluster(key), Duration.ofSeconds(5));
        }
        return events;
    }

    /**
     * Puts the integration's pre-terminate hook on a Machine that is not being deleted, and takes it off once the
     * removal was acknowledged, given up, or the integration no longer holds.
     */
    private void keepHook(String integration, boolean holds, JsonNode machine, String uid) {
        String annotation = hookKey(integration);
        boolean has = machine.path("metadata").path("annotations").has(annotation);
        boolean deleting = machine.path("metadata").has("deletionTimestamp");
        if (holds && !has && !deleting) {
            setHook(machine, annotation, true);
        } else if (has && (!holds || deleting && outbox.removalState(integration, uid).filter(state -> !state.equals("pending"))
                .isPresent())) {
            setHook(machine, annotation, false);
        }
    }

    private void setHook(JsonNode machine, String annotation, boolean on) {
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
        if (on) {
            annotations.put(annotation, HOOK_OWNER);
        } else {
            annotations.putNull(annotation);
        }
        management.orElseThrow().mergePatch(MACHINES, machine.path("metadata").path("namespace").asText(),
                machine.path("metadata").path("name").asText(), patch);
    }

    private static List<String> annotations(JsonNode machine) {
        List<String> keys = new ArrayList<>();
        machine.path("metadata").path("annotations").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static String hookKey(String integration) {
        return PRE_TERMINATE + "drover-" + integration;
    }

    private static Optional<Instant> deletedAt(JsonNode metadata) {
        try {
            return Optional.of(Instant.parse(metadata.path("deletionTimestamp").asText()));
        } catch (java.time.format.DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    private static boolean ready(CachedObject<ClusterSpec> cluster) {
        for (JsonNode condition : cluster.status().path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }

    /** One event for one integration, with the JSON body the system receives. */
    private static IntegrationOutbox.Event event(CachedObject<IntegrationSpec> integration, IntegrationSpec.Event event,
                                                 CachedObject<ClusterSpec> cluster, Optional<JsonNode> machine, String dedup,
                                                 Optional<Instant> holdUntil, Instant now) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("apiVersion", Kinds.GROUP + "/" + Kinds.VERSION);
        body.put("kind", "IntegrationEvent");
        body.put("event", event.wireName());
        body.put("integration", integration.name());
        body.put("time", now.truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode about = body.putObject("cluster");
        about.put("team", cluster.namespace());
        about.put("name", cluster.name());
        about.put("environment", cluster.spec().environment());
        about.put("flavor", cluster.spec().flavor());
        about.put("provider", cluster.labels().getOrDefault(Kinds.LABEL_PREFIX + "provider", ""));
        String subject = cluster.namespace() + "/" + cluster.name();
        if (machine.isPresent()) {
            JsonNode observed = machine.get();
            ObjectNode node = body.putObject("machine");
            String name = observed.path("metadata").path("name").asText();
            node.put("name", name);
            node.put("providerID", observed.path("spec").path("providerID").asText(""));
            node.put("nodeName", observed.path("status").path("nodeRef").path("name").asText(""));
            var addresses = node.putArray("addresses");
            observed.path("status").path("addresses").forEach(address -> addresses.addObject()
                    .put("type", address.path("type").asText()).put("address", address.path("address").asText()));
            node.put("osImage", observed.path("status").path("nodeInfo").path("osImage").asText(""));
            holdUntil.ifPresent(until -> node.put("deletionHeldUntil", until.truncatedTo(ChronoUnit.SECONDS).toString()));
            subject = subject + "/" + name;
        }
        return new IntegrationOutbox.Event(integration.name(), event.wireName(), subject, dedup, Json.write(body), holdUntil);
    }

    /** Sends what is due, on the sender's threads; the integrations whose deliveries changed. */
    private Set<String> deliverDue(Instant now) {
        Set<String> touched = new HashSet<>();
        List<IntegrationOutbox.Delivery> due = outbox.due(now, DELIVERIES_PER_PASS);
        Map<IntegrationOutbox.Delivery, java.util.concurrent.Future<WebhookSender.Outcome>> sent = new LinkedHashMap<>();
        for (IntegrationOutbox.Delivery delivery : due) {
            Optional<CachedObject<IntegrationSpec>> integration = integrations.get(new ObjectKey(Kinds.INTEGRATION.kind(), "",
                    delivery.integration()));
            if (integration.isEmpty()) {
                outbox.finish(delivery.id(), "failed", delivery.attempts(), now, "the Integration was deleted", now);
                continue;
            }
            sent.put(delivery, sender.send(integration.get().spec().webhook(), delivery));
        }
        sent.forEach((delivery, future) -> {
            touched.add(delivery.integration());
            WebhookSender.Outcome outcome;
            try {
                outcome = future.get();
            } catch (java.util.concurrent.ExecutionException | InterruptedException failed) {
                if (failed instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                outcome = new WebhookSender.Outcome(false, failed.toString());
            }
            IntegrationSpec spec = integrations.get(new ObjectKey(Kinds.INTEGRATION.kind(), "", delivery.integration()))
                    .map(CachedObject::spec).orElseThrow();
            Instant finished = clock.instant();
            int attempts = delivery.attempts() + 1;
            if (outcome.delivered()) {
                outbox.finish(delivery.id(), "delivered", attempts, finished, delivery.lastError(), finished);
                return;
            }
            String error = "attempt " + attempts + " at " + finished.truncatedTo(ChronoUnit.SECONDS) + ": " + outcome.error();
            long pause = Math.min(spec.webhook().maxBackoffSeconds().orElse(300), 1L << Math.min(20, attempts - 1));
            Instant next = finished.plusSeconds(pause);
            boolean held = delivery.holdUntil().isPresent();
            // A held removal is tried until its hold ends (a last attempt then), never given up before.
            boolean givenUp = held ? !finished.isBefore(delivery.holdUntil().get())
                    : attempts >= spec.webhook().maxAttempts().orElse(8);
            if (held && next.isAfter(delivery.holdUntil().get())) {
                next = delivery.holdUntil().get();
            }
            if (givenUp && held) {
                error = error + "; the Machine's deletion was let go at " + finished.truncatedTo(ChronoUnit.SECONDS) + " after the hold of "
                        + spec.holdMachineDeletion().orElse("") + " without an acknowledgement";
                LOG.warn("integration {}: {} not acknowledged, letting its Machine go: {}", delivery.integration(),
                        delivery.subject(), outcome.error());
            }
            outbox.finish(delivery.id(), givenUp ? "failed" : "pending", attempts, held && givenUp ? finished : next, error,
                    finished);
            if (held && givenUp) {
                String[] parts = delivery.subject().split("/");
                queue.add(new Work.Cluster(new ObjectKey(Kinds.CLUSTER.kind(), parts[0], parts[1])));
            }
        });
        // An acknowledged removal lets its Machine go now, not at the next look.
        for (IntegrationOutbox.Delivery delivery : sent.keySet()) {
            if (delivery.event().equals(IntegrationSpec.Event.MACHINE_REMOVED.wireName())) {
                String[] parts = delivery.subject().split("/");
                queue.add(new Work.Cluster(new ObjectKey(Kinds.CLUSTER.kind(), parts[0], parts[1])));
            }
        }
        return touched;
    }

    private void writeStatuses(Set<String> names) {
        List<StatusWriter.Update> updates = new ArrayList<>();
        for (String name : names) {
            Optional<CachedObject<IntegrationSpec>> integration = integrations.get(new ObjectKey(Kinds.INTEGRATION.kind(), "", name));
            if (integration.isEmpty()) {
                continue;
            }
            long[] counts = outbox.counts(name);
            List<IntegrationOutbox.Delivery> recent = outbox.of(name);
            var errors = Json.MAPPER.createArrayNode();
            recent.stream().filter(delivery -> !delivery.lastError().isEmpty()).limit(5).forEach(delivery -> errors.addObject()
                    .put("at", delivery.updatedAt().truncatedTo(ChronoUnit.SECONDS).toString()).put("event", delivery.event())
                    .put("subject", delivery.subject()).put("message", delivery.lastError()));
            var waiting = Json.MAPPER.createArrayNode();
            recent.stream().filter(delivery -> delivery.state().equals("pending") && delivery.holdUntil().isPresent())
                    .forEach(delivery -> waiting.add(delivery.subject()));
            Optional<IntegrationOutbox.Delivery> failing = recent.stream().filter(delivery -> delivery.state().equals("pending")
                    && !delivery.lastError().isEmpty()).findFirst();
            Condition ready = failing.map(delivery -> Condition.of("Ready", Condition.ConditionStatus.FALSE,
                    integration.get().generation(), "DeliveryFailing", delivery.event() + " of " + delivery.subject() + ": "
                            + delivery.lastError())).orElseGet(() -> Condition.of("Ready", Condition.ConditionStatus.TRUE,
                    integration.get().generation(), "Delivering", counts[0] + " event(s) delivered, " + counts[1] + " failed"));
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            fields.put("delivered", Json.MAPPER.getNodeFactory().numberNode(counts[0]));
            fields.put("failed", Json.MAPPER.getNodeFactory().numberNode(counts[1]));
            fields.put("pending", Json.MAPPER.getNodeFactory().numberNode(counts[2]));
            fields.put("summary", Json.MAPPER.getNodeFactory().textNode(counts[0] + "/" + counts[1] + "/" + counts[2]));
            fields.put("lastErrors", errors);
            fields.put("machinesWaiting", waiting);
            updates.add(new StatusWriter.Update(integration.get().key(), fields, List.of(ready)));
        }
        statuses.write(OWNER, updates);
    }

    @Override
    public void close() {
        sender.close();
    }
}
