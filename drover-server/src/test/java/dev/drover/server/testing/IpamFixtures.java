package dev.drover.server.testing;

import dev.drover.model.schema.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the IPAM tests and benchmark set up on a testenv management cluster, playing Cluster API and Flux. */
public final class IpamFixtures {

    private IpamFixtures() {
    }

    /** Installs Drover's pool CRD from the chart, as the Helm chart would, and the team's namespace. */
    public static void prepare(Kubectl management, String team) {
        Path module = Path.of("").toAbsolutePath();
        Path repository = Files.isDirectory(module.resolve("deploy")) ? module : module.getParent();
        management.run("apply", "-f", repository.resolve("deploy/helm/drover/crds/ipam.drover.dev_ippools.yaml").toString())
                .succeeded();
        management.run("wait", "--for=condition=Established", "crd/ippools.ipam.drover.dev", "--timeout=30s").succeeded();
        management.run("create", "namespace", team).succeeded();
    }

    /** The Cluster API Cluster Flux would have applied from the fleet repository, labelled as Drover renders it. */
    public static void capiCluster(Kubectl management, String team, String name, boolean paused) {
        management.runWithInput(Json.write(Json.parseObject("""
                {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"%s","namespace":"%s",
                 "labels":{"platform.drover.dev/cluster":"%s","platform.drover.dev/team":"%s"}},
                 "spec":{"paused":%s,"controlPlaneRef":{"apiGroup":"controlplane.cluster.x-k8s.io","kind":"KubeadmControlPlane",
                 "name":"%s-control-plane"}}}""".formatted(name, team, name, team, paused, name))),
                "apply", "--server-side", "--force-conflicts", "-f", "-").succeeded();
    }
}
