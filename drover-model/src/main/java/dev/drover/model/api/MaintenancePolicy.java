package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("When changes that roll machines (the Kubernetes version, a machine image, a node pool's instance type) may reach "
        + "the fleet repository: weekly windows in a time zone. A Cluster's policy wins over its Team's, the Team's over "
        + "its flavor's; without windows anywhere such changes are committed at once.")
public record MaintenancePolicy(
        @Doc("Weekly maintenance windows, each 30 minutes to 6 hours long; an end before the start runs past midnight.")
        List<ClusterSpec.Window> windows,
        @Doc("IANA time zone of the windows, for example Europe/Berlin. Defaults to UTC.") Optional<String> timeZone,
        @Doc("On a Cluster: commit waiting changes now, outside the windows (an emergency override; the Event and the "
                + "managedFields record who set it). Remove it afterwards.") Optional<Boolean> immediate,
        @Doc("What Drover changes by itself in a window.") Optional<AutoUpdate> autoUpdate) {

    public MaintenancePolicy {
        windows = Values.list(windows);
        timeZone = Values.option(timeZone);
        immediate = Values.option(immediate);
        autoUpdate = Values.option(autoUpdate);
    }

    public MaintenancePolicy(List<ClusterSpec.Window> windows, Optional<String> timeZone, Optional<Boolean> immediate) {
        this(windows, timeZone, immediate, Optional.empty());
    }

    @Doc("Updates Drover makes in a maintenance window. A version the flavor classifies expired is always moved, one "
            + "minor version up, whatever this says.")
    public record AutoUpdate(
            @Doc("Move the cluster to the newest supported patch of its minor version in its window.")
            Optional<Boolean> kubernetesPatch) {

        public AutoUpdate {
            kubernetesPatch = Values.option(kubernetesPatch);
        }
    }
}
