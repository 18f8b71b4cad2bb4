package dev.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Applications within their template and team; every field that is wrong named at once. */
class ApplicationValidationTest {

    private final FleetSnapshot examples = ExampleFleet.snapshot();
    private final AppTemplateSpec nodeService = examples.applications().templates().get("node-service").spec();

    @Test
    void theExamplesAndTheirTemplatesAreValid() {
        examples.applications().templates().forEach((name, template) ->
                assertThatCode(() -> AppTemplateValidation.check(name, template.spec())).doesNotThrowAnyException());
        examples.applications().applications().values().forEach(application -> assertThatCode(() ->
                ApplicationValidation.check(application.name(), application.spec(), Optional.of(examples.applications()
                        .templates().get(application.spec().template()).spec()), examples.teams().get(application.team())))
                .doesNotThrowAnyException());
    }

    @Test
    void advancedSettingsTheTemplateDoesNotAllowAreRefusedByName() {
        var advanced = new ApplicationSpec.Advanced(Map.of("LOG_LEVEL", "debug"), Optional.empty(),
                List.of(new ApplicationSpec.Port("metrics", 9100)), Optional.empty(), Map.of("disk", "ssd"), List.of(),
                List.of(new ApplicationSpec.Patch(ApplicationSpec.PatchOperation.ADD, "/spec/template/spec/hostNetwork",
                        Optional.of(dev.drover.model.schema.Json.MAPPER.getNodeFactory().booleanNode(true)))));
        var application = new ApplicationSpec("node-service", "registry.example.com/search/query-api:3.2.0", 3000, "huge",
                List.of(new ApplicationSpec.Environment("staging", List.of(), Optional.empty(), Optional.empty())),
                Optional.of(advanced), Optional.empty());
        assertThatThrownBy(() -> ApplicationValidation.check("query-api", application, Optional.of(nodeService),
                examples.teams().get("search")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("spec.size: Unsupported value: \"huge\"")
                .hasMessageContaining("spec.environments[0].name: Unsupported value: \"staging\"")
                .hasMessageContaining("spec.advanced.extraPorts: Forbidden")
                .hasMessageContaining("spec.advanced.nodeSelector: Forbidden")
                .hasMessageContaining("spec.advanced.patches: Forbidden")
                .hasMessageContaining("allows: variables, ingressHost")
                .hasMessageContaining("spec.advanced.patches[0].path");
    }

    @Test
    void aMissingTemplateIsNamedWithHowToListThem() {
        var application = new ApplicationSpec("go-service", "registry.example.com/search/query-api:3.2.0", 3000, "small",
                List.of(new ApplicationSpec.Environment("development", List.of(), Optional.empty(), Optional.empty())),
                Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> ApplicationValidation.check("query-api", application, Optional.empty(),
                examples.teams().get("search"))).hasMessageContaining("spec.template").hasMessageContaining("go-service")
                .hasMessageContaining("kubectl get apptemplates");
    }
}
