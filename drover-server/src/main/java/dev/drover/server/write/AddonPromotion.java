package dev.drover.server.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.addon.AddonResolution;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ListedObject;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code POST .../addonprofiles/{name}/promote}: pins the version an add-on runs in one environment for the next
 * one, as one update of the profile (so one fleet commit). Refused, naming the clusters, while the source
 * environment's clusters that get the add-on from this profile are not all committed at that version or are known
 * not to be Ready; {@code force} skips the check. Readiness Drover cannot see is reported as a warning, not a refusal.
 */
final class AddonPromotion {

    /** The request body: {@code {"addon": ..., "from": ..., "to": ..., "force": false}}. */
    record Request(String addon, String from, String to, boolean force) {

        static Request of(JsonNode body) {
            List<FieldError> errors = new ArrayList<>();
            for (String field : List.of("addon", "from", "to")) {
                if (body.path(field).asText("").isBlank()) {
                    errors.add(FieldError.required(field, "name the " + (field.equals("addon") ? "add-on" : "environment")
                            + ", for example {\"addon\":\"cert-manager\",\"from\":\"staging\",\"to\":\"production\"}"));
                }
            }
            if (errors.isEmpty() && body.path("from").asText().equals(body.path("to").asText())) {
                errors.add(FieldError.invalid("to", body.path("to").asText(), "must differ from from"));
            }
            if (!errors.isEmpty()) {
                throw ApiException.invalid(Kinds.ADDON_PROFILE, "", errors);
            }
            return new Request(body.path("addon").asText(), body.path("from").asText(), body.path("to").asText(),
                    body.path("force").asBoolean(false));
        }
    }

    /** The profile as stored (or as it would be, on a dry run) and warnings for the client. */
    record Promoted(String json, List<String> warnings) {
    }

    private final ResourceStore store;
    private final ResourceWrites writes;

    AddonPromotion(ResourceStore store, ResourceWrites writes) {
        this.store = store;
        this.writes = writes;
    }

    Promoted promote(WriteOrigin by, String profileName, Request request, boolean dryRun, String manager) {
        StoredObject stored = store.get(new ObjectKey(Kinds.ADDON_PROFILE.kind(), "", profileName))
                .orElseThrow(() -> ApiException.notFound(Kinds.ADDON_PROFILE, profileName));
        ObjectNode object = Json.parseObject(stored.json());
        AddonProfileSpec profile = Json.bind(object.path("spec"), AddonProfileSpec.class);
        int index = indexOf(profile, request.addon());
        if (index < 0) {
            throw ApiException.invalid(Kinds.ADDON_PROFILE, profileName, List.of(FieldError.invalid("addon", request.addon(),
                    "AddonProfile \"" + profileName + "\" has no such add-on (add-ons: " + String.join(", ",
                            profile.addons().stream().map(AddonProfileSpec.Addon::name).toList()) + ")")));
        }
        AddonProfileSpec.Addon addon = profile.addons().get(index);
        String version = addon.versionFor(request.from());
        List<String> warnings = new ArrayList<>();
        if (!request.force()) {
            check(profileName, addon, version, request, warnings);
        } else {
            warnings.add("promoted with force: the " + request.from() + " clusters were not checked");
        }
        if (addon.versionFor(request.to()).equals(version)) {
            warnings.add(request.addon() + " already runs " + version + " in " + request.to() + "; nothing changed");
            return new Promoted(stored.json(), warnings);
        }
        ObjectNode updated = object.deepCopy();
        ObjectNode addonNode = (ObjectNode) updated.withObjectProperty("spec").withArrayProperty("addons").get(index);
        addonNode.withObjectProperty("versions").put(request.to(), version);
        updated.withObjectProperty("metadata").put("resourceVersion", Long.toString(stored.resourceVersion()));
        updated.remove("status");
        ResourceWrites.Outcome outcome = writes.update(Kinds.ADDON_PROFILE, "", profileName, updated, false, dryRun, true,
                new Ownership.Update(manager), by);
        return new Promoted(outcome.json(), warnings);
    }

