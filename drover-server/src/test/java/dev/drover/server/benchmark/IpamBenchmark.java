package dev.drover.server.benchmark;

import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.store.AddressAllocations;
import dev.drover.server.store.LeaderFence;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.testing.IpamFixtures;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import dev.drover.server.testing.TestDrover;
import dev.drover.server.testing.TestStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * IP address management: {@code make bench-ipam}. End to end, a thousand IPAddressClaims created by 8 clients (as
 * CAPV creates one per machine NIC) against the real kube-apiserver of {@code ../shared/testenv}, each timed from its
 * create to the moment a watch sees its IPAddress; then allocation in PostgreSQL alone, one claim per transaction
 * and a hundred per transaction. Option {@code --claims N} (default 1,000).
 */
public final class IpamBenchmark {

    private static final ResourceDefinitionContext CLAIMS = context("IPAddressClaim", "ipaddressclaims");
    private static final ResourceDefinitionContext ADDRESSES = context("IPAddress", "ipaddresses");

    private IpamBenchmark() {
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("ipam.cluster.x-k8s.io").withVersion("v1beta2").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    public static void main(String[] arguments) throws Exception {
        int claims = arguments.length == 2 && arguments[0].equals("--claims") ? Integer.parseInt(arguments[1]) : 1000;
        endToEnd(claims);
        inPostgres(claims);
        System.exit(0);
    }

    private static void endToEnd(int count) throws Exception {
        try (ManagementTestEnv management = ManagementTestEnv.startWithOrSkip(List.of("cluster-api"))) {
            Kubectl capi = management.kubectl();
            IpamFixtures.prepare(capi, "data-platform");
            try (TestDrover drover = TestDrover.startFreshWithExamples(Map.of(Option.MANAGEMENT_KUBECONFIG,
                    management.kubeconfig().toString()));
                 KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
                         Files.readString(management.kubeconfig()))).build()) {
                IpamFixtures.capiCluster(capi, "data-platform", "lakehouse-staging", false);
                while (capi.run("get", "ippools.ipam.drover.dev", "fra-dc1-nodes").exitCode() != 0) {
                    Thread.sleep(200);
                }
                Map<String, Long> created = new ConcurrentHashMap<>();
                Map<String, Long> answered = new ConcurrentHashMap<>();
                var watch = client.genericKubernetesResources(ADDRESSES).inNamespace("data-platform").inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(GenericKubernetesResource address) {
                                answered.putIfAbsent(address.getMetadata().getName(), System.nanoTime());
                            }

                            @Override
                            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                            }

                            @Override
                            public void onDelete(GenericKubernetesResource address, boolean finalStateUnknown) {
                            }
                        });
                long start = System.nanoTime();
                ExecutorService clients = Executors.newFixedThreadPool(8);
                for (int index = 0; index < count; index++) {
                    String name = "bench-vm-" + index + "-0-0";
                    clients.submit(() -> {
                        GenericKubernetesResource claim = Serialization.unmarshal("""
                                {"apiVersion":"ipam.cluster.x-k8s.io/v1beta2","kind":"IPAddressClaim","metadata":{"name":"%s",
                                 "namespace":"data-platform"},"spec":{"clusterName":"lakehouse-staging","poolRef":{"apiGroup":
                                 "ipam.drover.dev","kind":"IPPool","name":"fra-dc1-nodes"}}}""".formatted(name),
                                GenericKubernetesResource.class);
                        created.put(name, System.nanoTime());
                        client.genericKubernetesResources(CLAIMS).inNamespace("data-platform").resource(claim).create();
                    });
                }
                clients.shutdown();
                clients.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
                System.out.printf("claims created: %d in %d ms by 8 clients%n", count, (System.nanoTime() - start) / 1_000_000);
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (answered.size() < count && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long total = java.util.Collections.max(answered.values()) - start;
                watch.close();
                List<Double> latencies = new ArrayList<>();
                created.forEach((name, at) -> latencies.add(answered.containsKey(name) ? (answered.get(name) - at) / 1e6
                        : Double.POSITIVE_INFINITY));
                latencies.sort(null);
                System.out.printf("end to end: %d claims answered of %d, total %d ms, latency p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        answered.size(), count, total / 1_000_000, ApiBenchmark.percentile(latencies, 50),
                        ApiBenchmark.percentile(latencies, 99), latencies.getLast());
            }
        }
    }

    private static void inPostgres(int count) throws Exception {
        try (TestStore store = TestStore.start("ipam-bench-", Duration.ofMinutes(5))) {
            var pool = Json.parseObject("""
                    {"apiVersion":"platform.drover.dev/v1alpha1","kind":"IPPool","metadata":{"name":"bench"},
                     "spec":{"addresses":["10.64.0.0/16"],"prefix":16,"reuseAfter":"0m"}}""");
            store.store().write(new ReadHints(List.of(new ObjectKey(Kinds.IP_POOL.kind(), "", "bench")), List.of()),
                    transaction -> transaction.put(Kinds.IP_POOL.kind(), "", "bench", Map.of(), Map.of(), pool));
            var allocations = new AddressAllocations(store.database().dataSource(), Clock.systemUTC());
            for (int batch : List.of(1, 100)) {
                long start = System.nanoTime();
                for (int first = 0; first < count; first += batch) {
                    List<AddressAllocations.Holder> holders = new ArrayList<>();
                    for (int index = first; index < Math.min(count, first + batch); index++) {
                        holders.add(new AddressAllocations.Holder("bench", "uid-" + batch + "-" + index, "team", "claim-" + index,
                                "team", "cluster", "development", "machine-" + index));
                    }
                    allocations.allocate("bench", holders, LeaderFence.none());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("PostgreSQL alone, %d per transaction: %d allocations in %.2f s, %.0f/s%n", batch, count, seconds,
                        count / seconds);
                allocations.release("bench", allocations.list(new AddressAllocations.Query(java.util.Optional.of("bench"),
                        java.util.Optional.empty(), java.util.Optional.empty(), false)).stream()
                        .map(allocation -> allocation.holder().claimUid()).toList(), "released", LeaderFence.none());
            }
        }
    }
}
