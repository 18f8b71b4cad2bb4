package dev.drover.model.api;

import dev.drover.model.schema.PrinterColumn;
import java.util.List;
import java.util.Optional;

/** The kinds of the {@code platform.drover.dev/v1alpha1} API. */
public final class Kinds {

    public static final String GROUP = "platform.drover.dev";
    public static final String VERSION = "v1alpha1";
    public static final String LABEL_PREFIX = GROUP + "/";
    /** Holds a Cluster until its files are removed from the fleet repository. */
    public static final String FLEET_FINALIZER = LABEL_PREFIX + "fleet-repository";

    public static final Kind TEAM = Kind.define("Team", "teams", "team", List.of("tm"), false, true,
            "A product team. Its name is the namespace of its Clusters.", TeamSpec.class, TeamStatus.class,
            List.of(PrinterColumn.of("Display Name", "/spec/displayName", "Human-readable name."),
                    PrinterColumn.of("Cost Center", "/spec/costCenter", "Cost center."),
                    PrinterColumn.of("Environments", "/spec/environments/*/name", "Environments the team may use."),
                    PrinterColumn.of("Budget", "/spec/budget/monthly", "Monthly budget.").orElse("none"),
                    PrinterColumn.of("Cost", "/status/cost/summary", "Monthly run-rate of the team's clusters."),
                    PrinterColumn.of("Used", "/status/cost/budgetUsed", "Share of the budget the run-rate takes."),
                    PrinterColumn.of("Max Clusters", "/spec/quotas/clusters", "Cluster quota.").orElse("unlimited").wide(),
                    PrinterColumn.of("Max Nodes", "/spec/quotas/nodes", "Node quota.").orElse("unlimited").wide(),
                    PrinterColumn.age()));

    public static final Kind CLUSTER_FLAVOR = Kind.define("ClusterFlavor", "clusterflavors", "clusterflavor",
            List.of("cf", "flavor", "flavors"), false, false, "The company standard for one kind of cluster.",
            ClusterFlavorSpec.class, ClusterFlavorStatus.class,
            List.of(PrinterColumn.of("Provider", "/spec/provider", "Cluster API provider."),
                    PrinterColumn.of("Default Version", "/spec/kubernetesVersions/default", "Default Kubernetes version."),
                    PrinterColumn.of("Environments", "/spec/environments", "Allowed environments."),
                    PrinterColumn.of("Regions", "/spec/regions", "Allowed regions.").wide(),
                    PrinterColumn.of("Instance Types", "/spec/instanceTypes", "Allowed machine types.").wide(),
                    PrinterColumn.age()));

    public static final Kind CLUSTER = Kind.define("Cluster", "clusters", "cluster", List.of("dcl"), true, true,
            "A team's request for a Kubernetes cluster, built to a ClusterFlavor.", ClusterSpec.class, ClusterStatus.class,
            List.of(PrinterColumn.of("Flavor", "/spec/flavor", "ClusterFlavor the cluster is built to."),
                    PrinterColumn.of("Environment", "/spec/environment", "Environment."),
                    PrinterColumn.of("Version", "/spec/kubernetesVersion", "Kubernetes version."),
                    PrinterColumn.of("Phase", "/status/phase", "Lifecycle phase.").orElse("Pending"),
                    PrinterColumn.of("Nodes", "/status/observed/nodes", "Ready and wanted worker machines, when observed."),
                    PrinterColumn.of("Cost", "/status/cost/summary", "Estimated monthly cost."),
                    PrinterColumn.of("Support", "/status/versionSupport/summary", "The version's lifecycle classification "
                            + "in the flavor, and when it expires.").orElse("supported"),
                    PrinterColumn.timeLeft("Expires", "/status/expiresAt", "Time left until the TTL deletes the cluster."),
                    PrinterColumn.age(),
                    PrinterColumn.of("Hibernation", "/status/hibernation/state", "Hibernated or Awake, for clusters with a "
                            + "hibernation schedule.").wide(),
                    PrinterColumn.of("Provider", "/metadata/labels/platform.drover.dev~1provider", "Cluster API provider.").wide(),
                    PrinterColumn.of("Region", "/spec/region", "Region.").wide(),
                    PrinterColumn.of("Pools", "/spec/nodePools/*/name", "Node pools.").wide(),
                    PrinterColumn.of("Commit", "/status/git/commit", "Fleet repository commit of the cluster's manifests.").wide(),
                    PrinterColumn.of("Add-ons", "/status/addons/*/name", "Add-ons in the committed manifests.").wide()));

