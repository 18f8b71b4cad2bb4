package dev.drover.server.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.selector.FieldSelector;
import dev.drover.model.selector.LabelSelector;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.testing.TestDrover;
import org.junit.jupiter.api.Test;

/** In-process callers write through the same path as HTTP requests: authorization, schema, admission, dry runs. */
class ResourceWriterIT {

    private static final Principal ADMIN = new Principal.PlatformAdmin("in-process-test");

    private final TestDrover drover = TestDrover.sharedWithExamples();
    private final ResourceWriter writer = drover.server().writer();

    @Test
    void anAdminCreatesATeamAndAClusterWhichAdmissionDefaultsAndLabels() {
        writer.create(ADMIN, Kinds.TEAM, "", team("rw-admitted"), ResourceWriter.Options.DEFAULT);

        ResourceWriter.Result created = writer.create(ADMIN, Kinds.CLUSTER, "rw-admitted", cluster("web", 3),
                ResourceWriter.Options.DEFAULT);

        ObjectNode stored = Json.parseObject(created.json());
        assertThat(stored.path("spec").path("kubernetesVersion").asText()).as("the flavor's default").isNotEmpty();
        assertThat(stored.path("metadata").path("labels").path("platform.drover.dev/team").asText()).isEqualTo("rw-admitted");
        assertThat(stored.path("metadata").path("finalizers").toString()).contains(Kinds.FLEET_FINALIZER);
    }

    @Test
    void aTeamPrincipalIsRefusedOutsideItsNamespaceAsOverHttp() {
        writer.create(ADMIN, Kinds.TEAM, "", team("rw-other"), ResourceWriter.Options.DEFAULT);
        var member = new Principal.TeamMember("in-process-member", "search");

        assertThatThrownBy(() -> writer.create(member, Kinds.CLUSTER, "rw-other", cluster("web", 3), ResourceWriter.Options.DEFAULT))
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(ApiException.Reason.FORBIDDEN);
                    assertThat(refused.getMessage()).contains("team \"search\"", "cannot create", "rw-other");
                });
        assertThatThrownBy(() -> writer.create(member, Kinds.TEAM, "", team("rw-refused"), ResourceWriter.Options.DEFAULT))
                .hasMessageContaining("only platform-admin tokens may change");
        assertThatThrownBy(() -> writer.deleteCollection(member, Kinds.CLUSTER, "rw-other", LabelSelector.parse(null),
                FieldSelector.parse(null), ResourceWriter.DeleteOptions.NONE)).hasMessageContaining("cannot deletecollection");
    }

    @Test
    void invalidInputNamesTheFieldAndADryRunStoresNothing() {
        writer.create(ADMIN, Kinds.TEAM, "", team("rw-checked"), ResourceWriter.Options.DEFAULT);

        assertThatThrownBy(() -> writer.create(ADMIN, Kinds.CLUSTER, "rw-checked", cluster("web", -1), ResourceWriter.Options.DEFAULT))
                .isInstanceOfSatisfying(ApiException.class, invalid -> {
                    assertThat(invalid.reason()).isEqualTo(ApiException.Reason.INVALID);
                    assertThat(invalid.causes()).extracting(cause -> cause.field()).anyMatch(field -> field.contains("maxSize"));
                });
        writer.create(ADMIN, Kinds.CLUSTER, "rw-checked", cluster("dry", 3), new ResourceWriter.Options(true, FieldValidation.STRICT, ResourceWriter.Options.DROVER));
        assertThat(drover.server().store().get(new ObjectKey(Kinds.CLUSTER.kind(), "rw-checked", "dry"))).isEmpty();
    }

    private static ObjectNode team(String name) {
        return Json.parseObject("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Team","metadata":{"name":"%s"},
                 "spec":{"displayName":"In-process","costCenter":"cc-9000","environments":[{"name":"development"}]}}""".formatted(name));
    }

    private static ObjectNode cluster(String name, int maxSize) {
        return Json.parseObject("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"%s"},
                 "spec":{"flavor":"docker-local","environment":"development",
                         "nodePools":[{"name":"general","instanceType":"container","minSize":1,"maxSize":%d}]}}""".formatted(name, maxSize));
    }
}
