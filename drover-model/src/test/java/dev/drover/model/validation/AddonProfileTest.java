package dev.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.addon.AddonResolution;
import dev.drover.model.addon.Placeholders;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** AddonProfile validation, resolution between profiles, a Cluster's choices, and placeholders. */
class AddonProfileTest {

    private static final Set<String> ENVIRONMENTS = Set.of("development", "staging", "production");
    private static final Set<String> VARIABLES = Set.of("logRetentionDays");

    private static <T> T read(String json, Class<T> type) {
        return Json.bind(Json.parseObject(json.replace('\'', '"')), type);
    }

    private static AddonProfileSpec profile(String json) {
        return read(json, AddonProfileSpec.class);
    }

    private static String chartAddon(String name, String version, String extra) {
        return "{'name':'" + name + "','namespace':'" + name + "','chart':{'repository':'https://charts.example.com','name':'"
                + name + "'},'version':'" + version + "'" + extra + "}";
    }

    @Test
    void cyclesAreFoundInOnePassOverLongChainsAndLattices() {
        // A chain of 10,000 add-ons closed into a cycle, and a lattice where every add-on depends on the two before
        // it: a search without memory of finished add-ons takes quadratic and exponential time on these.
        StringBuilder chain = new StringBuilder("{'addons':[");
        int count = 10_000;
        for (int index = 0; index < count; index++) {
            chain.append(index == 0 ? "" : ",").append(chartAddon("a" + index, "1.0.0", ",'dependsOn':['a" + ((index + 1) % count) + "']"));
        }
        AddonProfileSpec closed = profile(chain.append("]}").toString());
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> AddonProfileValidation.check("chain", closed, ENVIRONMENTS, VARIABLES));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactly("spec.addons[0].dependsOn");
        assertThat(refused.causes().getFirst().message()).contains("a0 -> a1 -> a2").contains("a9999 -> a0");