    public static final Kind ADDON_PROFILE = Kind.define("AddonProfile", "addonprofiles", "addonprofile",
            List.of("ap", "addons"), false, false,
            "Standard add-ons installed on every Cluster whose labels match, with version pins per environment.",
            AddonProfileSpec.class, AddonProfileStatus.class,
            List.of(PrinterColumn.of("Priority", "/spec/priority", "Priority among profiles giving the same add-on.").orElse("0"),
                    PrinterColumn.of("Clusters", "/status/clusters", "Clusters that get add-ons from the profile.").orElse("0"),
                    PrinterColumn.of("Versions", "/status/summary", "Add-on versions and how many Clusters run each."),
                    PrinterColumn.age(),
                    PrinterColumn.of("Add-ons", "/spec/addons/*/name", "Add-on names.").wide()));

    public static final Kind PRICE_BOOK = Kind.define("PriceBook", "pricebooks", "pricebook", List.of("pb"), false, false,
            "Prices that cluster estimates, team budgets and cost reports are computed from.", PriceBookSpec.class,
            ConditionsStatus.class,
            List.of(PrinterColumn.of("Default", "/spec/default", "Whether this is the default PriceBook.").orElse("false"),
                    PrinterColumn.of("Currency", "/spec/currency", "Currency of every amount."),
                    PrinterColumn.of("Providers", "/spec/machines/*/providers/*", "Providers with machine prices."),
                    PrinterColumn.age(),
                    PrinterColumn.of("Regions", "/spec/machines/*/region", "Regions with machine prices.").wide()));

    public static final Kind CAMPAIGN = Kind.define("Campaign", "campaigns", "campaign", List.of("cmp"), false, false,
            "A fleet-wide change rolled out in stages, inside each cluster's maintenance windows.", CampaignSpec.class,
            CampaignStatus.class,
            List.of(PrinterColumn.of("Change", "/spec/change/kubernetesVersion", "Kubernetes version the clusters go to.")
                            .orElse("newest patch"),
                    PrinterColumn.of("Phase", "/status/phase", "Progressing, Paused, Completed or Aborted.").orElse("Pending"),
                    PrinterColumn.of("Stage", "/status/currentStage", "The stage in progress."),
                    PrinterColumn.of("Progress", "/status/summary", "Clusters done, updating and failed."),
                    PrinterColumn.timeLeft("ETA", "/status/eta", "Time until the plan expects the last cluster done."),
                    PrinterColumn.age(),
                    PrinterColumn.of("Stragglers", "/status/stragglers/*/name", "Clusters not done, or not in time.").wide()));
    /** Holds a Campaign until no Cluster carries its label any more. */
    public static final String CAMPAIGN_FINALIZER = LABEL_PREFIX + "campaign-labels";
    /** Set on a Cluster while a campaign changes it; the fleet repository's commit message names the campaign. */
    public static final String CAMPAIGN_LABEL = "campaign." + GROUP + "/name";

    public static final Kind IP_POOL = Kind.define("IPPool", "ippools", "ippool", List.of("ipp"), false, false,
            "Node addresses Drover hands out as the Cluster API IPAM provider of the flavors that name the pool.",
            IPPoolSpec.class, IPPoolStatus.class,
            List.of(PrinterColumn.of("Addresses", "/spec/addresses", "CIDRs, ranges and addresses of the pool."),
                    PrinterColumn.of("Prefix", "/spec/prefix", "Prefix length the machines get."),
                    PrinterColumn.of("Gateway", "/spec/gateway", "Default gateway.").orElse("none"),
                    PrinterColumn.of("Usage", "/status/summary", "Addresses used of the total."),
                    PrinterColumn.of("Free", "/status/free", "Addresses free to hand out."),
                    PrinterColumn.age(),
                    PrinterColumn.of("Flavors", "/spec/scope/flavors", "Flavors whose clusters may draw.").orElse("any").wide(),
                    PrinterColumn.of("Teams", "/spec/scope/teams", "Teams whose clusters may draw.").orElse("any").wide()));

