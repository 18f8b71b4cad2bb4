package dev.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import org.junit.jupiter.api.Test;

class FlavorAndTeamValidationTest {

    private static <T> T spec(String json, Class<T> type) {
        return Json.bind(Json.parseObject(json.replace('\'', '"')), type);
    }

    @Test
    void refusesAFlavorWhoseDefaultsBreakItsOwnStandard() {
        ClusterFlavorSpec flavor = spec("""
                {'provider':'aws','environments':['development','production'],
                 'kubernetesVersions':{'default':'1.33.0','allowed':['1.31.4','v1.32']},
                 'regions':['eu-central-1'],'defaultRegion':'us-west-2','instanceTypes':['m5.large'],
                 'defaultNodePools':[{'name':'w','instanceType':'m5.xlarge','minSize':1,'maxSize':2}],
                 'variables':[{'name':'size','type':'integer','default':'big','environmentDefaults':{'prod':3}},
                              {'name':'label','type':'string','pattern':'(['}],
                 'tenancy':{'namespaces':['apps','Bad_Namespace']}}""", ClusterFlavorSpec.class);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> FlavorValidation.check("broken", flavor));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.kubernetesVersions.allowed[1]", "spec.kubernetesVersions.default",
                "spec.defaultRegion", "spec.defaultNodePools[0].instanceType", "spec.variables[0].default",
                "spec.variables[0].environmentDefaults.prod", "spec.variables[1].pattern",
                "spec.tenancy.namespaces[1]");
    }

    @Test
    void variablePatternsMatchInLinearTimeAndBackreferencesAreRefused() {
        ClusterFlavorSpec.Variable exponential = spec("{'name':'label','type':'string','pattern':'(.*a){20}'}",
                ClusterFlavorSpec.Variable.class);
        // Backtracking engines take exponential time on this value; RE2 answers at once.
        assertThat(VariableCheck.check(exponential, Json.MAPPER.getNodeFactory().textNode("a".repeat(40) + "b"),
                "spec.variables.label")).hasValueSatisfying(error -> assertThat(error.message()).contains("must match"));

        ClusterFlavorSpec flavor = spec("""
                {'provider':'aws','environments':['development'],
                 'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4']},
                 'regions':['eu-central-1'],'instanceTypes':['m5.large'],
                 'variables':[{'name':'twice','type':'string','pattern':'(a)\\\\1'}]}""", ClusterFlavorSpec.class);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> FlavorValidation.check("re2", flavor));
        assertThat(refused.getMessage()).contains("spec.variables[0].pattern", "linear time", "no backreferences");
    }

    @Test
    void numericProviderSettingsAreNumbers() {
        ClusterFlavorSpec flavor = spec("""
                {'provider':'vsphere','environments':['development'],
                 'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4'],'machineImages':{'1.31.4':'ubuntu-2204-kube-v1.31.4'}},
                 'instanceTypes':['small-2c-8g'],'providerSettings':{'diskGiB':'forty','controlPlaneReplicas':'2'}}""",
                ClusterFlavorSpec.class);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> FlavorValidation.check("onprem", flavor));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.providerSettings.diskGiB", "spec.providerSettings.controlPlaneReplicas");
    }

    @Test
    void aVsphereFlavorNamesTheTemplateOfEveryVersionAndAnAwsOneLetsCapaFindItsAmis() {
        ClusterFlavorSpec vsphere = spec("""
                {'provider':'vsphere','environments':['development'],
                 'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4','1.32.1'],
                                       'machineImages':{'1.31.4':'ubuntu-2204-kube-v1.31.4','1.30.8':'ubuntu-2204-kube-v1.30.8'}},
                 'instanceTypes':['small-2c-8g']}""", ClusterFlavorSpec.class);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> FlavorValidation.check("onprem", vsphere));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.kubernetesVersions.machineImages.1.32.1", "spec.kubernetesVersions.machineImages.1.30.8");
        assertThat(refused.getMessage()).contains("whose kubelet is 1.32.1", "a version the flavor does not allow");

        ClusterFlavorSpec aws = spec("""
                {'provider':'aws','environments':['development'],
                 'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4'],'machineImages':{'1.31.4':'ami-0a1b2c3d4e5f60718'}},
                 'regions':['eu-central-1'],'instanceTypes':['m5.large']}""", ClusterFlavorSpec.class);
        assertThat(catchThrowableOfType(ApiException.class, () -> FlavorValidation.check("kubeadm", aws)).getMessage())
                .contains("spec.kubernetesVersions.machineImages", "AMIs are regional", "imageLookupOrg");
    }

    @Test
    void refusesATeamWithoutEnvironmentsOrWithABadBudget() {
        TeamSpec team = spec("{'environments':[],'owners':['not-an-email'],'budget':{'monthly':-5}}", TeamSpec.class);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> TeamValidation.check("payments", team));
        assertThat(refused.causes()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("spec.environments", "spec.owners[0]", "spec.budget.monthly");
        assertThat(refused.getMessage()).startsWith("Team \"payments\" is invalid: [");
    }
}
