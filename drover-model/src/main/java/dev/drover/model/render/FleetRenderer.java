package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet repository as a pure function of a {@link FleetSnapshot}: same snapshot, byte-identical files.
 * Files are keyed by repository path; every directory holding manifests has a {@code kustomization.yaml}.
 */
public final class FleetRenderer {

    private FleetRenderer() {
    }

    /** The whole repository: every cluster that can be rendered, the team directories and the indexes. */
    public static RenderedFleet render(FleetSnapshot snapshot) {
        SortedMap<String, String> files = new TreeMap<>();
        SortedMap<ClusterId, ClusterOutcome.Failed> failures = new TreeMap<>();
        SortedMap<ClusterId, ManagementEntry> rendered = new TreeMap<>();
        for (ClusterId id : snapshot.clusters().keySet()) {
            switch (renderCluster(snapshot, id)) {
                case ClusterOutcome.Rendered cluster -> {
                    files.putAll(cluster.files());
                    rendered.put(id, cluster.entry());
                }
                case ClusterOutcome.Failed failed -> failures.put(id, failed);
            }
        }
        files.putAll(renderShared(snapshot, rendered));
        return new RenderedFleet(files, failures);
    }

    /** One cluster's two directories: its Cluster API objects and GitOps wiring, and what goes into the cluster. */
    public static ClusterOutcome renderCluster(FleetSnapshot snapshot, ClusterId id) {
        ClusterRequest request = snapshot.clusters().get(id);
        if (request == null) {
            throw new IllegalArgumentException("the snapshot has no cluster " + id);
        }
        TeamSpec team = snapshot.teams().get(id.team());
        if (team == null) {
            return new ClusterOutcome.Failed("TeamNotFound", "team \"" + id.team() + "\" does not exist");
        }
        String flavorName = request.spec().flavor();
        ClusterFlavorSpec flavor = snapshot.flavors().get(flavorName);
        if (flavor == null) {
            return new ClusterOutcome.Failed("FlavorNotFound", "flavor \"" + flavorName + "\" does not exist (deleted?); "
                    + "the files last committed for the cluster stay as they are. Recreate the flavor, or move the cluster "
                    + "to another one with `kubectl patch cluster " + id.name() + " -n " + id.team()
                    + " --type merge -p '{\"spec\":{\"flavor\":\"NAME\"}}'`");
        }
        var context = new ClusterContext(id, request.spec(), team, flavorName, flavor, snapshot.settings(), request.labels(),
                snapshot.profiles(), request.hibernated(), request.machineImage(),
                request.workersVersion(), snapshot.pools());
        try {
            // The provider's objects first: a missing provider setting says more than an add-on value that names it.
            ProviderManifests manifests = providerManifests(context);
            List<ResolvedAddon> addons = ResolvedAddon.resolve(context);
            List<ApplicationRenderer.Outcome> applications = snapshot.applications()
                    .targeting(id, request.spec().environment(), request.labels()).stream()
                    .map(application -> ApplicationRenderer.render(context, application,
                            Optional.ofNullable(snapshot.applications().templates().get(application.spec().template()))))
                    .toList();
            return new ClusterOutcome.Rendered(clusterFiles(context, manifests, addons, applications),
                    addons.stream().map(addon -> addon.status(context)).toList(),
                    applications.stream().map(outcome -> switch (outcome) {
                        case ApplicationRenderer.Outcome.Rendered rendered -> rendered.committed();
                        case ApplicationRenderer.Outcome.Failed failed -> failed.attempted();
                    }).toList(),
                    applications.stream().filter(outcome -> outcome instanceof ApplicationRenderer.Outcome.Failed)
                            .map(outcome -> FleetPaths.applicationDirectory(id, outcome.name())).toList());
        } catch (RenderProblem problem) {
            return new ClusterOutcome.Failed(problem.reason(), problem.getMessage());
        } catch (RuntimeException unexpected) {
            // Input admission should have refused, or a renderer's bug: either way it is this cluster's alone, and the
            // batch's other clusters render and commit.
            return new ClusterOutcome.Failed("RenderFailed", "rendering failed: " + unexpected + "; the files last "
                    + "committed for the cluster stay as they are");
        }
    }

