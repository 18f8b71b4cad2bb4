package dev.drover.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

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

    /**
     * A member of one or more teams: a team token's (one team), or a company user's, whose identity provider groups
     * are the groups of those Teams.
     *
     * @param tokenId the token id, or {@code oidc:} and the user's name
     * @param groups the user's identity provider groups; empty for a team token
     */
    record TeamMember(String tokenId, SortedSet<String> teams, List<String> groups) implements Principal {
        public TeamMember {
            requireNonNull(tokenId, "tokenId is null");
            if (teams.isEmpty()) {
                throw new IllegalArgumentException("a team member acts for at least one team");
            }
            teams = Collections.unmodifiableSortedSet(new TreeSet<>(teams));
            groups = List.copyOf(groups);
        }

        /** A team token's member. */
        public TeamMember(String tokenId, String team) {
            this(tokenId, new TreeSet<>(Set.of(team)), List.of());
        }

        public boolean actsFor(String team) {
            return teams.contains(team);
        }

        /** The teams, quoted, for messages: {@code "payments"} or {@code "payments", "search"}. */
        public String teamNames() {
            return String.join(", ", teams.stream().map(team -> "\"" + team + "\"").toList());
        }

        @Override
        public String describe() {
            return (groups.isEmpty() ? "token " : "user ") + tokenId + " of team" + (teams.size() == 1 ? " " : "s ")
                    + teamNames();
        }
    }
}
