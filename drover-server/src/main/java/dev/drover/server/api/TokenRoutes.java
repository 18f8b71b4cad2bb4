package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.server.auth.IssuedToken;
import dev.drover.server.auth.Principal;
import dev.drover.server.auth.TokenInfo;
import dev.drover.server.auth.TokenScope;
import dev.drover.server.auth.TokenStore;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /drover/v1/tokens}, for platform admins: {@code POST} issues a token for a team
 * ({@code {"team": "payments"}}) or a platform-admin one ({@code {"admin": true}}), with the secret in the
 * response only; {@code GET} lists tokens without secrets; {@code DELETE …/{id}} revokes one.
 */
final class TokenRoutes {

    static final String PATH = "/drover/v1/tokens";

    private final TokenStore tokens;
    private final ResourceStore store;
    private final Authentication authentication;

    TokenRoutes(TokenStore tokens, ResourceStore store, Authentication authentication) {
        this.tokens = tokens;
        this.store = store;
        this.authentication = authentication;
    }

    void list(Context context, Principal principal) {
        requireAdmin(principal, "list");
        ObjectNode response = Json.MAPPER.createObjectNode();
        var items = response.putArray("items");
        for (TokenInfo token : tokens.list()) {
            ObjectNode item = items.addObject().put("id", token.id());
            item.put("scope", token.scope().wireName());
            token.team().ifPresent(team -> item.put("team", team));
            item.put("admin", token.scope() == TokenScope.PLATFORM_ADMIN);
            item.put("description", token.description());
            item.put("createdAt", token.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        ResourceRoutes.respondJson(context, 200, response);
    }

    void revoke(Context context, Principal principal) {
        requireAdmin(principal, "revoke");
        String id = context.pathParam("id");
        if (!tokens.revoke(id)) {
            throw new ApiException(ApiException.Reason.NOT_FOUND, "token \"" + id + "\" not found; list tokens with "
                    + "`drover token list`");
        }
        authentication.forgetCached();
        ObjectNode response = Json.MAPPER.createObjectNode().put("id", id).put("revoked", true);
        ResourceRoutes.respondJson(context, 200, response);
    }

    private static void requireAdmin(Principal principal, String verb) {
        if (!(principal instanceof Principal.PlatformAdmin)) {
            throw ApiException.forbidden("tokens are forbidden: " + principal.describe() + " cannot " + verb
                    + " tokens; only platform-admin tokens can");
        }
    }

    void create(Context context, Principal principal) {
        requireAdmin(principal, "create");
        RequestBodies.requireMediaType(context, List.of(RequestBodies.JSON));
        JsonNode request = RequestBodies.read(context);
        String description = request.path("description").asText("");
        IssuedToken issued;
        boolean admin = request.path("admin").asBoolean(false);
        boolean fleetReader = request.path("fleetReader").asBoolean(false);
        if (admin && fleetReader || (admin || fleetReader) && request.has("team")) {
            throw ApiException.badRequest("a token has one scope: ask for admin, fleetReader or a team, not several");
        }
        if (admin) {
            issued = tokens.issueAdmin(description);
        } else if (fleetReader) {
            issued = tokens.issueFleetReader(description);
        } else {
            String team = request.path("team").asText("");
            if (team.isEmpty()) {
                throw ApiException.badRequest("give the team the token acts for ({\"team\": \"payments\"}), "
                        + "or ask for a platform-admin token ({\"admin\": true}) or a fleet-reader token "
                        + "({\"fleetReader\": true})");
            }
            if (store.get(new ObjectKey(Kinds.TEAM.kind(), "", team)).isEmpty()) {
                throw ApiException.notFound(Kinds.TEAM, team);
            }
            issued = tokens.issueForTeam(team, description);
        }
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("id", issued.id());
        response.put("token", issued.secret());
        response.put("scope", issued.scope().wireName());
        issued.team().ifPresent(team -> response.put("team", team));
        response.put("admin", issued.scope() == TokenScope.PLATFORM_ADMIN);
        ResourceRoutes.respondJson(context, 201, response);
    }
}
