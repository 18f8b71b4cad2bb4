package dev.drover.server.config;

import java.util.List;
import java.util.Locale;

/**
 * Every setting of Drover, in one table: key, environment variable, default, allowed values, secret flag.
 * CLI help, environment lookup, validation and {@code drover show-config} are all driven from here.
 */
public enum Option {
    DATA_DIR("data-dir", "./.drover", "Directory for the embedded database, the kubeconfig and the admin token.", false),
    ADDRESS("address", "127.0.0.1", "Address the API server listens on.", false),
    PORT("port", "7480", "Port the API server listens on.", false),
    TLS_CERT_FILE("tls-cert-file", "", "PEM certificate (chain) the API serves, for example a cert-manager Secret's tls.crt; "
            + "empty: a self-signed one made under the data directory. Read at start.", false),
    TLS_KEY_FILE("tls-key-file", "", "PEM private key (PKCS#1 or PKCS#8, RSA or EC) of --tls-cert-file.", false),
    TLS_CA_FILE("tls-ca-file", "", "PEM certificate(s) clients trust the serving certificate by, written into the kubeconfig; "
            + "empty: --tls-cert-file itself.", false),
    ADMIN_TOKEN_FILE("admin-token-file", "", "File holding the platform-admin token, for example a mounted Secret's key: "
            + "registered on start when new, never written. Empty: <data-dir>/admin-token, issued on the first start.", false),
    TLS_RELOAD_INTERVAL("tls-reload-interval", "1m", "How often --tls-cert-file and --tls-key-file are read again; a renewed "
            + "certificate (cert-manager's) is served to new connections without a restart.", false),
    DATABASE_URL("database-url", "", "JDBC URL of an external PostgreSQL; empty starts the embedded one under the data directory.", false),
    DATABASE_USER("database-user", "postgres", "User of the external PostgreSQL.", false),
    DATABASE_PASSWORD("database-password", "", "Password of the external PostgreSQL.", true),
    DATABASE_POOL_SIZE("database-pool-size", "16", "Connections to PostgreSQL.", false),
    CHANGE_RETENTION("change-retention", "1h", "How long the change feed keeps changes for watchers resuming (e.g. 30m, 2h).", false),
    EVENT_RETENTION("event-retention", "1h", "How long Events about Drover's objects are kept after they last happened (e.g. 1h, 24h).", false),
    WATCH_BOOKMARK_INTERVAL("watch-bookmark-interval", "30s", "How often watchers that ask for bookmarks get one.", false),
    OIDC_ISSUER_URL("oidc-issuer-url", "", "HTTPS URL of the OpenID Connect issuer whose ID tokens log company users in "
            + "(as kube-apiserver's flag); empty: tokens only.", false),
    OIDC_CLIENT_ID("oidc-client-id", "", "The client id ID tokens must be issued for (their aud claim).", false),
    OIDC_USERNAME_CLAIM("oidc-username-claim", "sub", "The ID token claim that names the user.", false),
    OIDC_GROUPS_CLAIM("oidc-groups-claim", "groups", "The ID token claim that lists the user's groups; Teams name theirs in spec.groups.", false),
    OIDC_CA_FILE("oidc-ca-file", "", "PEM certificates to trust for the issuer's HTTPS, when its certificate is not publicly trusted.", false),
    OIDC_ADMIN_GROUP("oidc-admin-group", "", "Members of this identity-provider group are platform admins; empty: none by OIDC.", false),
    AUDIT_RETENTION("audit-retention", "2160h", "How long the audit log keeps its entries (2160h: 90 days).", false),
    AUDIT_FILE("audit-file", "", "Also append every audit entry to this file, as JSON lines, for a log shipper; empty: the database only.", false),
    AUDIT_READS("audit-reads", "false", "Record successful reads in the audit log too (writes and refusals always are).", false,
            List.of("true", "false")),
    MAX_WATCHES_PER_TOKEN("max-watches-per-token", "500", "Open watches one token may hold; more are refused with 429.", false),
    TEAM_REQUESTS_PER_SECOND("team-requests-per-second", "50", "Sustained API requests per second of one team token (bursts "
            + "of twice as many); over it, 429 with Retry-After. 0: no limit. Admin tokens are not limited.", false),
    GIT_PORT("git-port", "7481", "Port the fleet repository is served on, read-only, over plain HTTP (git clone http://ADDRESS:PORT/git/fleet.git).", false),
    GIT_ANONYMOUS_READ("git-anonymous-read", "false", "Let anyone who reaches the git port clone the fleet repository without a token.", false,
            List.of("true", "false")),
    GIT_BRANCH("git-branch", "main", "Branch of the fleet repository Drover commits to.", false),
    FLEET_URL("fleet-url", "", "URL Flux on the management cluster pulls the fleet repository from; empty: the git remote if set, else the served URL.", false),
    FLEET_CREDENTIALS_SECRET("fleet-credentials-secret", "drover-fleet-credentials",
            "Secret (in each team namespace of the management cluster) Flux reads the repository with; empty for none.", false),
    ARGOCD_NAMESPACE("argocd-namespace", "argocd",
            "Namespace of Argo CD on the management cluster; the Applications of argocd flavors go there.", false),
    GIT_REMOTE_URL("git-remote-url", "", "Remote the fleet repository is pushed to after every commit (HTTPS); empty: no push.", false),
    GIT_REMOTE_TOKEN("git-remote-token", "", "Token (HTTP password) for pushing to the git remote.", true),
    MANAGEMENT_KUBECONFIG("management-kubeconfig", "",
            "Kubeconfig of the management cluster, whose Cluster API and Flux objects Drover observes; in-cluster: the "
                    + "service account Drover runs as there; empty: not connected, readiness unknown.", false),
    MANAGEMENT_NAMESPACE("management-namespace", "drover-system",
            "Drover's namespace on the management cluster, holding the Secrets that flavors and teams name as bootstrap Secrets.", false),
    BOOTSTRAP_SECRET_RESYNC("bootstrap-secret-resync", "1m",
            "How often Drover checks that the bootstrap Secrets it copied are still in each workload cluster as copied.", false),
    WORKLOAD_SCAN_RESYNC("workload-scan-resync", "1m",
            "How often Drover reads trivy-operator's VulnerabilityReports in the workload clusters of the Applications' gated "
                    + "environments (connected mode).", false),
    INTEGRATION_DELIVERY_RETENTION("integration-delivery-retention", "720h",
            "How long the Integrations' delivered and failed webhook deliveries are kept (pending ones are kept until they "
                    + "finish).", false),
    IPAM_RECLAIM_AFTER("ipam-reclaim-after", "1h",
            "How long an address stays held after its IPAddressClaim and its cluster are gone (deleted while Drover was not "
                    + "watching) before Drover releases it as leaked, with an Event on the IPPool.", false),
    SCHEDULE_RESYNC("schedule-resync", "1m",
            "How often the time-driven decisions (TTLs, hibernation schedules, version lifecycles, maintenance windows) are "
                    + "evaluated besides at their due times (e.g. 30s, 5m).", false),
    EXAMPLES("examples", "true", "Load the example organisation on the first start of `drover up`: true (all of it), local (only "
            + "the clusters a kind management cluster with the Docker provider builds, and their team) or false.",
            false, List.of("true", "local", "false"));

    private final String key;
    private final String defaultValue;
    private final String description;
    private final boolean secret;
    private final List<String> allowedValues;

    Option(String key, String defaultValue, String description, boolean secret) {
        this(key, defaultValue, description, secret, List.of());
    }

    Option(String key, String defaultValue, String description, boolean secret, List<String> allowedValues) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.secret = secret;
        this.allowedValues = allowedValues;
    }

    public String key() {
        return key;
    }

    public String environmentVariable() {
        return "DROVER_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean secret() {
        return secret;
    }

    public List<String> allowedValues() {
        return allowedValues;
    }
}
