package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Names;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Doc("A team's request for a cluster: which flavor, in which environment and region, on which Kubernetes version, "
        + "with which node pools and variables. Drover fills in the flavor's defaults.")
public record ClusterSpec(
        @Required @Doc("Name of the ClusterFlavor the cluster is built to.") String flavor,
        @Required @Doc("Environment of the cluster; the flavor and the team must both allow it.") String environment,
        @Doc("Region of the cluster, one the flavor allows. Defaults to the flavor's default region.") Optional<String> region,
        @Doc("Kubernetes version, one the flavor allows. Defaults to the flavor's default version.")
        Optional<String> kubernetesVersion,
        @ListMap("name") @Doc("Worker node pools. Defaults to the flavor's default node pools.") List<NodePool> nodePools,
        @Doc("Values of the flavor's variables; defaults (also per environment) are filled in.") Map<String, JsonNode> variables,
        @Doc("When the cluster's worker node pools are meant to be scaled to zero to save money.") Optional<Hibernation> hibernation,
        @Pattern(value = DURATION, meaning = "a duration in hours and minutes such as 72h or 90m")
        @Doc("How long the cluster lives, counted from its creation, for example 72h: then Drover deletes it (warning a day "
                + "and an hour before). `drover cluster extend` raises it, up to the flavor's and team's maximumTtl. Unset: no expiry.")
        Optional<String> ttl,
        @Doc("The cluster's choices among the add-ons its AddonProfiles give it.") Optional<Addons> addons,
        @Doc("Whether the cluster may run a version its flavor classifies as preview (not yet supported).")
        Optional<Boolean> allowPreviewVersion,
        @Doc("When changes that roll the cluster's machines may reach the fleet repository; defaults to the Team's, then "
                + "the flavor's.") Optional<MaintenancePolicy> maintenance) {

    public ClusterSpec {
        region = Values.option(region);
        kubernetesVersion = Values.option(kubernetesVersion);
        nodePools = Values.list(nodePools);
        variables = Values.map(variables);
        hibernation = Values.option(hibernation);
        ttl = Values.option(ttl);
        addons = Values.option(addons);
        allowPreviewVersion = Values.option(allowPreviewVersion);
        maintenance = Values.option(maintenance);
    }

    /** The spec with the version and node pools as given, everything else as it is. */
    public ClusterSpec withVersionAndPools(Optional<String> version, List<NodePool> pools) {
        return new ClusterSpec(flavor, environment, region, version, pools, variables, hibernation, ttl, addons,
                allowPreviewVersion, maintenance);
    }

    /** The spec with the TTL as given, everything else as it is. */
    public ClusterSpec withTtl(Optional<String> lifetime) {
        return new ClusterSpec(flavor, environment, region, kubernetesVersion, nodePools, variables, hibernation, lifetime, addons,
                allowPreviewVersion, maintenance);
    }

    public ClusterSpec(String flavor, String environment, Optional<String> region, Optional<String> kubernetesVersion,
                       List<NodePool> nodePools, Map<String, JsonNode> variables, Optional<Hibernation> hibernation,
                       Optional<String> ttl, Optional<Addons> addons) {
        this(flavor, environment, region, kubernetesVersion, nodePools, variables, hibernation, ttl, addons, Optional.empty(),
                Optional.empty());
    }

    @Doc("Which profile add-ons a cluster leaves out, and its own values for those the profile lets it override.")
    public record Addons(
            @ListSet @Doc("Names of add-ons not to install in this cluster.") List<String> exclude,
            @Doc("Values per add-on name, merged over the profile's values; only keys the profile lists in "
                    + "overridableValues are allowed.") Map<String, JsonNode> overrides) {

        public Addons {
            exclude = Values.list(exclude);
            overrides = Values.map(overrides);
        }
    }

    /** The sum of maxSize over all node pools: what the cluster counts against the team's node quota. */
    public int maxNodes() {
        return nodePools.stream().mapToInt(NodePool::maxSize).sum();
    }

    @Doc("A weekly schedule of hours in which the cluster's node pools are scaled to zero, and a one-off exception to it.")
    public record Hibernation(
            @Doc("Time windows of hibernation.") List<Window> windows,
            @Doc("IANA time zone of the windows, for example Europe/Berlin. Defaults to UTC.") Optional<String> timeZone,
            @Doc("A one-off exception to the windows, as `drover cluster hibernate|wake` write it: the state to keep from "
                    + "`from` until `until`; outside that span the windows apply again.") Optional<ScheduleOverride> override) {

        public Hibernation {
            windows = Values.list(windows);
            timeZone = Values.option(timeZone);
            override = Values.option(override);
        }

        public Hibernation(List<Window> windows, Optional<String> timeZone) {
            this(windows, timeZone, Optional.empty());
        }
    }

    @Doc("Hibernated or awake for a span of time, whatever the windows say.")
    public record ScheduleOverride(
            @Required @Doc("Hibernated or Awake.") HibernationState state,
            @Pattern(value = TIMESTAMP, meaning = "an RFC 3339 time in UTC such as 2026-12-24T18:00:00Z")
            @Doc("When the override starts (RFC 3339, UTC). Unset: at once.") Optional<String> from,
            @Pattern(value = TIMESTAMP, meaning = "an RFC 3339 time in UTC such as 2026-12-27T07:00:00Z")
            @Doc("When the override ends (RFC 3339, UTC) and the windows apply again. Unset: until the override is removed.")
            Optional<String> until,
            @Doc("Why, for the people reading the cluster's status, for example \"release night\".") Optional<String> reason) {

        public ScheduleOverride {
            from = Values.option(from);
            until = Values.option(until);
            reason = Values.option(reason);
        }
    }

    /** A duration in whole hours and minutes, such as 72h, 90m or 1h30m. */
    public static final String DURATION = "^([0-9]+h)?([0-9]+m)?$";

    /** An RFC 3339 time in UTC, to the second. */
    public static final String TIMESTAMP = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";

    public enum HibernationState {
        @JsonProperty("Hibernated") HIBERNATED,
        @JsonProperty("Awake") AWAKE
    }

    @Doc("A recurring window: on the given days from start to end (local time); an end before start runs past midnight.")
    public record Window(
            @Required @Doc("Days the window starts on.") List<Weekday> days,
            @Required @Pattern(value = "^([01][0-9]|2[0-3]):[0-5][0-9]$", meaning = "a time of day as HH:MM")
            @Doc("Local start time, HH:MM.") String start,
            @Required @Pattern(value = "^([01][0-9]|2[0-3]):[0-5][0-9]$", meaning = "a time of day as HH:MM")
            @Doc("Local end time, HH:MM.") String end) {

        public Window {
            days = Values.list(days);
        }
    }

    public enum Weekday {
        @JsonProperty("Mon") MONDAY,
        @JsonProperty("Tue") TUESDAY,
        @JsonProperty("Wed") WEDNESDAY,
        @JsonProperty("Thu") THURSDAY,
        @JsonProperty("Fri") FRIDAY,
        @JsonProperty("Sat") SATURDAY,
        @JsonProperty("Sun") SUNDAY
    }
}
