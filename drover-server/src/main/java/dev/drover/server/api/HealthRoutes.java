package dev.drover.server.api;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /readyz} as kube-apiserver answers it ({@code ?verbose} lists each check as {@code [+]name ok} or
 * {@code [-]name failed: ...}), and {@code /metrics} in the Prometheus text format: each check's state, then Drover's
 * meters (API requests, controllers, store, fleet repository, connection pool, JVM).
 */
final class HealthRoutes {

    private final List<HealthCheck> checks;
    private final Clock clock;
    private final PrometheusMeterRegistry metrics;

    HealthRoutes(List<HealthCheck> checks, Clock clock, PrometheusMeterRegistry metrics) {
        this.checks = List.copyOf(checks);
        this.clock = clock;
        this.metrics = metrics;
    }

    void readyz(Context context) {
        Map<HealthCheck, HealthCheck.Result> results = probe();
        boolean ready = results.entrySet().stream().allMatch(entry -> entry.getValue().ok() || !entry.getKey().required());
        List<String> lines = new ArrayList<>();
        results.forEach((check, result) -> lines.add(result.ok() ? "[+]" + check.name() + " ok"
                : "[-]" + check.name() + " failed: " + result.detail() + (check.required() ? "" : " (not required for readiness)")));
        lines.add("readyz check " + (ready ? "passed" : "failed"));
        context.status(ready ? 200 : 500);
        context.contentType("text/plain; charset=utf-8");
        context.result(context.queryParamMap().containsKey("verbose") || !ready ? String.join("\n", lines) + "\n" : "ok");
    }

    /** {@code /livez}: ok unless a liveness check fails, then 500 naming it. */
    void livez(Context context) {
        List<String> failed = new ArrayList<>();
        checks.stream().filter(HealthCheck::liveness).forEach(check -> {
            HealthCheck.Result result = check.probe().get();
            if (!result.ok()) {
                failed.add("[-]" + check.name() + " failed: " + result.detail());
            }
        });
        context.contentType("text/plain; charset=utf-8");
        context.status(failed.isEmpty() ? 200 : 500);
        context.result(failed.isEmpty() ? "ok" : String.join("\n", failed) + "\nlivez check failed\n");
    }

    void metrics(Context context) {
        Map<HealthCheck, HealthCheck.Result> results = probe();
        var text = new StringBuilder();
        text.append("# HELP drover_health_check_ok Whether a health check passes (1) or fails (0).\n");
        text.append("# TYPE drover_health_check_ok gauge\n");
        results.forEach((check, result) -> text.append("drover_health_check_ok{check=\"").append(check.name()).append("\"} ")
                .append(result.ok() ? 1 : 0).append('\n'));
        text.append("# HELP drover_health_check_failing_seconds How long a failing health check has failed; 0 while it passes.\n");
        text.append("# TYPE drover_health_check_failing_seconds gauge\n");
        results.forEach((check, result) -> text.append("drover_health_check_failing_seconds{check=\"").append(check.name())
                .append("\"} ").append(result.failingSince().map(since -> Duration.between(since, clock.instant()).toSeconds())
                        .filter(seconds -> !result.ok()).orElse(0L)).append('\n'));
        text.append(metrics.scrape());
        context.contentType("text/plain; version=0.0.4; charset=utf-8");
        context.result(text.toString());
    }

    private Map<HealthCheck, HealthCheck.Result> probe() {
        Map<HealthCheck, HealthCheck.Result> results = new LinkedHashMap<>();
        checks.forEach(check -> results.put(check, check.probe().get()));
        return results;
    }
}
