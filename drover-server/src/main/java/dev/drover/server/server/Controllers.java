package dev.drover.server.server;

import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.IntegrationSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.render.FleetSettings;
import dev.drover.server.addon.AddonProfileStatusController;
import dev.drover.server.application.ApplicationController;
import dev.drover.server.flavor.FlavorPrerequisitesController;
import dev.drover.server.api.CampaignPlanning;
import dev.drover.server.api.CostLedger;
import dev.drover.server.campaign.CampaignController;
import dev.drover.server.controller.ControllerRunner;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.cost.CostController;
import dev.drover.server.environment.EnvironmentController;
import dev.drover.server.fleetops.MaintenanceController;
import dev.drover.server.fleetops.VersionPolicyController;
import dev.drover.server.git.FleetRemote;
import dev.drover.server.git.FleetRepository;
import dev.drover.server.integration.ArgoCdRegistration;
import dev.drover.server.ipam.IpamController;
import dev.drover.server.integration.BootstrapSecretPush;
import dev.drover.server.integration.IntegrationHooks;
import dev.drover.server.kube.WorkloadClusters;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.observe.ClusterObserver;
import dev.drover.server.reconcile.FleetReconciler;
import dev.drover.server.store.AddressAllocations;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.IntegrationOutbox;
import dev.drover.server.store.LeaderFence;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.write.ResourceWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The controllers and the informers they share: one informer per kind, every controller's handlers registered before
 * the informers list, the controllers' threads started once every kind is listed.
 */
final class Controllers implements AutoCloseable {

    /** Claims answered per pass: up to this many addresses are allocated per pool in one transaction. */
    private static final int IPAM_BATCH = 500;

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    private Controllers() {
    }

    /** What the IPAM controller needs besides the informers: the allocations, and when a held address counts as leaked. */
    record Ipam(AddressAllocations allocations, Duration reclaimAfter) {
    }

    /** The Integrations' outbox of webhook deliveries, and how long finished ones are kept. */
    record Hooks(IntegrationOutbox outbox, Duration retention) {
    }

