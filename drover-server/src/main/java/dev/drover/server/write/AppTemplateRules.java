package dev.drover.server.write;

import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.AppTemplateValidation;
import dev.drover.model.validation.ApplicationValidation;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WriteTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * AppTemplates: valid on their own, and never changed so that an Application built to them stops being valid (a size
 * it uses removed, an advanced setting it gives no longer allowed): every such Application is named, so the platform
 * team moves them first. Not deleted while Applications use them.
 */
final class AppTemplateRules implements KindRules {

    /** Applications named in a refusal; the count says how many more. */
    private static final int NAMED = 10;

    private final SpecCache specs;

    AppTemplateRules(SpecCache specs) {
        this.specs = specs;
    }

    @Override
    public Admitted admit(Request request) {
        AppTemplateSpec template = Json.bind(request.spec(), AppTemplateSpec.class);
        AppTemplateValidation.check(request.name(), template);
        if (request.previous().isPresent()) {
            List<String> broken = new ArrayList<>();
            for (StoredObject stored : users(request.transaction(), request.name())) {
                ApplicationSpec application = specs.parsed(stored, ApplicationSpec.class).spec();
                Optional<TeamSpec> team = request.transaction().get(new ObjectKey(Kinds.TEAM.kind(), "", stored.namespace()))
                        .map(object -> specs.parsed(object, TeamSpec.class).spec());
                if (team.isEmpty()) {
                    continue;
                }
                try {
                    ApplicationValidation.check(stored.name(), application, Optional.of(template), team.get());
                } catch (ApiException invalid) {
                    broken.add(stored.namespace() + "/" + stored.name() + " (" + invalid.getMessage() + ")");
                }
            }
            if (!broken.isEmpty()) {
                throw ApiException.invalid(Kinds.APP_TEMPLATE, request.name(), List.of(FieldError.invalid("spec", "(template)",
                        broken.size() + " Application(s) built to the template would no longer be valid: " + named(broken)
                                + "; change them first, or keep what they use")));
            }
        }
        return new Admitted(Json.toTree(template));
    }

    @Override
    public void beforeDelete(WriteTransaction transaction, String name) {
        List<String> users = users(transaction, name).stream().map(stored -> stored.namespace() + "/" + stored.name()).toList();
        if (!users.isEmpty()) {
            throw ApiException.conflict(Kinds.APP_TEMPLATE, name, users.size() + " Application(s) are built to it: "
                    + named(users) + "; move them to another template or delete them first (`kubectl get applications -A -l "
                    + Kinds.TEMPLATE_LABEL + "=" + name + "`)");
        }
    }

    private static List<StoredObject> users(WriteTransaction transaction, String template) {
        return transaction.labelled(Kinds.APPLICATION.kind(), Kinds.TEMPLATE_LABEL, template);
    }

    private static String named(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(NAMED, names.size())))
                + (names.size() > NAMED ? " and " + (names.size() - NAMED) + " more" : "");
    }
}