        StringBuilder lattice = new StringBuilder("{'addons':[").append(chartAddon("l0", "1.0.0", ""))
                .append(",").append(chartAddon("l1", "1.0.0", ",'dependsOn':['l0']"));
        for (int index = 2; index < 200; index++) {
            lattice.append(",").append(chartAddon("l" + index, "1.0.0", ",'dependsOn':['l" + (index - 1) + "','l" + (index - 2) + "']"));
        }
        AddonProfileValidation.check("lattice", profile(lattice.append("]}").toString()), ENVIRONMENTS, VARIABLES);
    }

    @Test
    void refusesUnknownPlaceholdersCyclesAndAmbiguousSourcesWithTheirFields() {
        AddonProfileSpec spec = profile("{'addons':["
                + chartAddon("a", "1.0.0", ",'dependsOn':['b'],'values':{'owner':'${team.name}','x':{'y':'${cluster.zone}'},"
                + "'days':'${var.logRetentionDays}'}")
                + "," + chartAddon("b", "1.0.0", ",'dependsOn':['a'],'versions':{'prodution':'0.9.0'},'values':{'broken':'${cluster.name'}")
                + ",{'name':'c','namespace':'Not_A_Namespace','version':'1','dependsOn':['nothing']}"
                + ",{'name':'d','namespace':'d','git':{'url':'https://git.example.com/x'},'version':'v1','values':{'a':1}}"
                + "]}");
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> AddonProfileValidation.check("standard", spec, ENVIRONMENTS, VARIABLES));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.addons[0].values.x.y", "spec.addons[1].values", "spec.addons[1].versions.prodution",
                "spec.addons[2].namespace", "spec.addons[2]", "spec.addons[2].dependsOn[0]", "spec.addons[3].values",
                "spec.addons[0].dependsOn");
        assertThat(refused.getMessage()).contains("${cluster.zone}", "unknown placeholder", "a -> b -> a",
                "set exactly one source", "no ClusterFlavor allows this environment");
    }

    @Test
    void acceptsTheExampleShapes() {
        AddonProfileValidation.check("standard", profile("{'clusterSelector':{'matchLabels':{'platform.drover.dev/provider':'aws'},"
                + "'matchExpressions':[{'key':'tier','operator':'Exists'}]},'addons':["
                + chartAddon("cert-manager", "v1.19.1", ",'versions':{'production':'v1.18.2'},'values':{'days':'${var.logRetentionDays}'}")
                + "," + chartAddon("issuers", "1.0.0", ",'dependsOn':['cert-manager']") + "]}"), ENVIRONMENTS, VARIABLES);
    }

    @Test
    void aFoundationAddonDependsOnlyOnFoundationAddonsAndSettingsArePlaceholders() {
        AddonProfileSpec spec = profile("{'addons':[" + chartAddon("cni", "1.0.0", ",'foundation':true,'dependsOn':['dns']")
                + "," + chartAddon("dns", "1.0.0", ",'values':{'server':'${flavor.setting.server}'}") + "]}");
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> AddonProfileValidation.check("standard", spec, ENVIRONMENTS, VARIABLES));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactly("spec.addons[0].dependsOn[0]");
        assertThat(refused.getMessage()).contains("can depend only on foundation add-ons");
    }

    @Test
    void anAddonOnTheManagementClusterRunsInTheTeamsNamespaceAndOneInTheWorkloadClusterNamesItsOwn() {
        AddonProfileSpec spec = profile("{'addons':[" + chartAddon("autoscaler", "1.0.0", ",'runsOn':'management'")
                + ",{'name':'dns','chart':{'repository':'https://charts.example.com','name':'dns'},'version':'1.0.0'}"
                + ",{'name':'scaler','runsOn':'management','chart':{'repository':'https://charts.example.com','name':'s'},'version':'1'}"
                + "]}");
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> AddonProfileValidation.check("standard", spec, ENVIRONMENTS, VARIABLES));
        assertThat(refused.causes()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("spec.addons[0].namespace", "spec.addons[1].namespace");
        assertThat(refused.getMessage()).contains("runs in the team's namespace on the management cluster; remove namespace",
                "name the workload cluster's namespace");
    }

    @Test
    void theHigherPriorityWinsAndEqualPriorityWithDifferentSettingsIsAConflict() {
        var profiles = new TreeMap<String, AddonProfileSpec>();
        profiles.put("baseline", profile("{'addons':[" + chartAddon("ingress", "4.0.0", "") + "," + chartAddon("dns", "1.0.0", "") + "]}"));
        profiles.put("payments", profile("{'priority':10,'clusterSelector':{'matchLabels':{'team':'payments'}},'addons':["
                + chartAddon("ingress", "4.1.0", "") + "]}"));
        profiles.put("same-dns", profile("{'addons':[" + chartAddon("dns", "1.0.0", "") + "]}"));

        var payments = AddonResolution.resolve(Map.of("team", "payments"), profiles);
        assertThat(payments.conflicts()).isEmpty();
        assertThat(payments.addons().get("ingress").profile()).isEqualTo("payments");
        assertThat(payments.addons().get("dns").profile()).as("equal settings are no conflict").isEqualTo("baseline");
        assertThat(AddonResolution.resolve(Map.of("team", "search"), profiles).addons().get("ingress").profile()).isEqualTo("baseline");

        profiles.put("other-dns", profile("{'addons':[" + chartAddon("dns", "2.0.0", "") + "]}"));
        var conflicted = AddonResolution.resolve(Map.of(), profiles);
        assertThat(conflicted.addons()).doesNotContainKey("dns");
        assertThat(conflicted.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.profiles()).containsExactly("baseline", "other-dns", "same-dns");
            assertThat(conflict.message()).contains("add-on \"dns\"", "raise the priority");
        });
    }

    @Test
    void aClustersChoicesMustNameItsAddonsAndOnlyOverridableKeys() {
        var profiles = new TreeMap<String, AddonProfileSpec>();
        profiles.put("baseline", profile("{'addons':[" + chartAddon("cert-manager", "1", "")
                + "," + chartAddon("monitoring", "1", ",'overridableValues':['retention','resources.requests']")
                + "," + chartAddon("secrets", "1", ",'dependsOn':['cert-manager']") + "]}"));
        var resolved = AddonResolution.resolve(Map.of(), profiles);
        var choices = read("{'exclude':['cert-manager','unknown'],'overrides':{'monitoring':{'retention':'${cluster.name',"
                + "'resources':{'requests':{'cpu':'1'},'limits':{'cpu':'2'}}},'nothing':{'a':1}}}", ClusterSpec.Addons.class);
        List<FieldError> errors = AddonResolution.checkChoices(resolved, choices, "spec.addons");
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("spec.addons.exclude[1]", "spec.addons.exclude",
                "spec.addons.overrides.monitoring.resources.limits.cpu", "spec.addons.overrides.nothing",
                "spec.addons.overrides.monitoring");
        assertThat(errors).extracting(FieldError::message).anySatisfy(message ->
                assertThat(message).contains("unterminated placeholder at retention"));
        assertThat(errors).extracting(FieldError::message).anySatisfy(message ->
                assertThat(message).contains("retention, resources.requests"));
        assertThat(errors).extracting(FieldError::message).anySatisfy(message ->
                assertThat(message).contains("\"secrets\" depends on \"cert-manager\""));
    }

    @Test
    void placeholdersKeepTheValuesTypeAloneAndAreTextInsideText() {
        JsonNode values = Json.parseObject(("{'replicas':'${var.replicas}','label':'${team.name}-${cluster.name}',"
                + "'literal':'$${not.a.placeholder}','list':['${environment}']}").replace('\'', '"'));
        Map<String, JsonNode> known = Map.of("var.replicas", Json.MAPPER.getNodeFactory().numberNode(3),
                "team.name", Json.MAPPER.getNodeFactory().textNode("payments"),
                "cluster.name", Json.MAPPER.getNodeFactory().textNode("prod"),
                "environment", Json.MAPPER.getNodeFactory().textNode("production"));
        JsonNode filled = Placeholders.substitute(values, name -> Optional.ofNullable(known.get(name)));
        assertThat(filled.path("replicas").isInt()).isTrue();
        assertThat(filled.path("label").asText()).isEqualTo("payments-prod");
        assertThat(filled.path("literal").asText()).isEqualTo("${not.a.placeholder}");
        assertThat(filled.path("list").get(0).asText()).isEqualTo("production");
        assertThatThrownBy(() -> Placeholders.substitute(values, name -> Optional.empty()))
                .isInstanceOf(Placeholders.Unresolved.class).hasMessageContaining("${var.replicas} at replicas");
    }
}
