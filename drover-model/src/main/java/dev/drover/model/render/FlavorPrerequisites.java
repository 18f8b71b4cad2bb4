package dev.drover.model.render;

import dev.drover.model.api.BootstrapSecret;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterFlavorStatus.Prerequisite;
import dev.drover.model.api.ClusterFlavorSpec.GitOpsEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What clusters of a flavor need beyond the files Drover renders: the facts of docs/providers.md, per flavor, for the
 * flavor's status. Pure: a function of the flavor and the fleet settings.
 */
public final class FlavorPrerequisites {

    private FlavorPrerequisites() {
    }

    public static List<Prerequisite> of(ClusterFlavorSpec flavor, FleetSettings settings) {
        List<Prerequisite> needs = new ArrayList<>();
        ManagementEntry entry = ManagementEntry.of(flavor.provider());
        needs.add(new Prerequisite("cluster-api", switch (flavor.provider()) {
            case AWS_EKS, VCLUSTER -> "Cluster API core v1.14 on the management cluster";
            case AWS, VSPHERE, DOCKER -> "Cluster API core v1.14 with its kubeadm bootstrap and control-plane providers on the "
                    + "management cluster";
        }));
        switch (flavor.provider()) {
            case AWS_EKS -> {
                needs.add(new Prerequisite("capa", "Cluster API Provider AWS v2.11 with the MachinePool feature gate on "
                        + "(EXP_MACHINE_POOL=true for clusterctl init): node groups are MachinePools"));
                awsIdentity(flavor, needs);
                needs.add(new Prerequisite("api-endpoint", endpoint(flavor)));
                needs.add(new Prerequisite("addon-iam-roles", "per cluster, the IAM roles <team>-<cluster>-<add-on> of the add-ons "
                        + "that call AWS, trusting the cluster's OIDC provider (AWSManagedControlPlane status.oidcProvider "
                        + "holds its ARN and a trust policy); see docs/providers.md"));
            }
            case AWS -> {
                needs.add(new Prerequisite("capa", "Cluster API Provider AWS v2.11"));
                awsIdentity(flavor, needs);
                needs.add(new Prerequisite("machine-images", setting(flavor, "imageLookupOrg")
                        .map(owner -> "AMIs owned by account " + owner + " for every allowed version ("
                                + String.join(", ", flavor.kubernetesVersions().allowed()) + ") in every region ("
                                + String.join(", ", flavor.regions()) + "), named as imageLookupFormat says")
                        .orElse("Cluster API Provider AWS's published AMIs for every allowed version ("
                                + String.join(", ", flavor.kubernetesVersions().allowed()) + "); it publishes some versions only")));
                needs.add(new Prerequisite("node-role-policies", "the nodes' instance role (clusterawsadm nodes.extraPolicyAttachments) "
                        + "with the policies of the add-ons that call AWS without IAM roles for service accounts (EBS CSI, external-dns)"));
            }
            case VSPHERE -> {
                needs.add(new Prerequisite("capv", "Cluster API Provider vSphere v1.16"
                        + setting(flavor, "identityName").map(identity -> ", with the VSphereClusterIdentity " + identity).orElse("")));
                setting(flavor, "ipPool").ifPresent(pool -> needs.add(new Prerequisite("ipam", "the Cluster API in-cluster IPAM "
                        + "provider with the GlobalInClusterIPPool " + pool + " (and any pool a cluster names)")));
                needs.add(new Prerequisite("vm-templates", "in vCenter " + setting(flavor, "server").orElse("(providerSettings.server)")
                        + ", the VM templates " + String.join(", ", flavor.kubernetesVersions().machineImages().values())));
            }
            case VCLUSTER -> needs.add(new Prerequisite("vcluster-provider", "Cluster API Provider vcluster; the virtual clusters "
                    + "run where it runs" + setting(flavor, "hostCluster").map(host -> " (the flavor names host " + host + ")").orElse("")));
            case DOCKER -> needs.add(new Prerequisite("capd", "Cluster API Provider Docker, on a management cluster that reaches "
                    + "the Docker socket (kind with /var/run/docker.sock mounted); see docs/try-locally.md"));
        }
        needs.add(new Prerequisite("fleet-entry", "the GitOps engine applies management/teams and management/"
                + entry.directoryName() + " of the fleet repository (" + settings.repositoryUrl() + ", branch " + settings.branch() + ")"));
        if (flavor.effectiveGitops() == GitOpsEngine.ARGOCD) {
            needs.add(new Prerequisite("argocd", "Argo CD in namespace " + settings.argoCdNamespace() + ", with read access to the "
                    + "fleet repository and the health check of argoproj.io/Application (sync waves wait on it)"));
        } else {
            needs.add(new Prerequisite("flux", "Flux's source, kustomize and helm controllers" + settings.credentialsSecret()
                    .map(secret -> ", and the Secret " + secret + " (username, password) in each team namespace to read the fleet repository")
                    .orElse("")));
        }
        for (BootstrapSecret secret : flavor.bootstrapSecrets()) {
            needs.add(new Prerequisite("secret/" + secret.name(), "the Secret " + secret.name() + " in Drover's namespace on the "
                    + "management cluster (--management-namespace), copied into each cluster as " + secret.namespace() + "/"
                    + secret.target()));
        }
        return needs;
    }

    private static void awsIdentity(ClusterFlavorSpec flavor, List<Prerequisite> needs) {
        needs.add(new Prerequisite("aws-iam", setting(flavor, "identityKind").filter("AWSClusterControllerIdentity"::equals)
                .map(kind -> "the IAM roles and policies of clusterawsadm bootstrap iam in the account CAPA runs with")
                .orElse("the IAM roles and policies of clusterawsadm bootstrap iam in every team account, and the role CAPA "
                        + "assumes there as each Team environment's cloudAccount.roleArn")));
    }

    private static String endpoint(ClusterFlavorSpec flavor) {
        String access = setting(flavor, "endpointAccess").orElse("public-and-private");
        if (access.equals("private")) {
            return "a network path from the management cluster into each cluster's VPC (peering or a transit gateway): the "
                    + "API endpoint is private only";
        }
        return setting(flavor, "publicEndpointCidrs")
                .map(cidrs -> "the management cluster's egress addresses within publicEndpointCidrs (" + cidrs + ")")
                .orElse("nothing: the public endpoint is open to every address (set providerSettings.publicEndpointCidrs to restrict it)");
    }

    /** A provider setting, else the default of the variable of that name. */
    private static Optional<String> setting(ClusterFlavorSpec flavor, String name) {
        return Optional.ofNullable(flavor.providerSettings().get(name)).filter(value -> !value.isEmpty())
                .or(() -> flavor.variables().stream().filter(variable -> variable.name().equals(name)).findFirst()
                        .flatMap(ClusterFlavorSpec.Variable::defaultValue).map(value -> value.asText()));
    }
}
