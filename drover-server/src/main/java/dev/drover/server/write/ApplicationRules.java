package dev.drover.server.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.app.ImageReference;
import dev.drover.model.app.ScanReport;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.ApplicationValidation;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.store.WriteTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applications: built to an AppTemplate that exists, within the team's environments and the template's sizes and
 * advanced settings, and through the scan gate: an image entering an environment whose template has a gate must be
 * pinned by digest and have a scan of that digest, reported for the team, without findings the gate blocks. The gate
 * is checked when an environment's image changes; an image that turns out vulnerable later is the status's
 * ScanPassed condition, not a refusal of unrelated edits.
 */
final class ApplicationRules implements KindRules {

    private final SpecCache specs;

    ApplicationRules(SpecCache specs) {
        this.specs = specs;
    }

    @Override
    public ReadHints reads(ObjectKey key, ObjectNode object) {
        return new ReadHints(List.of(key, new ObjectKey(Kinds.TEAM.kind(), "", key.namespace()),
                new ObjectKey(Kinds.APP_TEMPLATE.kind(), "", object.path("spec").path("template").asText(""))), List.of());
    }

    @Override
    public Admitted admit(Request request) {
        WriteTransaction transaction = request.transaction();
        ApplicationSpec application = Json.bind(request.spec(), ApplicationSpec.class);
        TeamSpec team = specs.parsed(transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", request.namespace())).orElseThrow(),
                TeamSpec.class).spec();
        Optional<AppTemplateSpec> template = transaction.get(new ObjectKey(Kinds.APP_TEMPLATE.kind(), "", application.template()))
                .map(stored -> specs.parsed(stored, AppTemplateSpec.class).spec());
        ApplicationValidation.check(request.name(), application, template, team);
        Optional<ApplicationSpec> previous = request.previous().map(stored -> specs.parsed(stored, ApplicationSpec.class).spec());
        scanGate(transaction, request.namespace(), request.name(), application, previous, template.orElseThrow());
        // Labelled with its team as Clusters are, so that a cluster's change finds the team's Applications by index.
        return new Admitted(Json.toTree(application), Map.of(Kinds.TEMPLATE_LABEL, application.template(),
                Kinds.LABEL_PREFIX + "team", request.namespace()), Map.of(), List.of());
    }

    /** @throws ApiException Invalid naming each environment whose new image the gate keeps out, and why */
    private static void scanGate(WriteTransaction transaction, String team, String name, ApplicationSpec application,
                                 Optional<ApplicationSpec> previous, AppTemplateSpec template) {
        List<FieldError> errors = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        record Entering(String field, String environment, String image, String digest, AppTemplateSpec.ScanGate gate) {
        }
        List<Entering> entering = new ArrayList<>();
        for (int index = 0; index < application.environments().size(); index++) {
            ApplicationSpec.Environment environment = application.environments().get(index);
            Optional<AppTemplateSpec.ScanGate> gate = template.scanGate(environment.name());
            String image = application.imageFor(environment.name());
            boolean changed = previous.map(before -> before.environment(environment.name()).isEmpty()
                    || !before.imageFor(environment.name()).equals(image)).orElse(true);
            if (gate.isEmpty() || !changed) {
                continue;
            }
            String field = environment.image().isPresent() ? "spec.environments[" + index + "].image" : "spec.image";
            Optional<String> digest = ImageReference.parse(image).digest();
            if (digest.isEmpty()) {
                errors.add(FieldError.invalid(field, image, "environment " + environment.name() + " has a scan gate (blocks "
                        + blocks(gate.get()) + "), so its image must be pinned by digest (…@sha256:<64 hex>): a tag can point "
                        + "at other bytes after the scan"));
                continue;
            }
            digests.add(digest.get());
            entering.add(new Entering(field, environment.name(), image, digest.get(), gate.get()));
        }
        Map<String, ImageScans.Scan> scans = ImageScans.latest(transaction, team, digests);
        for (Entering entry : entering) {
            String digest = entry.digest();
            ImageScans.Scan scan = scans.get(digest);
            if (scan == null) {
                errors.add(FieldError.invalid(entry.field(), entry.image(), "environment " + entry.environment() + " takes "
                        + "an image only with a scan of its digest (its gate blocks " + blocks(entry.gate()) + "), and team "
                        + team + " has reported none for " + digest + "; report one with `drover app scan-result " + name
                        + " -n " + team + " --image " + entry.image() + " --file trivy.json`"));
                continue;
            }
            List<ScanReport.Finding> blocking = scan.report().blockedBy(entry.gate());
            if (!blocking.isEmpty()) {
                errors.add(FieldError.invalid(entry.field(), entry.image(), "blocked by the scan gate of environment "
                        + entry.environment() + " (blocks " + blocks(entry.gate()) + "): the scan reported "
                        + scan.reportedAt() + " has " + blocking.size() + " blocking finding(s): "
                        + ScanReport.describe(blocking) + "; fix them and report a new scan of the new image"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.APPLICATION, name, errors);
        }
    }

    static String blocks(AppTemplateSpec.ScanGate gate) {
        return String.join(", ", gate.block().stream().map(Enum::name).toList())
                + (gate.ignoreUnfixed().orElse(false) ? " with a fix" : "");
    }
}
