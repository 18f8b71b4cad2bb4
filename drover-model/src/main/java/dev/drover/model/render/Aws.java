package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import java.util.Map;

/** What the two AWS providers share: identity, tags and the API versions CAPA v2.11 serves (v1beta2 only). */
final class Aws {

    private static final String ROLE_IDENTITY = "AWSClusterRoleIdentity";
    private static final String CONTROLLER_IDENTITY = "AWSClusterControllerIdentity";

    private Aws() {
    }

    /**
     * The identity CAPA acts with: by default the team's role in the environment's account, which the team
     * directory declares as an {@code AWSClusterRoleIdentity}; a flavor may choose CAPA's own controller identity.
     */
    static ObjectNode identityRef(ClusterContext context) {
        String kind = context.setting("identityKind").orElse(ROLE_IDENTITY);
        ObjectNode reference = Json.MAPPER.createObjectNode();
        if (kind.equals(CONTROLLER_IDENTITY)) {
            return reference.put("kind", CONTROLLER_IDENTITY).put("name", "default");
        }
        if (!kind.equals(ROLE_IDENTITY)) {
            throw new RenderProblem("ProviderSettingInvalid", "identityKind of flavor \"" + context.flavorName() + "\" is \""
                    + kind + "\"; allowed: " + ROLE_IDENTITY + " (the team's account) or " + CONTROLLER_IDENTITY);
        }
        boolean hasRole = context.cloudAccount().flatMap(TeamSpec.CloudAccount::roleArn).isPresent();
        if (!hasRole) {
            throw new RenderProblem("CloudAccountMissing", "team \"" + context.namespace() + "\" has no cloud account role for "
                    + "environment \"" + context.spec().environment() + "\"; set spec.environments[].cloudAccount.roleArn "
                    + "of the Team, or use identityKind " + CONTROLLER_IDENTITY + " in the flavor");
        }
        return reference.put("kind", ROLE_IDENTITY).put("name", roleIdentityName(context.namespace(), context.spec().environment()));
    }

    static String roleIdentityName(String team, String environment) {
        return team + "-" + environment;
    }

    /** The team's role in each environment's account, for the team directory. */
    static ObjectNode roleIdentity(String team, String environment, String roleArn, Map<String, String> labels) {
        ObjectNode identity = Manifest.clusterScoped(ClusterApi.INFRASTRUCTURE_API_VERSION, ROLE_IDENTITY,
                roleIdentityName(team, environment), labels);
        ObjectNode spec = identity.putObject("spec");
        spec.putObject("allowedNamespaces").putArray("list").add(team);
        spec.put("roleARN", roleArn);
        spec.put("sessionName", "drover-" + team + "-" + environment);
        spec.putObject("sourceIdentityRef").put("kind", CONTROLLER_IDENTITY).put("name", "default");
        return identity;
    }

    /** Whether an instance type is an ARM (Graviton) one: its family has a g after the generation (m7g, c6gn, t4g). */
    static boolean graviton(String instanceType) {
        return instanceType.matches("^[a-z]+[0-9]+g[a-z]*\\..+$");
    }

    /** The labels again as AWS tags, so the bill splits the way the inventory does. */
    static ObjectNode tags(ClusterContext context) {
        return Manifest.stringMap(context.labels());
    }
}