    private static ProviderManifests providerManifests(ClusterContext context) {
        return switch (context.flavor().provider()) {
            case AWS_EKS -> EksRenderer.render(context);
            case AWS -> AwsKubeadmRenderer.render(context);
            case VSPHERE -> VsphereRenderer.render(context);
            case VCLUSTER -> VclusterRenderer.render(context);
            case DOCKER -> DockerRenderer.render(context);
        };
    }

    private static SortedMap<String, String> clusterFiles(ClusterContext context, ProviderManifests manifests,
                                                          List<ResolvedAddon> addons,
                                                          List<ApplicationRenderer.Outcome> applications) {
        List<String> applicationNames = applications.stream().map(ApplicationRenderer.Outcome::name).toList();
        Map<String, List<ObjectNode>> management = new LinkedHashMap<>();
        management.put("cluster.yaml", List.of(manifests.cluster()));
        management.put("infrastructure.yaml", manifests.infrastructure());
        management.put("control-plane.yaml", manifests.controlPlane());
        management.put("workers.yaml", manifests.workers());
        management.put("gitops.yaml", switch (context.flavor().effectiveGitops()) {
            case FLUX -> FluxRenderer.render(context, !addons.isEmpty(), applicationNames);
            case ARGOCD -> ArgoCdRenderer.render(context, !addons.isEmpty(), applicationNames);
        });
        SortedMap<String, String> files = new TreeMap<>();
        directory(files, FleetPaths.managementClusterDirectory(context.id(), ManagementEntry.of(context.flavor().provider())),
                management);
        String workload = FleetPaths.workloadClusterDirectory(context.id());
        files.put(workload + "/" + FleetPaths.KUSTOMIZATION, kustomization(List.of("tenancy")));
        SortedMap<String, List<ObjectNode>> tenancy = new TreeMap<>(TenancyRenderer.render(context));
        boolean placeholders = applications.stream().anyMatch(outcome ->
                outcome instanceof ApplicationRenderer.Outcome.Rendered rendered && rendered.placeholders());
        if (placeholders) {
            tenancy.put("priority-classes.yaml", List.of(ApplicationRenderer.placeholderPriorityClass(context.labels())));
        }
        directory(files, workload + "/tenancy", tenancy);
        for (ApplicationRenderer.Outcome outcome : applications) {
            if (outcome instanceof ApplicationRenderer.Outcome.Rendered rendered) {
                String directory = FleetPaths.applicationDirectory(context.id(), rendered.name());
                rendered.files().forEach((file, content) -> files.put(directory + "/" + file, content));
            }
        }
        if (!addons.isEmpty()) {
            Map<String, List<ObjectNode>> addonFiles = new LinkedHashMap<>();
            for (ResolvedAddon addon : addons) {
                addonFiles.put(addon.name() + ".yaml", switch (context.flavor().effectiveGitops()) {
                    case FLUX -> FluxRenderer.addon(context, addon);
                    case ARGOCD -> List.of(ArgoCdRenderer.addon(context, addon));
                });
            }
            directory(files, FleetPaths.addonsDirectory(context.id()), addonFiles);
        }
        return files;
    }

