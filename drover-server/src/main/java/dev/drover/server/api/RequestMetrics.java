package dev.drover.server.api;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * drover_api_requests_seconds: every request by verb (the method, WATCH for a watch), resource (the plural of a
 * Drover kind with its subresource, a core resource, or the endpoint) and status code. Names in a path other than the
 * resource's never become tags, so the number of series stays bounded.
 */
final class RequestMetrics {

    private static final String STARTED = "drover.request.started";
    private static final Set<String> ENDPOINTS = Set.of("healthz", "livez", "readyz", "metrics", "version", "openapi", "apis",
            "api", "reports", "drover");

    private final MeterRegistry metrics;

    RequestMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void started(Context context) {
        context.attribute(STARTED, System.nanoTime());
    }

    void finished(Context context) {
        Long started = context.attribute(STARTED);
        if (started == null) {
            return;
        }
        String verb = context.method().name().equals("GET") && ResourceRoutes.isWatch(context) ? "WATCH" : context.method().name();
        Timer.builder("drover.api.requests").description("API requests, and how long they took (a watch: how long it was open)")
                .tag("verb", verb).tag("resource", resource(context.path())).tag("code", Integer.toString(context.statusCode()))
                .register(metrics).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    static String resource(String path) {
        if (path.startsWith(ResourcePath.PREFIX)) {
            List<String> segments = List.of(path.substring(ResourcePath.PREFIX.length()).split("/"));
            if (segments.size() >= 3 && segments.getFirst().equals("namespaces")) {
                segments = segments.subList(2, segments.size());
            }
            return segments.size() == 3 ? segments.get(0) + "/" + segments.get(2) : segments.getFirst();
        }
        if (path.startsWith("/api/v1/")) {
            return path.contains("/events") ? "events" : "namespaces";
        }
        String first = path.length() > 1 ? path.substring(1).split("/")[0] : "";
        return ENDPOINTS.contains(first) ? first : "other";
    }
}
