package dev.drover.server.auth;

import static java.util.Objects.requireNonNull;

/** Who a request acts for: a platform admin, or a member of one team. */
public sealed interface Principal {

    /** The id of the token the principal presented. */
    String tokenId();

    String describe();

    record PlatformAdmin(String tokenId) implements Principal {
        public PlatformAdmin {
            requireNonNull(tokenId, "tokenId is null");
        }

        @Override
        public String describe() {
            return "platform-admin token " + tokenId;
        }
    }

    record TeamMember(String tokenId, String team) implements Principal {
        public TeamMember {
            requireNonNull(tokenId, "tokenId is null");
            requireNonNull(team, "team is null");
        }

        @Override
        public String describe() {
            return "token " + tokenId + " of team \"" + team + "\"";
        }
    }
}
