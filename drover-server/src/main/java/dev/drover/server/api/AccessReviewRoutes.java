package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.server.auth.Authorizer;
import dev.drover.server.auth.Principal;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the caller may do, answered from the same {@link Authorizer} that decides its requests: {@code
 * SelfSubjectAccessReview} and {@code SelfSubjectRulesReview} ({@code kubectl auth can-i}, {@code can-i --list}) and
 * {@code SelfSubjectReview} ({@code kubectl auth whoami}). Nothing is stored.
 */
final class AccessReviewRoutes {

    static final String ACCESS_REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    static final String RULES_REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    static final String SUBJECT_REVIEW_PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection");
    private static final List<String> READ_VERBS = List.of("get", "list", "watch");
    /** The paths outside the resources that every token may read. */
    private static final List<String> PUBLIC_READS = List.of("/api", "/api/*", "/apis", "/apis/*", "/version", "/healthz",
            "/livez", "/readyz", "/openapi", "/openapi/*");

    private final Authorizer authorizer;

    AccessReviewRoutes(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    void accessReview(Context context, Principal principal) {
        ObjectNode review = review(context, "SelfSubjectAccessReview", "authorization.k8s.io/v1");
        JsonNode spec = review.path("spec");
        Optional<String> refusal;
        if (spec.has("resourceAttributes")) {
            refusal = resourceRefusal(principal, spec.get("resourceAttributes"));
        } else if (spec.has("nonResourceAttributes")) {
            JsonNode attributes = spec.get("nonResourceAttributes");
            refusal = nonResourceRefusal(principal, attributes.path("path").asText(""), attributes.path("verb").asText(""));
        } else {
            throw ApiException.badRequest("a SelfSubjectAccessReview needs spec.resourceAttributes or spec.nonResourceAttributes");
        }
        ObjectNode status = review.putObject("status");
        status.put("allowed", refusal.isEmpty());
        status.put("reason", refusal.orElse("allowed by Drover's " + describe(principal) + " rules"));
        ResourceRoutes.respondJson(context, 201, review);
    }

    void rulesReview(Context context, Principal principal) {
        ObjectNode review = review(context, "SelfSubjectRulesReview", "authorization.k8s.io/v1");
        String namespace = review.path("spec").path("namespace").asText("");
        ObjectNode status = review.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        if (principal instanceof Principal.PlatformAdmin) {
            rule(resourceRules, List.of("*"), "*", List.of("*"), List.of());
            nonResourceRules.addObject().set("verbs", strings(List.of("*")));
            ((ObjectNode) nonResourceRules.get(0)).set("nonResourceURLs", strings(List.of("*")));
        } else {
            var member = (Principal.TeamMember) principal;
            for (Kind kind : Kinds.ALL) {
                switch (authorizer.access(kind)) {
                    case TEAM_NAMESPACED -> {
                        if (member.actsFor(namespace)) {
                            rule(resourceRules, VERBS, Kinds.GROUP, List.of(kind.plural(), kind.plural() + "/status"), List.of());
                        }
                    }
                    case TEAM_ITSELF -> {
                        rule(resourceRules, List.of("get"), Kinds.GROUP, List.of(kind.plural()), List.copyOf(member.teams()));
                        rule(resourceRules, List.of("list", "watch"), Kinds.GROUP, List.of(kind.plural()), List.of());
                    }
                    case PLATFORM_SHARED -> rule(resourceRules, READ_VERBS, Kinds.GROUP, List.of(kind.plural()), List.of());
                }
            }
            rule(resourceRules, List.of("get"), "", List.of("namespaces"), List.copyOf(member.teams()));
            ObjectNode reads = nonResourceRules.addObject();
            reads.set("verbs", strings(List.of("get")));
            reads.set("nonResourceURLs", strings(PUBLIC_READS));
        }
        status.put("incomplete", false);
        ResourceRoutes.respondJson(context, 201, review);
    }

    void subjectReview(Context context, Principal principal) {
        ObjectNode review = review(context, "SelfSubjectReview", "authentication.k8s.io/v1");
        ObjectNode userInfo = review.putObject("status").putObject("userInfo");
        switch (principal) {
            case Principal.PlatformAdmin admin -> {
                userInfo.put("username", "drover:admin:" + admin.tokenId());
                userInfo.put("uid", admin.tokenId());
                userInfo.set("groups", strings(List.of("drover:platform-admins", "system:authenticated")));
            }
            case Principal.TeamMember member -> {
                userInfo.put("username", member.groups().isEmpty() ? "drover:team:" + member.teams().first() + ":"
                        + member.tokenId() : member.tokenId());
                userInfo.put("uid", member.tokenId());
                List<String> groups = new ArrayList<>(member.groups());
                member.teams().forEach(team -> groups.add("drover:team:" + team));
                groups.add("system:authenticated");
                userInfo.set("groups", strings(groups));
            }
        }
        ResourceRoutes.respondJson(context, 201, review);
    }

    /** The review as sent, with its kind and apiVersion checked; reviews have no name and are never stored. */
    private static ObjectNode review(Context context, String kind, String apiVersion) {
        RequestBodies.requireMediaType(context, List.of(RequestBodies.JSON, RequestBodies.YAML, RequestBodies.PROTOBUF));
        JsonNode body = context.contentLength() == 0 ? Json.MAPPER.createObjectNode()
                : RequestBodies.mediaType(context).equals(RequestBodies.PROTOBUF) ? ReviewProtobuf.decode(RequestBodies.readBytes(context))
                : RequestBodies.read(context);
        if (!(body instanceof ObjectNode review)) {
            throw ApiException.badRequest("the request body must be a " + kind + " object");
        }
        String sentKind = review.path("kind").asText(kind);
        if (!sentKind.equals(kind)) {
            throw ApiException.badRequest("the kind in the data (" + sentKind + ") does not match the expected kind (" + kind + ")");
        }
        review.put("kind", kind);
        review.put("apiVersion", apiVersion);
        review.withObjectProperty("metadata");
        return review;
    }

    private Optional<String> resourceRefusal(Principal principal, JsonNode attributes) {
        String group = attributes.path("group").asText("");
        String resource = attributes.path("resource").asText("");
        String verb = attributes.path("verb").asText("");
        Optional<String> namespace = text(attributes.path("namespace"));
        Optional<String> name = text(attributes.path("name"));
        if (verb.isEmpty() || resource.isEmpty()) {
            return Optional.of("a resource review needs a verb and a resource");
        }
        if (group.isEmpty() && resource.equals("namespaces")) {
            // Teams appear read-only as namespaces.
            return READ_VERBS.contains(verb) || verb.equals("*")
                    ? authorizer.refusal(principal, new Authorizer.Request(verb.equals("*") ? "get" : verb, Kinds.TEAM,
                            Optional.empty(), name)).or(() -> verb.equals("*") ? Optional.of("namespaces are read-only: "
                            + "they are Drover's Teams; change Teams instead") : Optional.empty())
                    : Optional.of("namespaces are read-only views of Drover's Teams; " + verb + " Teams instead");
        }
        boolean anyGroup = group.equals("*");
        if (!anyGroup && !group.equals(Kinds.GROUP)) {
            return principal instanceof Principal.PlatformAdmin ? Optional.empty()
                    : Optional.of("Drover serves no resources of the API group \"" + group + "\"");
        }
        if (resource.equals("*")) {
            return principal instanceof Principal.PlatformAdmin ? Optional.empty()
                    : Optional.of("team tokens may use only some resources; see kubectl auth can-i --list");
        }
        Optional<Kind> kind = Kinds.byPlural(resource);
        if (kind.isEmpty()) {
            return Optional.of("Drover serves no resource \"" + resource + "\" (kubectl api-resources --api-group=" + Kinds.GROUP + ")");
        }
        List<String> verbs = verb.equals("*") ? VERBS : List.of(verb);
        for (String each : verbs) {
            Optional<String> refusal = authorizer.refusal(principal, new Authorizer.Request(each, kind.get(), namespace, name,
                    attributes.path("subresource").asText("")));
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonResourceRefusal(Principal principal, String path, String verb) {
        if (principal instanceof Principal.PlatformAdmin) {
            return Optional.empty();
        }
        boolean publicRead = verb.equals("get") && PUBLIC_READS.stream().anyMatch(pattern -> pattern.endsWith("/*")
                ? path.startsWith(pattern.substring(0, pattern.length() - 1)) : path.equals(pattern));
        return publicRead ? Optional.empty() : Optional.of("team tokens may only read discovery, OpenAPI, version and health");
    }

    private static void rule(ArrayNode rules, List<String> verbs, String group, List<String> resources, List<String> names) {
        ObjectNode rule = rules.addObject();
        rule.set("verbs", strings(verbs));
        rule.set("apiGroups", strings(List.of(group)));
        rule.set("resources", strings(resources));
        if (!names.isEmpty()) {
            rule.set("resourceNames", strings(names));
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.textValue().isEmpty() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static String describe(Principal principal) {
        return principal instanceof Principal.PlatformAdmin ? "platform-admin" : "team-token";
    }
}