    /**
     * @throws ApiException Conflict naming each source cluster that is not committed at the version or not Ready
     */
    private void check(String profileName, AddonProfileSpec.Addon addon, String version, Request request, List<String> warnings) {
        SortedMap<String, AddonProfileSpec> profiles = new TreeMap<>();
        for (ListedObject listed : store.list(ListQuery.all(Kinds.ADDON_PROFILE.kind())).items()) {
            profiles.put(listed.name(), Json.bind(Json.parseObject(listed.json()).path("spec"), AddonProfileSpec.class));
        }
        List<String> blocking = new ArrayList<>();
        int checked = 0;
        int readinessUnknown = 0;
        for (ListedObject listed : store.list(ListQuery.all(Kinds.CLUSTER.kind())).items()) {
            ObjectNode cluster = Json.parseObject(listed.json());
            ClusterSpec spec = Json.bind(cluster.path("spec"), ClusterSpec.class);
            if (!spec.environment().equals(request.from()) || cluster.path("metadata").has("deletionTimestamp")
                    || spec.addons().map(choices -> choices.exclude().contains(addon.name())).orElse(false)) {
                continue;
            }
            Map<String, String> labels = ResourceWrites.labelsOf(cluster.withObjectProperty("metadata"));
            AddonResolution.Selected selected = AddonResolution.resolve(labels, profiles).addons().get(addon.name());
            if (selected == null || !selected.profile().equals(profileName)) {
                continue;
            }
            checked++;
            String id = listed.namespace() + "/" + listed.name();
            ClusterStatus status = Json.bind(cluster.path("status").isObject() ? cluster.get("status")
                    : Json.MAPPER.createObjectNode(), ClusterStatus.class);
            String committed = status.addons().stream()
                    .filter(entry -> entry.name().equals(addon.name()) && entry.profile().equals(profileName))
                    .map(ClusterStatus.AddonStatus::version).findFirst().orElse("");
            if (!committed.equals(version)) {
                blocking.add(id + " (" + (committed.isEmpty() ? "not yet committed" : "committed at " + committed) + ")");
                continue;
            }
            var ready = status.conditions().stream().filter(condition -> condition.type().equals("Ready")).findFirst();
            if (ready.isEmpty() || ready.get().status() == dev.drover.model.api.Condition.ConditionStatus.UNKNOWN) {
                readinessUnknown++;
            } else if (ready.get().status() != dev.drover.model.api.Condition.ConditionStatus.TRUE) {
                blocking.add(id + " (not Ready: " + ready.get().reason().orElse("") + ")");
            }
        }
        if (checked == 0) {
            throw ApiException.conflict(Kinds.ADDON_PROFILE, profileName, "no " + request.from() + " cluster gets "
                    + addon.name() + " from this profile, so nothing shows that " + version + " works; "
                    + "promote with force (drover addon promote --force) to pin it anyway");
        }
        if (!blocking.isEmpty()) {
            throw ApiException.conflict(Kinds.ADDON_PROFILE, profileName, "cannot promote " + addon.name() + " " + version
                    + " from " + request.from() + " to " + request.to() + ": " + blocking.size() + " of " + checked + " "
                    + request.from() + " clusters are not there yet: " + String.join(", ", blocking)
                    + "; wait for them, or promote with force (drover addon promote --force)");
        }
        if (readinessUnknown > 0) {
            warnings.add(readinessUnknown + " of " + checked + " " + request.from() + " clusters have " + addon.name() + " "
                    + version + " committed but their readiness is unknown (Drover does not see the management cluster)");
        }
    }

    private static int indexOf(AddonProfileSpec profile, String addon) {
        for (int index = 0; index < profile.addons().size(); index++) {
            if (profile.addons().get(index).name().equals(addon)) {
                return index;
            }
        }
        return -1;
    }
}
