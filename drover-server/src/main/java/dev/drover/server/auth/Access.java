package dev.drover.server.auth;

/** Who may use a kind besides platform admins: the authorization scope a kind is registered with. */
public enum Access {
    /** Namespaced by team: a team member reads and writes the objects in its own team's namespace. */
    TEAM_NAMESPACED,
    /** One object per team, named after it: a team member reads its own; only admins write. */
    TEAM_ITSELF,
    /** Cluster-scoped and shared: every token reads; only admins write. */
    PLATFORM_SHARED
}
