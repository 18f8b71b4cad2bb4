package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.resource.ApiException;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kinds;
import dev.drover.server.auth.IssuedToken;
import dev.drover.server.auth.Principal;
import dev.drover.server.auth.TokenStore;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code POST /drover/v1/tokens}: platform admins issue tokens, for a team ({@code {"team": "payments"}}) or
 * platform-admin ({@code {"admin": true}}). The secret is in the response only.
 */
final class TokenRoutes {

    static final String PATH = "/drover/v1/tokens";

    private final TokenStore tokens;
    private final ResourceStore store;

    TokenRoutes(TokenStore tokens, ResourceStore store) {
        this.tokens = tokens;
        this.store = store;
    }

    void create(Context context, Principal principal) {
        if (!(principal instanceof Principal.PlatformAdmin)) {
            throw ApiException.forbidden("tokens are forbidden: " + principal.describe()
                    + " cannot create tokens; only platform-admin tokens can");
        }
        RequestBodies.requireMediaType(context, List.of(RequestBodies.JSON));
        JsonNode request = RequestBodies.read(context);
        String description = request.path("description").asText("");
        IssuedToken issued;
        if (request.path("admin").asBoolean(false)) {
            issued = tokens.issueAdmin(description);
        } else {
            String team = request.path("team").asText("");
            if (team.isEmpty()) {
                throw ApiException.badRequest("give the team the token acts for ({\"team\": \"payments\"}) "
                        + "or ask for a platform-admin token ({\"admin\": true})");
            }
            if (store.get(new ObjectKey(Kinds.TEAM.kind(), "", team)).isEmpty()) {
                throw ApiException.notFound(Kinds.TEAM, team);
            }
            issued = tokens.issueForTeam(team, description);
        }
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("id", issued.id());
        response.put("token", issued.secret());
        issued.team().ifPresent(team -> response.put("team", team));
        response.put("admin", issued.team().isEmpty());
        ResourceRoutes.respondJson(context, 201, response);
    }
}
