package dev.drover.model.addon;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.error.FieldError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which add-ons a Cluster gets: every profile whose selector matches the Cluster's labels contributes its add-ons;
 * for a name given by several profiles the highest priority wins, and equal priority with different settings is a
 * conflict. Pure, so admission (checking a Cluster's choices) and rendering decide alike.
 */
public final class AddonResolution {

    /** An add-on and the profile it comes from. */
    public record Selected(String profile, AddonProfileSpec.Addon addon) {
        public Selected {
            requireNonNull(profile, "profile is null");
            requireNonNull(addon, "addon is null");
        }
    }

    /** Profiles of equal priority that give the same add-on differently. */
    public record Conflict(String addon, List<String> profiles) {
        public Conflict {
            profiles = List.copyOf(profiles);
        }

        public String message() {
            return "add-on \"" + addon + "\" is given differently by AddonProfiles " + String.join(" and ", profiles)
                    + " at the same priority; raise the priority of the one that should win or make their settings equal";
        }
    }

    /** The add-ons by name, and the names in conflict (which are not in {@code addons}). */
    public record Result(SortedMap<String, Selected> addons, List<Conflict> conflicts) {
        public Result {
            addons = Collections.unmodifiableSortedMap(new TreeMap<>(addons));
            conflicts = List.copyOf(conflicts);
        }
    }

    private AddonResolution() {
    }

    public static Result resolve(Map<String, String> clusterLabels, SortedMap<String, AddonProfileSpec> profiles) {
        SortedMap<String, List<Selected>> candidates = new TreeMap<>();
        profiles.forEach((name, profile) -> {
            if (profile.selects(clusterLabels)) {
                profile.addons().forEach(addon ->
                        candidates.computeIfAbsent(addon.name(), ignored -> new ArrayList<>()).add(new Selected(name, addon)));
            }
        });
        SortedMap<String, Selected> chosen = new TreeMap<>();
        List<Conflict> conflicts = new ArrayList<>();
        candidates.forEach((addon, offers) -> {
            int top = offers.stream().mapToInt(offer -> profiles.get(offer.profile()).effectivePriority()).max().orElseThrow();
            List<Selected> winners = offers.stream()
                    .filter(offer -> profiles.get(offer.profile()).effectivePriority() == top).toList();
            if (winners.stream().map(Selected::addon).distinct().count() > 1) {
                conflicts.add(new Conflict(addon, winners.stream().map(Selected::profile).toList()));
            } else {
                chosen.put(addon, winners.getFirst());
            }
        });
        return new Result(chosen, conflicts);
    }

    /**
     * The problems of a Cluster's add-on choices against what its profiles give it.
     *
     * @param path field path of the choices, {@code spec.addons}
     */
    public static List<FieldError> checkChoices(Result resolved, ClusterSpec.Addons choices, String path) {
        List<FieldError> errors = new ArrayList<>();
        String available = resolved.addons().isEmpty() ? "none" : String.join(", ", resolved.addons().keySet());
        for (int index = 0; index < choices.exclude().size(); index++) {
            String name = choices.exclude().get(index);
            if (!resolved.addons().containsKey(name)) {
                errors.add(FieldError.invalid(path + ".exclude[" + index + "]", name,
                        "no AddonProfile gives this cluster such an add-on (its add-ons: " + available + ")"));
            }
        }
        resolved.addons().forEach((name, selected) -> {
            if (choices.exclude().contains(name)) {
                return;
            }
            for (String dependency : selected.addon().dependsOn()) {
                if (choices.exclude().contains(dependency)) {
                    errors.add(FieldError.invalid(path + ".exclude", dependency, "add-on \"" + name + "\" depends on \""
                            + dependency + "\"; exclude \"" + name + "\" as well, or keep \"" + dependency + "\""));
                }
            }
        });
        new TreeMap<>(choices.overrides()).forEach((name, values) -> {
            String overridePath = path + ".overrides." + name;
            Selected selected = resolved.addons().get(name);
            if (selected == null) {
                errors.add(FieldError.invalid(overridePath, name,
                        "no AddonProfile gives this cluster such an add-on (its add-ons: " + available + ")"));
                return;
            }
            if (!values.isObject()) {
                errors.add(FieldError.invalid(overridePath, values.toString(), "must be an object of Helm values"));
                return;
            }
            try {
                // Overrides are substituted like the profile's values when the cluster renders: a broken placeholder
                // is refused now, not found then.
                Placeholders.references(values);
            } catch (IllegalArgumentException unterminated) {
                errors.add(FieldError.invalid(overridePath, name, unterminated.getMessage()));
            }
            List<String> allowed = selected.addon().overridableValues();
            for (String key : leafKeys(values, "")) {
                if (allowed.stream().noneMatch(prefix -> key.equals(prefix) || key.startsWith(prefix + ".")
                        || key.startsWith(prefix + "["))) {
                    errors.add(FieldError.forbidden(overridePath + "." + key, "AddonProfile \"" + selected.profile()
                            + "\" lets clusters override only " + (allowed.isEmpty() ? "no values of add-on \"" + name + "\""
                            : "these values of add-on \"" + name + "\": " + String.join(", ", allowed))));
                }
            }
        });
        return errors;
    }

    /** Dotted paths of the leaves of a value tree; an array is a leaf. */
    static List<String> leafKeys(JsonNode node, String prefix) {
        if (!node.isObject() || node.isEmpty()) {
            return prefix.isEmpty() ? List.of() : List.of(prefix);
        }
        List<String> keys = new ArrayList<>();
        node.properties().forEach(field ->
                keys.addAll(leafKeys(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey())));
        return keys;
    }
}
