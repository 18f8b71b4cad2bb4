package dev.drover.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.app.ScanReport;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.kube.WorkloadClusters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What trivy-operator reports of the images running in the workload clusters: its {@code VulnerabilityReport}s in the
 * namespace of the Applications of gated environments, read through the clusters' kubeconfig Secrets every resync on
 * a thread of its own (a workload cluster that does not answer holds up no controller), kept for the application
 * controller to read. A change tells the listener the cluster's team.
 */
final class RunningScans implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningScans.class);
    static final String API_VERSION = "aquasecurity.github.io/v1alpha1";
    static final String KIND = "VulnerabilityReport";

    private final Optional<ManagementCluster> management;
    private final WorkloadClusters workloads;
    private final Consumer<String> teamChanged;
    /** The clusters to read, with the namespace of their Applications. */
    private final Map<ClusterId, String> wanted = new ConcurrentHashMap<>();
    private final Map<ClusterId, List<ScanReport>> reports = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "workload-scans");
        thread.setDaemon(true);
        return thread;
    });

    RunningScans(Optional<ManagementCluster> management, WorkloadClusters workloads, Duration resync,
                 Consumer<String> teamChanged) {
        this.management = management;
        this.workloads = workloads;
        this.teamChanged = teamChanged;
        if (management.isPresent()) {
            poller.scheduleWithFixedDelay(this::poll, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Read this cluster's reports from now on (a target of a gated environment). */
    void want(ClusterId cluster, String namespace) {
        wanted.put(cluster, namespace);
    }

    /** The reports last read in the cluster; empty before the first read or without trivy-operator. */
    List<ScanReport> of(ClusterId cluster) {
        return reports.getOrDefault(cluster, List.of());
    }

    private void poll() {
        wanted.forEach((cluster, namespace) -> {
            try {
                Optional<JsonNode> kubeconfig = management.orElseThrow().observation(cluster).kubeconfig();
                if (kubeconfig.isEmpty()) {
                    return;
                }
                List<ScanReport> read = workloads.list(cluster, kubeconfig.get(), API_VERSION, KIND, namespace).stream()
                        .map(ScanReport::fromVulnerabilityReport).toList();
                if (!read.equals(reports.put(cluster, read))) {
                    teamChanged.accept(cluster.team());
                }
            } catch (RuntimeException unreachable) {
                // The last reports stay; the next resync tries again.
                LOG.debug("reading trivy-operator's reports in {} failed: {}", cluster, unreachable.toString());
            }
        });
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