    /**
     * The files that depend on more than one cluster: team directories, the entries' indexes and the teams' cloud
     * identities.
     *
     * @param clustersWithFiles the clusters whose directories are in the repository, with the entry holding each
     */
    public static SortedMap<String, String> renderShared(FleetSnapshot snapshot, Map<ClusterId, ManagementEntry> clustersWithFiles) {
        SortedMap<String, String> files = new TreeMap<>();
        files.put(FleetPaths.teamsDirectory() + "/" + FleetPaths.KUSTOMIZATION, kustomization(snapshot.teams().keySet()));
        snapshot.teams().forEach((name, team) -> directory(files, FleetPaths.teamDirectory(name), teamFiles(name, team)));
        SortedMap<ManagementEntry, SortedMap<String, SortedSet<String>>> clustersByEntry = new TreeMap<>();
        clustersWithFiles.forEach((id, entry) -> clustersByEntry.computeIfAbsent(entry, ignored -> new TreeMap<>())
                .computeIfAbsent(id.team(), ignored -> new TreeSet<>()).add(id.name()));
        Map<String, List<ObjectNode>> identities = new TreeMap<>();
        snapshot.teams().forEach((name, team) -> {
            List<ObjectNode> roles = awsIdentities(name, team);
            if (!roles.isEmpty()) {
                identities.put(name + ".yaml", roles);
            }
        });
        SortedSet<String> entries = new TreeSet<>();
        for (ManagementEntry entry : ManagementEntry.values()) {
            List<String> resources = new ArrayList<>();
            SortedMap<String, SortedSet<String>> byTeam = clustersByEntry.getOrDefault(entry, new TreeMap<>());
            if (!byTeam.isEmpty()) {
                resources.add("clusters");
                files.put(FleetPaths.entryClustersDirectory(entry) + "/" + FleetPaths.KUSTOMIZATION, kustomization(byTeam.keySet()));
                byTeam.forEach((team, names) -> files.put(FleetPaths.entryTeamClustersDirectory(entry, team) + "/"
                        + FleetPaths.KUSTOMIZATION, kustomization(names)));
            }
            if (entry == ManagementEntry.AWS && !identities.isEmpty()) {
                resources.add("identities");
                directory(files, FleetPaths.entryDirectory(entry) + "/identities", identities);
            }
            if (!resources.isEmpty()) {
                files.put(FleetPaths.entryDirectory(entry) + "/" + FleetPaths.KUSTOMIZATION, kustomization(resources));
                entries.add(entry.directoryName());
            }
        }
        List<String> everything = new ArrayList<>(entries);
        everything.add("teams");
        files.put(FleetPaths.MANAGEMENT + "/" + FleetPaths.KUSTOMIZATION, kustomization(everything));
        return files;
    }

    /** On the management cluster, with core kinds only: the team's namespace and its groups' read access. */
    private static Map<String, List<ObjectNode>> teamFiles(String name, TeamSpec team) {
        Map<String, String> labels = teamLabels(name, team);
        Map<String, List<ObjectNode>> files = new LinkedHashMap<>();
        files.put("namespace.yaml", List.of(Manifest.clusterScoped("v1", "Namespace", name, labels)));
        List<String> groups = team.groups().stream().sorted().distinct().toList();
        if (!groups.isEmpty()) {
            ObjectNode binding = Manifest.bindGroups(Manifest.namespaced("rbac.authorization.k8s.io/v1", "RoleBinding", name,
                    "team-view", labels), "view", groups);
            files.put("rbac.yaml", List.of(binding));
        }
        return files;
    }

    /** The team's role in each environment's AWS account, for Cluster API Provider AWS. */
    private static List<ObjectNode> awsIdentities(String name, TeamSpec team) {
        Map<String, String> labels = teamLabels(name, team);
        List<ObjectNode> identities = new ArrayList<>();
        team.environments().stream().sorted(java.util.Comparator.comparing(TeamSpec.Environment::name)).forEach(environment ->
                environment.cloudAccount().flatMap(TeamSpec.CloudAccount::roleArn).ifPresent(role ->
                        identities.add(Aws.roleIdentity(name, environment.name(), role, labels))));
        return identities;
    }

    private static Map<String, String> teamLabels(String name, TeamSpec team) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Kinds.LABEL_PREFIX + "team", name);
        team.costCenter().ifPresent(costCenter -> labels.put(Kinds.LABEL_PREFIX + "cost-center", costCenter));
        return labels;
    }

    /** Writes each non-empty file of a directory and the directory's kustomization listing them. */
    private static void directory(SortedMap<String, String> files, String path, Map<String, List<ObjectNode>> contents) {
        List<String> resources = new ArrayList<>();
        contents.forEach((file, objects) -> {
            if (objects.isEmpty()) {
                return;
            }
            files.put(path + "/" + file, Yaml.documents(objects));
            resources.add(file);
        });
        files.put(path + "/" + FleetPaths.KUSTOMIZATION, kustomization(resources));
    }

    private static String kustomization(Collection<String> resources) {
        ObjectNode kustomization = Json.MAPPER.createObjectNode();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.set("resources", Manifest.strings(resources));
        return Yaml.write(kustomization);
    }
}
