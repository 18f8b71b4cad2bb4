package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.server.testing.TestDrover;
import dev.drover.server.tls.ServingCertificate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fabric8 Kubernetes client as a second real client: generic resources, list, watch and an informer. */
class Fabric8ClientIT {

    private static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("platform.drover.dev").withVersion("v1alpha1").withKind("Cluster").withPlural("clusters")
            .withNamespaced(true).build();
    private static final ResourceDefinitionContext TEAMS = new ResourceDefinitionContext.Builder()
            .withGroup("platform.drover.dev").withVersion("v1alpha1").withKind("Team").withPlural("teams")
            .withNamespaced(false).build();

    private static KubernetesClient client(TestDrover drover) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(drover.url())
                .withCaCertData(ServingCertificate.base64(drover.certificatePem()))
                .withOauthToken(drover.adminToken())
                // Drover serves watches as streaming HTTP only and refuses WebSocket upgrades with 503, which fabric8
                // retries before it falls back; skipping WebSockets leaves the retries to real outages, and nine of
                // them (100 ms doubling, about 50 s) span a restart of the server on a loaded machine.
                .withOnlyHttpWatches(true)
                .withRequestRetryBackoffLimit(9)
                // Reconnects back off up to 2^5 times this interval; keep the gap short while the server restarts.
                .withWatchReconnectInterval(200)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static GenericKubernetesResource team(String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion("platform.drover.dev/v1alpha1").withKind("Team")
                .withNewMetadata().withName(name).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("environments", List.of(Map.of("name", "development")))))
                .build();
    }

    private static GenericKubernetesResource cluster(String team, String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion("platform.drover.dev/v1alpha1").withKind("Cluster")
                .withNewMetadata().withName(name).withNamespace(team).addToLabels("app", "web").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("flavor", "vcluster-dev", "environment", "development")))
                .build();
    }

    @Test
    void readsAndWritesGenericResources() {
        TestDrover drover = TestDrover.sharedWithExamples();
        try (KubernetesClient client = client(drover)) {
            List<GenericKubernetesResource> examples = client.genericKubernetesResources(CLUSTERS).inAnyNamespace().list()
                    .getItems();
            assertThat(examples).extracting(item -> item.getMetadata().getName()).contains("payments-prod", "notebooks-dev");

            client.genericKubernetesResources(TEAMS).resource(team("fabric8-crud")).create();
            GenericKubernetesResource created = client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-crud")
                    .resource(cluster("fabric8-crud", "sandbox")).create();
            assertThat(created.getMetadata().getUid()).isNotEmpty();
            assertThat(created.getMetadata().getLabels()).containsEntry("platform.drover.dev/provider", "vcluster");

            List<GenericKubernetesResource> selected = client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-crud")
                    .withLabel("platform.drover.dev/flavor", "vcluster-dev").list().getItems();
            assertThat(selected).extracting(item -> item.getMetadata().getName()).containsExactly("sandbox");

            assertThatThrownBy(() -> client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-crud")
                    .resource(cluster("fabric8-crud", "sandbox")).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, error -> assertThat(error.getCode()).isEqualTo(409));
            client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-crud").withName("sandbox").delete();
            // The fleet-repository finalizer holds the Cluster until the fleet reconciler lets it go.
            client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-crud").withName("sandbox")
                    .waitUntilCondition(java.util.Objects::isNull, 30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-crud").withName("sandbox").get()).isNull();
        }
    }

    @Test
    void watchesChanges() throws Exception {
        TestDrover drover = TestDrover.sharedWithExamples();
        try (KubernetesClient client = client(drover)) {
            client.genericKubernetesResources(TEAMS).resource(team("fabric8-watch")).create();
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            try (Watch ignored = client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-watch")
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, GenericKubernetesResource resource) {
                            events.add(action + " " + resource.getMetadata().getName());
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                        }
                    })) {
                client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-watch")
                        .resource(cluster("fabric8-watch", "watched")).create();
                client.genericKubernetesResources(CLUSTERS).inNamespace("fabric8-watch").withName("watched").delete();
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED watched");
                String next = events.poll(10, TimeUnit.SECONDS);
                // Status writes and the finalizer's deletion timestamp arrive as MODIFIED before the deletion.
                while ("MODIFIED watched".equals(next)) {
                    next = events.poll(10, TimeUnit.SECONDS);
                }
                assertThat(next).isEqualTo("DELETED watched");
            }
        }
    }

    @Test
    void anInformerSurvivesAServerRestart() throws Exception {
        try (TestDrover drover = TestDrover.startFreshWithExamples(); KubernetesClient client = client(drover)) {
            client.genericKubernetesResources(TEAMS).resource(team("restarts")).create();
            client.genericKubernetesResources(CLUSTERS).inNamespace("restarts").resource(cluster("restarts", "before")).create();
            BlockingQueue<String> added = new LinkedBlockingQueue<>();
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(CLUSTERS)
                    .inNamespace("restarts").inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(GenericKubernetesResource resource) {
                            added.add(resource.getMetadata().getName());
                        }

                        @Override
                        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                        }

                        @Override
                        public void onDelete(GenericKubernetesResource resource, boolean finalStateUnknown) {
                        }
                    }, 0);
            assertThat(added.poll(10, TimeUnit.SECONDS)).isEqualTo("before");

            drover.stop();
            drover.restart();
            client.genericKubernetesResources(CLUSTERS).inNamespace("restarts").resource(cluster("restarts", "after")).create();
            String next = added.poll(60, TimeUnit.SECONDS);
            assertThat(next).as("the informer after the restart: running %s, watching %s, last synced version %s",
                    informer.isRunning(), informer.isWatching(), informer.lastSyncResourceVersion()).isEqualTo("after");
            assertThat(informer.getStore().list()).extracting(item -> item.getMetadata().getName())
                    .containsExactlyInAnyOrder("before", "after");
            informer.close();
        }
    }
}
