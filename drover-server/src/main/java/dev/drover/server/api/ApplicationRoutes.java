package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.app.ImageReference;
import dev.drover.model.app.Scaffold;
import dev.drover.model.app.ScanReport;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.server.auth.Authorizer;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * The Applications' own subresources: {@code scan} (POST a Trivy JSON report of an image digest, which the scan gates
 * then read) and {@code scaffold} (GET the Dockerfile and pipelines of the Application's template). Promotion is a
 * write and goes through the {@link dev.drover.server.write.ResourceWriter}.
 */
final class ApplicationRoutes {

    private final ResourceStore store;
    private final Authorizer authorizer;
    private final ImageScans scans;

    ApplicationRoutes(ResourceStore store, Authorizer authorizer, ImageScans scans) {
        this.store = store;
        this.authorizer = authorizer;
        this.scans = scans;
    }

    /**
     * Keeps the report as the latest of its digest for the Application's team. Body: {@code {"image": "<ref>@sha256:…",
     * "report": <trivy image --format json>}}; the answer says, per environment with a gate, whether it passes.
     */
    void scan(Context context, ResourcePath path, Principal principal) {
        String team = path.namespaceOrEmpty();
        String name = path.name().orElseThrow();
        authorizer.check(principal, new Authorizer.Request("create", Kinds.APPLICATION, path.namespace(), path.name(), "scan"));
        RequestBodies.requireMediaType(context, List.of(RequestBodies.JSON));
        JsonNode body = RequestBodies.read(context);
        ApplicationSpec application = application(team, name);
        String image = body.path("image").asText("");
        Optional<String> digest = ImageReference.parse(image).digest();
        if (digest.isEmpty() || !image.matches(ApplicationSpec.IMAGE)) {
            throw ApiException.invalid(Kinds.APPLICATION, name, List.of(FieldError.invalid("image", image, "name the scanned "
                    + "image by digest, such as registry.example.com/team/app:1.4@sha256:<64 hex>: a gate trusts a scan of "
                    + "those bytes only")));
        }
        ScanReport report = ScanReport.fromTrivy(body.path("report"));
        if (!report.digests().isEmpty() && !report.digests().contains(digest.get())) {
            throw ApiException.invalid(Kinds.APPLICATION, name, List.of(FieldError.invalid("report", report.artifact(),
                    "the report is of " + String.join(", ", report.digests()) + ", not of " + digest.get()
                            + "; report the scan of the image you name")));
        }
        ImageScans.Scan scan = scans.record(team, digest.get(), image, "trivy", report, principal.describe());
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("image", image);
        answer.put("digest", digest.get());
        answer.put("summary", ScanReport.summary(report.counts()));
        answer.put("reportedAt", scan.reportedAt().toString());
        ArrayNode environments = answer.putArray("environments");
        Optional<AppTemplateSpec> template = spec(new ObjectKey(Kinds.APP_TEMPLATE.kind(), "", application.template()),
                AppTemplateSpec.class);
        for (ApplicationSpec.Environment environment : application.environments()) {
            Optional<AppTemplateSpec.ScanGate> gate = template.flatMap(spec -> spec.scanGate(environment.name()));
            ObjectNode entry = environments.addObject();
            entry.put("name", environment.name());
            if (gate.isEmpty()) {
                entry.put("verdict", "no gate");
                continue;
            }
            List<ScanReport.Finding> blocking = report.blockedBy(gate.get());
            entry.put("verdict", blocking.isEmpty() ? "passes" : "blocked");
            if (!blocking.isEmpty()) {
                entry.put("blocking", ScanReport.describe(blocking));
            }
        }
        ResourceRoutes.respondJson(context, 201, answer);
    }

    /** {@code {"files": {"Dockerfile": "...", ".github/workflows/drover.yaml": "...", ...}}}. */
    void scaffold(Context context, ResourcePath path, Principal principal) {
        String team = path.namespaceOrEmpty();
        String name = path.name().orElseThrow();
        authorizer.check(principal, new Authorizer.Request("get", Kinds.APPLICATION, path.namespace(), path.name(), "scaffold"));
        ApplicationSpec application = application(team, name);
        AppTemplateSpec template = spec(new ObjectKey(Kinds.APP_TEMPLATE.kind(), "", application.template()), AppTemplateSpec.class)
                .orElseThrow(() -> ApiException.notFound(Kinds.APP_TEMPLATE, application.template()));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ObjectNode files = answer.putObject("files");
        Scaffold.files(team, name, application, application.template(), template).forEach(files::put);
        ResourceRoutes.respondJson(context, 200, answer);
    }

    private ApplicationSpec application(String team, String name) {
        return spec(new ObjectKey(Kinds.APPLICATION.kind(), team, name), ApplicationSpec.class)
                .orElseThrow(() -> ApiException.notFound(Kinds.APPLICATION, name));
    }

    private <S> Optional<S> spec(ObjectKey key, Class<S> type) {
        return store.get(key).map(stored -> Json.bind(Json.parseObject(stored.json()).path("spec"), type));
    }
}