    static Controllers start(ResourceStore store, FleetRepository repository, FleetSettings settings, Optional<FleetRemote> remote,
                             CostLedger ledger, CampaignPlanning planning, Optional<ManagementCluster> management, Duration bootstrapResync,
                             ResourceWriter writer, Duration scheduleResync, Clock clock, MeterRegistry metrics,
                             LeaderFence fence, Ipam ipam, Hooks hooks, ImageScans scans, Duration workloadScanResync) {
        var controllers = new Controllers();
        var statuses = new StatusWriter(store, clock, fence);
        var teams = new Informer<>(store, Kinds.TEAM, TeamSpec.class, Set.of());
        // The version policy reads the versions it classified, to clear them when a flavor's lifecycle goes.
        var flavors = new Informer<>(store, Kinds.CLUSTER_FLAVOR, ClusterFlavorSpec.class, Set.of("versions"));
        var profiles = new Informer<>(store, Kinds.ADDON_PROFILE, AddonProfileSpec.class, Set.of());
        var priceBooks = new Informer<>(store, Kinds.PRICE_BOOK, PriceBookSpec.class, Set.of());
        // The fleet reconciler reads a Cluster's commit (status.git), the add-on profiles' statuses its add-ons, the
        // management-cluster observer the commit, the fleet's conditions and the phase it last decided; the environment
        // controller the expiry and hibernation it decided and what is observed of the nodes, which the fleet
        // reconciler renders hibernated or awake.
        var clusters = new Informer<>(store, Kinds.CLUSTER, ClusterSpec.class,
                Set.of("git", "addons", "applications", "conditions", "phase", "expiresAt", "hibernation", "observed",
                        "versionSupport", "maintenance"));
        var pools = new Informer<>(store, Kinds.IP_POOL, IPPoolSpec.class, Set.of());
        var templates = new Informer<>(store, Kinds.APP_TEMPLATE, AppTemplateSpec.class, Set.of());
        // The fleet reconciler renders the canary weight the application controller decided.
        var applications = new Informer<>(store, Kinds.APPLICATION, ApplicationSpec.class, Set.of("canary"));
        var fleet = new FleetReconciler(repository, settings, remote, clock, metrics, statuses, teams, flavors, profiles, clusters,
                pools, templates, applications);
        var workloads = new WorkloadClusters();
        controllers.parts.push(workloads);
        var applicationStatuses = new ApplicationController(statuses, templates, applications, clusters, flavors, management,
                workloads, workloadScanResync, repository, scans, clock);
        controllers.parts.push(applicationStatuses);
        var cost = new CostController(statuses, ledger, teams, flavors, priceBooks, clusters, clock);
        var profileStatuses = new AddonProfileStatusController(statuses, profiles, clusters);
        var prerequisites = new FlavorPrerequisitesController(statuses, flavors, settings);
        var observer = new ClusterObserver(statuses, clusters, management, repository);
        var versionPolicy = new VersionPolicyController(statuses, flavors, clusters, clock, scheduleResync);
        var maintenance = new MaintenanceController(statuses, writer, teams, flavors, clusters, clock, scheduleResync);
        var campaigns = new Informer<>(store, Kinds.CAMPAIGN, CampaignSpec.class, CampaignController.CACHED_STATUS);
        var campaign = new CampaignController(statuses, writer, campaigns, teams, flavors, clusters, clock, scheduleResync);
        planning.connect(() -> CampaignController.fleet(clusters.list(), flavors.specsByName(), teams.specsByName()));
        var environments = new EnvironmentController(statuses, writer, ledger, teams, flavors, clusters, clock, scheduleResync);
        Optional<ArgoCdRegistration> argoCd = management.map(cluster ->
                new ArgoCdRegistration(statuses, clusters, flavors, cluster, settings.argoCdNamespace()));
        var addresses = new IpamController(statuses, pools, clusters, management, ipam.allocations(), fence, clock, ipam.reclaimAfter());
        var integrations = new Informer<>(store, Kinds.INTEGRATION, IntegrationSpec.class, Set.of());
        var integrationHooks = new IntegrationHooks(statuses, integrations, clusters, management, hooks.outbox(),
                hooks.retention(), clock);
        Optional<BootstrapSecretPush> bootstrap = management.map(cluster ->
                new BootstrapSecretPush(statuses, clusters, flavors, teams, cluster, workloads, bootstrapResync, clock));
        try {
            for (Informer<?> informer : List.of(teams, flavors, profiles, priceBooks, clusters, campaigns, pools, integrations,
                    templates, applications)) {
                controllers.parts.push(informer.start());
            }
            controllers.parts.push(new ControllerRunner<>(fleet, fleet.queue(), FleetReconciler.BATCH_LIMIT,
                    FleetReconciler.PACING, metrics).start());
            controllers.parts.push(new ControllerRunner<>(observer, observer.queue(), ClusterObserver.BATCH_LIMIT,
                    FleetReconciler.PACING, metrics).start());
            controllers.parts.push(new ControllerRunner<>(applicationStatuses, applicationStatuses.queue(),
                    ApplicationController.BATCH_LIMIT, FleetReconciler.PACING, metrics).start());
            argoCd.ifPresent(registration -> controllers.parts.push(new ControllerRunner<>(registration, registration.queue(),
                    ClusterObserver.BATCH_LIMIT, FleetReconciler.PACING, metrics).start()));
            bootstrap.ifPresent(push -> controllers.parts.push(new ControllerRunner<>(push, push.queue(),
                    ClusterObserver.BATCH_LIMIT, FleetReconciler.PACING, metrics).start()));
            controllers.parts.push(addresses);
            controllers.parts.push(integrationHooks);
            controllers.parts.push(new ControllerRunner<>(integrationHooks, integrationHooks.queue(), ClusterObserver.BATCH_LIMIT,
                    FleetReconciler.PACING, metrics).start());
            controllers.parts.push(new ControllerRunner<>(addresses, addresses.queue(), IPAM_BATCH, FleetReconciler.PACING,
                    metrics).start());
            // The server closes the connection; the controllers only start it, once its listeners are registered.
            management.ifPresent(ManagementCluster::start);
            // The whole-fleet passes run at most about once a second while a burst lasts.
            var wholeFleet = new ControllerRunner.Pacing(Duration.ofSeconds(1), Duration.ofSeconds(1));
            controllers.parts.push(new ControllerRunner<>(cost, cost.queue(), 1, wholeFleet, metrics).start());
            controllers.parts.push(new ControllerRunner<>(profileStatuses, profileStatuses.queue(), 1, wholeFleet, metrics).start());
            controllers.parts.push(new ControllerRunner<>(environments, environments.queue(), 1, wholeFleet, metrics).start());
            controllers.parts.push(new ControllerRunner<>(versionPolicy, versionPolicy.queue(), 1, wholeFleet, metrics).start());
            controllers.parts.push(new ControllerRunner<>(maintenance, maintenance.queue(), 1, wholeFleet, metrics).start());
            controllers.parts.push(new ControllerRunner<>(campaign, campaign.queue(), 1, wholeFleet, metrics).start());
            controllers.parts.push(new ControllerRunner<>(prerequisites, prerequisites.queue(), ClusterObserver.BATCH_LIMIT,
                    FleetReconciler.PACING, metrics).start());
            return controllers;
        } catch (RuntimeException failed) {
            controllers.close();
            throw failed;
        }
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception ignored) {
                // Shutting down: the remaining parts must still be closed.
            }
        }
    }
}
