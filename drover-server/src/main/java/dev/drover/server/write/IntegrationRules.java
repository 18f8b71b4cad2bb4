package dev.drover.server.write;

import dev.drover.model.api.IntegrationSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/** Integrations: an HTTPS endpoint, a readable CA bundle, sane limits, and a hold only for machine removals. */
final class IntegrationRules implements KindRules {

    /** The hook annotation's name part ({@code drover-<name>}) is a label name: at most 63 characters. */
    static final int MAX_NAME = 56;

    @Override
    public Admitted admit(Request request) {
        IntegrationSpec integration = Json.bind(request.spec(), IntegrationSpec.class);
        List<FieldError> errors = new ArrayList<>();
        if (request.name().length() > MAX_NAME) {
            errors.add(FieldError.invalid("metadata.name", request.name(), "at most " + MAX_NAME + " characters: it names the "
                    + "pre-terminate hook annotation drover-<name> on Machines"));
        }
        integration.clusterSelector().ifPresent(selector -> errors.addAll(selector.check("spec.clusterSelector")));
        if (integration.events().isEmpty()) {
            errors.add(FieldError.required("spec.events", "name at least one of clusterCreated, clusterReady, clusterDeleted, "
                    + "machineAdded, machineRemoved"));
        }
        IntegrationSpec.Webhook webhook = integration.webhook();
        try {
            URI url = URI.create(webhook.url());
            if (!"https".equals(url.getScheme()) || url.getHost() == null) {
                errors.add(FieldError.invalid("spec.webhook.url", webhook.url(), "give an https:// URL with a host"));
            }
        } catch (IllegalArgumentException unreadable) {
            errors.add(FieldError.invalid("spec.webhook.url", webhook.url(), "not a URL: " + unreadable.getMessage()));
        }
        webhook.caBundle().ifPresent(bundle -> {
            try {
                if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                        bundle.getBytes(StandardCharsets.UTF_8))).isEmpty()) {
                    errors.add(FieldError.invalid("spec.webhook.caBundle", "(PEM)", "holds no certificate"));
                }
            } catch (CertificateException | RuntimeException unreadable) {
                errors.add(FieldError.invalid("spec.webhook.caBundle", "(PEM)", "not PEM certificates: " + unreadable.getMessage()));
            }
        });
        webhook.timeoutSeconds().filter(seconds -> seconds > 300).ifPresent(seconds -> errors.add(FieldError.invalid(
                "spec.webhook.timeoutSeconds", seconds, "at most 300")));
        webhook.maxAttempts().filter(attempts -> attempts > 100).ifPresent(attempts -> errors.add(FieldError.invalid(
                "spec.webhook.maxAttempts", attempts, "at most 100")));
        if (integration.holdMachineDeletion().isPresent()) {
            if (!integration.events().contains(IntegrationSpec.Event.MACHINE_REMOVED)) {
                errors.add(FieldError.invalid("spec.holdMachineDeletion", integration.holdMachineDeletion().get(),
                        "holds a Machine's deletion until its machineRemoved event is acknowledged; add machineRemoved to "
                                + "spec.events, or remove the hold"));
            }
            if (integration.hold().map(java.time.Duration::isZero).orElse(true)) {
                errors.add(FieldError.invalid("spec.holdMachineDeletion", integration.holdMachineDeletion().get(),
                        "give a duration above zero, such as 30m"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.INTEGRATION, request.name(), errors);
        }
        return new Admitted(Json.toTree(integration));
    }
}