    public static final Kind INTEGRATION = Kind.define("Integration", "integrations", "integration", List.of("intg"), false, true,
            "A company system that hears about clusters and machines through a webhook, and may hold Machine deletions.",
            IntegrationSpec.class, IntegrationStatus.class,
            List.of(PrinterColumn.of("URL", "/spec/webhook/url", "Where the events go."),
                    PrinterColumn.of("Events", "/spec/events", "Events delivered."),
                    PrinterColumn.of("Hold", "/spec/holdMachineDeletion", "How long a Machine's deletion waits.").orElse("none"),
                    PrinterColumn.of("Deliveries", "/status/summary", "Delivered, failed and pending events."),
                    PrinterColumn.age(),
                    PrinterColumn.of("Waiting", "/status/machinesWaiting", "Machines whose deletion waits.").wide()));

    public static final Kind APP_TEMPLATE = Kind.define("AppTemplate", "apptemplates", "apptemplate", List.of("apt"), false, true,
            "The platform's standard for one kind of workload, which Applications are built to.", AppTemplateSpec.class,
            AppTemplateStatus.class,
            List.of(PrinterColumn.of("Runtime", "/spec/runtime", "What the scaffold builds."),
                    PrinterColumn.of("Sizes", "/spec/sizes/*/name", "Sizes Applications pick from."),
                    PrinterColumn.of("Applications", "/status/applications", "Applications built to the template.").orElse("0"),
                    PrinterColumn.of("Current", "/status/current", "Applications rendered at the template's revision.")
                            .orElse("0"),
                    PrinterColumn.age(),
                    PrinterColumn.of("Advanced", "/spec/allowedAdvanced", "Advanced settings teams may give.").wide(),
                    PrinterColumn.of("Gates", "/spec/scanGates/*/environment", "Environments with a scan gate.").wide()));

    public static final Kind APPLICATION = Kind.define("Application", "applications", "application", List.of("dapp"), true, true,
            "A team's application, rendered into each target cluster within the company standard.", ApplicationSpec.class,
            ApplicationStatus.class,
            List.of(PrinterColumn.of("Template", "/spec/template", "AppTemplate the application is built to."),
                    PrinterColumn.of("Image", "/spec/image", "Image, unless an environment names its own."),
                    PrinterColumn.of("Size", "/spec/size", "Size from the template."),
                    PrinterColumn.of("Status", "/status/summary", "Clusters committed and healthy.").orElse("Pending"),
                    PrinterColumn.age(),
                    PrinterColumn.of("Environments", "/spec/environments/*/name", "Environments it runs in.").wide(),
                    PrinterColumn.of("Revision", "/status/templateRevision", "Template revision everywhere.").wide(),
                    PrinterColumn.of("Canary", "/status/canary/weight", "Percent of traffic on Kubernetes.").wide()));
    /** Set on every Application: the template it is built to, so a template's change finds its applications. */
    public static final String TEMPLATE_LABEL = LABEL_PREFIX + "template";

    public static final List<Kind> ALL = List.of(TEAM, CLUSTER_FLAVOR, CLUSTER, ADDON_PROFILE, PRICE_BOOK, CAMPAIGN, IP_POOL,
            INTEGRATION, APP_TEMPLATE, APPLICATION);

    private Kinds() {
    }

    public static Optional<Kind> byPlural(String plural) {
        return ALL.stream().filter(kind -> kind.plural().equals(plural)).findFirst();
    }

    public static Optional<Kind> byKind(String kindName) {
        return ALL.stream().filter(kind -> kind.kind().equals(kindName)).findFirst();
    }
}
