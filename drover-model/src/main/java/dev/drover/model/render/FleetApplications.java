package dev.drover.model.render;

import dev.drover.model.api.ClusterId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The AppTemplates by name and the Applications by {@code team/name}: what a render adds to each cluster's directory.
 */
public record FleetApplications(SortedMap<String, AppTemplateRevision> templates,
                                SortedMap<String, ApplicationRequest> applications) {

    public static final FleetApplications NONE = new FleetApplications(new TreeMap<>(), new TreeMap<>());

    public FleetApplications {
        templates = Collections.unmodifiableSortedMap(new TreeMap<>(templates));
        applications = Collections.unmodifiableSortedMap(new TreeMap<>(applications));
    }

    /** The team's Applications whose environments take the cluster, by name. */
    public List<ApplicationRequest> targeting(ClusterId cluster, String environment, Map<String, String> labels) {
        return applications.subMap(cluster.team() + "/", cluster.team() + "/\uffff").values().stream()
                .filter(application -> application.spec().targets(cluster.name(), environment, labels))
                .toList();
    }
}
