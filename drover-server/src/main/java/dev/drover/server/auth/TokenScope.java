package dev.drover.server.auth;

/** What a token may be used for. */
public enum TokenScope {
    /** Everything, on the API and the fleet repository. */
    PLATFORM_ADMIN("platform-admin"),
    /** One team's objects on the API; not the fleet repository, which holds every team's manifests. */
    TEAM("team"),
    /** Cloning and fetching the fleet repository, as a GitOps engine does; nothing on the API. */
    FLEET_READER("fleet-reader");

    private final String wireName;

    TokenScope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether tokens of the scope may clone and fetch the fleet repository. */
    public boolean readsFleetRepository() {
        return this != TEAM;
    }
}
