package dev.drover.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterId;
import dev.drover.model.schema.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What Flux and Argo CD report of an Application's GitOps object, read as its health at the committed files. */
class ApplicationHealthTest {

    private static final ClusterId PROD = new ClusterId("payments", "payments-prod");
    private static final String COMMIT = "4a27cbc44de8ebe3d04836342fd248658dfff7b8";

    private static ApplicationHealth.Observed flux(String status) {
        return ApplicationHealth.of(PROD, "checkout", Optional.of(Json.parseObject("{\"status\":" + status + "}")),
                Optional.empty(), Optional.of(COMMIT), revision -> revision.endsWith(COMMIT));
    }

    private static ApplicationHealth.Observed argoCd(String status) {
        return ApplicationHealth.of(PROD, "checkout", Optional.empty(), Optional.of(Json.parseObject("{\"status\":" + status + "}")),
                Optional.of(COMMIT), revision -> revision.equals(COMMIT));
    }

    @Test
    void aFluxKustomizationIsHealthyWhenReadyAtARevisionHoldingTheCommit() {
        assertThat(flux("{\"lastAppliedRevision\":\"main@sha1:" + COMMIT + "\",\"conditions\":[{\"type\":\"Ready\","
                + "\"status\":\"True\"}]}")).isEqualTo(new ApplicationHealth.Observed(ApplicationDecision.Health.TRUE,
                "Kustomization payments-prod-app-checkout applied main@sha1:" + COMMIT + " and its workloads are ready"));
        assertThat(flux("{\"lastAppliedRevision\":\"main@sha1:0000\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}")
                .message()).isEqualTo("Kustomization payments-prod-app-checkout has not applied commit 4a27cbc44de8 yet "
                + "(applied main@sha1:0000)");
        ApplicationHealth.Observed failing = flux("{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
                + "\"reason\":\"HealthCheckFailed\",\"message\":\"timeout waiting for: [Deployment/payments/checkout status: "
                + "'InProgress']\"}]}");
        assertThat(failing.health()).isEqualTo(ApplicationDecision.Health.FALSE);
        assertThat(failing.message()).contains("HealthCheckFailed", "Deployment/payments/checkout");
    }

    @Test
    void anArgoCdApplicationIsHealthyWhenSyncedAtTheCommitAndHealthy() {
        assertThat(argoCd("{\"sync\":{\"status\":\"Synced\",\"revision\":\"" + COMMIT + "\"},\"health\":{\"status\":\"Healthy\"}}")
                .health()).isEqualTo(ApplicationDecision.Health.TRUE);
        assertThat(argoCd("{\"sync\":{\"status\":\"Synced\",\"revision\":\"" + COMMIT + "\"},\"health\":{\"status\":\"Degraded\"}}")
                .message()).isEqualTo("Argo CD Application payments.payments-prod.app.checkout is Synced and Degraded at "
                + "4a27cbc44de8");
        assertThat(argoCd("{\"sync\":{\"status\":\"OutOfSync\",\"revision\":\"ffff\"},\"health\":{\"status\":\"Healthy\"}}")
                .health()).isEqualTo(ApplicationDecision.Health.FALSE);
    }

    @Test
    void nothingApplyingItIsSaidByName() {
        assertThat(ApplicationHealth.of(PROD, "checkout", Optional.empty(), Optional.empty(), Optional.of(COMMIT), revision -> true)
                .message()).isEqualTo("nothing applies it on the management cluster yet (no Kustomization "
                + "payments-prod-app-checkout or Argo CD Application payments.payments-prod.app.checkout)");
    }
}
