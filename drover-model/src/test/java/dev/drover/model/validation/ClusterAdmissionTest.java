package dev.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Named;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ClusterAdmissionTest {

    private static final String FLAVOR = """
            {'provider':'aws-eks','environments':['development','production'],
             'kubernetesVersions':{'default':'1.31.4','allowed':['1.30.8','1.31.4']},
             'regions':['eu-central-1','us-east-1'],'instanceTypes':['m6i.large','c6i.xlarge'],
             'defaultNodePools':[{'name':'general','instanceType':'m6i.large','minSize':2,'maxSize':4}],
             'variables':[
               {'name':'endpointAccess','type':'string','enum':['private','public'],'default':'public',
                'environmentDefaults':{'production':'private'}},
               {'name':'logRetentionDays','type':'integer','minimum':1,'maximum':365,'default':14},
               {'name':'costTag','type':'string','required':true,'pattern':'^cc-[0-9]+$'}]}""";
    private static final String TEAM = """
            {'environments':[{'name':'development'},{'name':'production'}],'quotas':{'clusters':3,'nodes':20}}""";

    private static <T> T spec(String json, Class<T> type) {
        return Json.bind(Json.parseObject(json.replace('\'', '"')), type);
    }

    private static ClusterSpec cluster(String json) {
        return spec(json, ClusterSpec.class);
    }

    private static ClusterAdmission.Admitted admit(ClusterSpec cluster) {
        return admit(cluster, new ClusterAdmission.TeamUsage(0, 0));
    }

    private static ClusterAdmission.Admitted admit(ClusterSpec cluster, ClusterAdmission.TeamUsage usage) {
        return ClusterAdmission.admit("checkout", cluster, Optional.empty(),
                new Named<>("payments", spec(TEAM, TeamSpec.class)),
                Optional.of(new Named<>("eks-standard", spec(FLAVOR, ClusterFlavorSpec.class))), usage, Map.of(), new TreeMap<>());
    }

    private static ApiException refusal(ClusterSpec cluster) {
        return catchThrowableOfType(ApiException.class, () -> admit(cluster));
    }

    @Test
    void fillsInTheFlavorsDefaultsAndLabels() {
        ClusterAdmission.Admitted admitted = admit(cluster(
                "{'flavor':'eks-standard','environment':'production','variables':{'costTag':'cc-1'}}"));
        ClusterSpec spec = admitted.spec();
        assertThat(spec.kubernetesVersion()).contains("1.31.4");
        assertThat(spec.region()).contains("eu-central-1");
        assertThat(spec.nodePools()).extracting(NodePool::name).containsExactly("general");
        assertThat(spec.variables().get("endpointAccess").textValue()).isEqualTo("private");
        assertThat(spec.variables().get("logRetentionDays").intValue()).isEqualTo(14);
        assertThat(admitted.labels()).containsEntry("platform.drover.dev/team", "payments")
                .containsEntry("platform.drover.dev/environment", "production")
                .containsEntry("platform.drover.dev/flavor", "eks-standard")
                .containsEntry("platform.drover.dev/provider", "aws-eks")
                .containsEntry("platform.drover.dev/region", "eu-central-1");
    }

    @Test
    void refusesAVersionRegionOrInstanceTypeTheFlavorDoesNotAllowNamingWhatIsAllowed() {
        ApiException refused = refusal(cluster("""
                {'flavor':'eks-standard','environment':'development','kubernetesVersion':'1.29.0','region':'ap-south-1',
                 'nodePools':[{'name':'a','instanceType':'m5.24xlarge','minSize':1,'maxSize':2}],'variables':{'costTag':'cc-1'}}"""));
        assertThat(refused.reason()).isEqualTo(ApiException.Reason.INVALID);
        assertThat(refused.causes()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.kubernetesVersion", "spec.region", "spec.nodePools[0].instanceType");
        assertThat(refused.causes()).extracting(FieldError::message).anySatisfy(message -> assertThat(message)
                .contains("\"m5.24xlarge\" is not allowed by flavor \"eks-standard\" (allowed: m6i.large, c6i.xlarge)"));
    }

    @Test
    void refusesAnEnvironmentTheTeamOrFlavorDoesNotHave() {
        ApiException refused = refusal(cluster("{'flavor':'eks-standard','environment':'staging','variables':{'costTag':'cc-1'}}"));
        assertThat(refused.causes()).extracting(FieldError::message)
                .anySatisfy(message -> assertThat(message).contains("not allowed by flavor"))
                .anySatisfy(message -> assertThat(message).contains("team \"payments\" has no such environment"));
    }

    @Test
    void checksNodePoolSizes() {
        ApiException refused = refusal(cluster("""
                {'flavor':'eks-standard','environment':'development','variables':{'costTag':'cc-1'},
                 'nodePools':[{'name':'a','instanceType':'m6i.large','minSize':5,'maxSize':2},
                              {'name':'b','instanceType':'m6i.large','minSize':0,'maxSize':1}]}"""));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactly("spec.nodePools[0].minSize");
    }

    @Test
    void checksVariablesAgainstTheirTypedDeclarations() {
        ApiException refused = refusal(cluster("""
                {'flavor':'eks-standard','environment':'development',
                 'variables':{'endpointAccess':'everyone','logRetentionDays':'long','surprise':true}}"""));
        assertThat(refused.causes()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.variables.endpointAccess", "spec.variables.logRetentionDays", "spec.variables.costTag",
                "spec.variables.surprise");
        assertThat(refused.causes()).extracting(FieldError::message)
                .anySatisfy(message -> assertThat(message).contains("supported values: \"private\", \"public\""))
                .anySatisfy(message -> assertThat(message).contains("must be of type integer"))
                .anySatisfy(message -> assertThat(message).contains("requires variable \"costTag\""))
                .anySatisfy(message -> assertThat(message).contains("declares no such variable"));
        assertThat(refusal(cluster("""
                {'flavor':'eks-standard','environment':'development','variables':{'costTag':'x','logRetentionDays':400}}""")).causes())
                .extracting(FieldError::message)
                .anySatisfy(message -> assertThat(message).contains("must match the pattern ^cc-[0-9]+$"))
                .anySatisfy(message -> assertThat(message).contains("must be less than or equal to 365"));
    }

    @Test
    void checksHibernationWindowsAndTimeZone() {
        ApiException refused = refusal(cluster("""
                {'flavor':'eks-standard','environment':'development','variables':{'costTag':'cc-1'},
                 'hibernation':{'timeZone':'Mars/Olympus','windows':[{'days':['Mon'],'start':'20:00','end':'20:00'}]}}"""));
        assertThat(refused.causes()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("spec.hibernation.timeZone", "spec.hibernation.windows[0].end");
        ClusterSpec nights = admit(cluster("""
                {'flavor':'eks-standard','environment':'development','variables':{'costTag':'cc-1'},
                 'hibernation':{'timeZone':'Europe/Berlin','windows':[{'days':['Mon','Fri'],'start':'20:00','end':'07:00'}]}}""")).spec();
        assertThat(nights.hibernation().orElseThrow().windows()).hasSize(1);
    }

    @Test
    void refusesAMissingFlavorSayingHowToListFlavors() {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> ClusterAdmission.admit("checkout",
                cluster("{'flavor':'gone','environment':'development'}"), Optional.empty(),
                new Named<>("payments", spec(TEAM, TeamSpec.class)), Optional.empty(), new ClusterAdmission.TeamUsage(0, 0),
                Map.of(), new TreeMap<>()));
        assertThat(refused.causes()).singleElement().satisfies(cause -> {
            assertThat(cause.field()).isEqualTo("spec.flavor");
            assertThat(cause.message()).contains("kubectl get clusterflavors");
        });
    }

    @Test
    void refusesAClusterOverTheTeamsClusterQuotaWithUsageAndLimit() {
        ClusterSpec request = cluster("{'flavor':'eks-standard','environment':'development','variables':{'costTag':'cc-1'}}");
        assertThatThrownBy(() -> admit(request, new ClusterAdmission.TeamUsage(3, 4)))
                .isInstanceOf(ApiException.class)
                .satisfies(error -> assertThat(((ApiException) error).reason()).isEqualTo(ApiException.Reason.FORBIDDEN))
                .hasMessageContaining("used 3, limited 3 (spec.quotas.clusters)");
    }

    @Test
    void refusesNodesOverTheTeamsNodeQuotaButAllowsShrinking() {
        ClusterSpec request = cluster("{'flavor':'eks-standard','environment':'development','variables':{'costTag':'cc-1'}}");
        assertThatThrownBy(() -> admit(request, new ClusterAdmission.TeamUsage(1, 18)))
                .hasMessageContaining("requested 4 nodes (sum of nodePools[].maxSize), used 18 by other clusters, limited 20");
        ClusterSpec bigger = cluster("""
                {'flavor':'eks-standard','environment':'development','variables':{'costTag':'cc-1'},
                 'nodePools':[{'name':'general','instanceType':'m6i.large','minSize':1,'maxSize':30}]}""");
        ClusterSpec smaller = cluster("""
                {'flavor':'eks-standard','environment':'development','variables':{'costTag':'cc-1'},
                 'nodePools':[{'name':'general','instanceType':'m6i.large','minSize':1,'maxSize':25}]}""");
        ClusterAdmission.Admitted shrunk = ClusterAdmission.admit("checkout", smaller, Optional.of(bigger),
                new Named<>("payments", spec(TEAM, TeamSpec.class)),
                Optional.of(new Named<>("eks-standard", spec(FLAVOR, ClusterFlavorSpec.class))),
                new ClusterAdmission.TeamUsage(0, 0), Map.of(), new TreeMap<>());
        assertThat(shrunk.spec().maxNodes()).isEqualTo(25);
    }

    @Test
    void admittedSpecSerialisesCanonically() {
        ClusterSpec admitted = admit(cluster(
                "{'flavor':'eks-standard','environment':'production','variables':{'costTag':'cc-1'}}")).spec();
        ObjectNode tree = Json.toTree(admitted);
        assertThat(Json.write(tree)).isEqualTo(Json.write(Json.toTree(Json.bind(tree, ClusterSpec.class))));
        assertThat(tree.path("variables").fieldNames()).toIterable()
                .containsExactly("costTag", "endpointAccess", "logRetentionDays");
    }
}
