package dev.drover.server.server;

import dev.drover.model.render.FleetSettings;
import dev.drover.server.api.ApiServer;
import dev.drover.server.api.CampaignPlanning;
import dev.drover.server.api.CostLedger;
import dev.drover.server.api.HealthCheck;
import dev.drover.server.auth.Authorizer;
import dev.drover.server.auth.IssuedToken;
import dev.drover.server.auth.OidcVerifier;
import dev.drover.server.auth.TokenStore;
import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.event.EventExpiry;
import dev.drover.server.git.FleetRemote;
import dev.drover.server.git.FleetRepository;
import dev.drover.server.git.GitHttpServer;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.store.AddressAllocations;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.AuditLog;
import dev.drover.server.store.IntegrationOutbox;
import dev.drover.server.store.Database;
import dev.drover.server.store.EmbeddedPostgres;
import dev.drover.server.store.LeaderFence;
import dev.drover.server.store.OwnerOnlyFiles;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.tls.ServingCertificate;
import dev.drover.server.write.KindRegistry;
import dev.drover.server.write.ResourceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** The running Drover: database, store, API server and the admin credentials, wired by hand. */
public final class DroverServer implements AutoCloseable {

    private static final String ADMIN_TOKEN_ID = "admin-token-id";

    private final Deque<AutoCloseable> parts;
    private final String url;
    private final Path kubeconfig;
    private final Path adminTokenFile;
    private final ServingCertificate certificate;
    private final ResourceStore store;
    private final TokenStore tokens;
    private final Settings settings;
    private final String gitUrl;
    private final FleetRepository fleet;
    private final ResourceWriter writer;

    private DroverServer(Deque<AutoCloseable> parts, String url, Path kubeconfig, Path adminTokenFile,
                         ServingCertificate certificate, ResourceStore store, TokenStore tokens, Settings settings,
                         String gitUrl, FleetRepository fleet, ResourceWriter writer) {
        this.parts = parts;
        this.url = url;
        this.kubeconfig = kubeconfig;
        this.adminTokenFile = adminTokenFile;
        this.certificate = certificate;
        this.store = store;
        this.tokens = tokens;
        this.settings = settings;
        this.gitUrl = gitUrl;
        this.fleet = fleet;
        this.writer = writer;
    }

    public static DroverServer start(Configuration configuration) {
        return start(configuration, Clock.systemUTC());
    }

    /** @param clock what every part of Drover reads the time from; tests pass one they move forward */
    public static DroverServer start(Configuration configuration, Clock clock) {
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            Path dataDirectory = configuration.dataDirectory();
            OwnerOnlyFiles.createDataDirectory(dataDirectory);
            parts.push(DataDirectoryLock.acquire(dataDirectory));
            OwnerOnlyFiles.secureDataDirectory(dataDirectory, dataDirectory.resolve(DataDirectoryLock.FILE));
            String jdbcUrl = configuration.text(Option.DATABASE_URL);
            String user = configuration.text(Option.DATABASE_USER);
            String password = configuration.text(Option.DATABASE_PASSWORD);
            Optional<EmbeddedPostgres> embedded = Optional.empty();
            if (jdbcUrl.isEmpty()) {
                EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDirectory);
                parts.push(postgres);
                embedded = Optional.of(postgres);
                jdbcUrl = postgres.jdbcUrl();
                user = postgres.user();
                password = postgres.password();
            }
            var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            new ProcessorMetrics().bindTo(metrics);
            new UptimeMetrics().bindTo(metrics);
            Database database = Database.open(jdbcUrl, user, password, configuration.integer(Option.DATABASE_POOL_SIZE));
            parts.push(database);
            database.bindMetrics(metrics);
            var store = new ResourceStore(database.dataSource(), configuration.duration(Option.CHANGE_RETENTION), metrics);
            parts.push(store);
            var tokens = new TokenStore(database.dataSource());
            var addresses = new AddressAllocations(database.dataSource(), clock);
            var scans = new ImageScans(database.dataSource(), clock);
            String address = configuration.text(Option.ADDRESS);
            boolean wildcard = address.equals("0.0.0.0") || address.equals("::");
            List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
            if (!wildcard && !hosts.contains(address)) {
                hosts.add(address);
            }
            String certificateFile = configuration.text(Option.TLS_CERT_FILE);
            if (certificateFile.isEmpty() != configuration.text(Option.TLS_KEY_FILE).isEmpty()) {
                throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together: give both, or neither for a "
                        + "self-signed certificate");
            }
            String trustedFile = configuration.text(Option.TLS_CA_FILE);
            ServingCertificate certificate = certificateFile.isEmpty()
                    ? ServingCertificate.loadOrCreate(dataDirectory.resolve("tls"), hosts)
                    : ServingCertificate.fromFiles(Path.of(certificateFile), Path.of(configuration.text(Option.TLS_KEY_FILE)),
                    trustedFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(trustedFile)));
            var costs = new CostLedger();
            KindRegistry registry = KindRegistry.standard(clock);
            var authorizer = new Authorizer(registry.access());
            var writer = new ResourceWriter(store, registry, authorizer, clock);
            String managementKubeconfig = configuration.text(Option.MANAGEMENT_KUBECONFIG);
            Optional<ManagementCluster> management = managementKubeconfig.isEmpty() ? Optional.empty()
                    : Optional.of(ManagementCluster.connect(managementKubeconfig, configuration.text(Option.MANAGEMENT_NAMESPACE),
                    clock));
            management.ifPresent(parts::push);
            parts.push(EventExpiry.start(store, configuration.duration(Option.EVENT_RETENTION), clock));
            List<HealthCheck> moreChecks = new ArrayList<>();
            // Down, the embedded PostgreSQL fails readiness at once, without waiting for a connection to time out.
            embedded.ifPresent(postgres -> moreChecks.add(new HealthCheck("embedded-postgres", true, () -> postgres.downSince()
                    .map(since -> new HealthCheck.Result(false, "stopped at " + since + "; Drover is restarting it", Optional.of(since)))
                    .orElseGet(HealthCheck.Result::passed))));
            // Replicas on a shared database elect the one that runs the controllers; a deposed one is to be restarted.
            var electionCheck = new AtomicReference<Optional<Leadership>>(Optional.empty());
            moreChecks.add(new HealthCheck("leader-election", false, true, () -> electionCheck.get()
                    .flatMap(leadership -> leadership.lostAt().map(at -> new HealthCheck.Result(false, "lost the leadership at "
                            + at + "; restart this replica", Optional.of(at))))
                    .orElseGet(HealthCheck.Result::passed)));
            management.ifPresent(cluster -> moreChecks.add(new HealthCheck("management-cluster", false, () -> {
                ManagementCluster.Health health = cluster.health();
                return new HealthCheck.Result(health.reachable(), health.reachable() ? "" : "unreachable since "
                        + health.unreachableSince().orElseThrow() + ": " + health.problem(), health.unreachableSince());
            })));
            var planning = new CampaignPlanning();
            String auditFile = configuration.text(Option.AUDIT_FILE);
            var audit = new AuditLog(database.dataSource(), configuration.duration(Option.AUDIT_RETENTION),
                    auditFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(auditFile)), clock);
            parts.push(audit);
            var api = new ApiServer(store, registry, writer, authorizer, tokens, oidc(configuration), clock,
                    new ApiServer.Limits(configuration.duration(Option.WATCH_BOOKMARK_INTERVAL),
                            configuration.integer(Option.MAX_WATCHES_PER_TOKEN),
                            configuration.integer(Option.TEAM_REQUESTS_PER_SECOND)),
                    new ApiServer.Auditing(audit, configuration.flag(Option.AUDIT_READS)),
                    DroverVersion.current(), address, configuration.port(Option.PORT),
                    new ApiServer.Tls(certificate, configuration.duration(Option.TLS_RELOAD_INTERVAL)), costs, planning, addresses, scans, moreChecks,
                    metrics).start();
            parts.push(api);
            String host = wildcard ? "127.0.0.1" : address;
            String hostInUrl = host.contains(":") ? "[" + host + "]" : host;
            String url = "https://" + hostInUrl + ":" + api.port();
            FleetRepository fleet = FleetRepository.open(dataDirectory.resolve("fleet.git"), configuration.text(Option.GIT_BRANCH));
            parts.push(fleet);
            var git = new GitHttpServer(fleet, tokens, configuration.flag(Option.GIT_ANONYMOUS_READ), address,
                    configuration.port(Option.GIT_PORT)).start();
            parts.push(git);
            String gitUrl = "http://" + hostInUrl + ":" + git.port() + GitHttpServer.REPOSITORY_PATH;
            String remoteUrl = configuration.text(Option.GIT_REMOTE_URL);
            Optional<FleetRemote> remote = remoteUrl.isEmpty() ? Optional.empty()
                    : Optional.of(new FleetRemote(remoteUrl, configuration.text(Option.GIT_REMOTE_TOKEN)));
            String fleetUrl = configuration.text(Option.FLEET_URL);
            if (fleetUrl.isEmpty()) {
                fleetUrl = remoteUrl.isEmpty() ? gitUrl : remoteUrl;
            }
            String credentials = configuration.text(Option.FLEET_CREDENTIALS_SECRET);
            var fleetSettings = new FleetSettings(fleetUrl, fleet.branch(),
                    credentials.isEmpty() ? Optional.empty() : Optional.of(credentials), configuration.text(Option.ARGOCD_NAMESPACE));
            // The only replica on the embedded database has no one to be fenced against.
            LeaderFence fence = embedded.isPresent() ? LeaderFence.none() : LeaderFence.elected();
            Supplier<AutoCloseable> controllers = () -> Controllers.start(store, fleet, fleetSettings, remote, costs, planning,
                    management, configuration.duration(Option.BOOTSTRAP_SECRET_RESYNC), writer,
                    configuration.duration(Option.SCHEDULE_RESYNC), clock, metrics, fence,
                    new Controllers.Ipam(addresses, configuration.duration(Option.IPAM_RECLAIM_AFTER)),
                    new Controllers.Hooks(new IntegrationOutbox(database.dataSource()),
                            configuration.duration(Option.INTEGRATION_DELIVERY_RETENTION)), scans,
                    configuration.duration(Option.WORKLOAD_SCAN_RESYNC));
            if (embedded.isPresent()) {
                // The data directory's lock makes this the only replica on its database: no election.
                Gauge.builder("drover.leader", () -> 1).description("Whether this replica runs the controllers (1) or "
                        + "stands by (0)").register(metrics);
                parts.push(controllers.get());
            } else {
                Leadership leadership = Leadership.start(jdbcUrl, user, password, fence, controllers, metrics);
                parts.push(leadership);
                electionCheck.set(Optional.of(leadership));
                remote.ifPresent(pushedTo -> parts.push(StandbyFleetMirror.start(store, fleet, pushedTo, leadership::leading)));
            }
            String adminTokenFile = configuration.text(Option.ADMIN_TOKEN_FILE);
            var server = new DroverServer(parts, url, dataDirectory.resolve("kubeconfig"),
                    adminTokenFile.isEmpty() ? dataDirectory.resolve("admin-token") : Path.of(adminTokenFile), certificate, store,
                    tokens, new Settings(database.dataSource()),
                    gitUrl, fleet, writer);
            server.ensureAdminCredentials(!adminTokenFile.isEmpty());
            return server;
        } catch (IOException | RuntimeException failed) {
            closeAll(parts);
            if (failed instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) failed;
        }
    }

    /**
     * Registers the admin token of {@code --admin-token-file}, or issues one into the data directory on the first start,
     * and (re)writes the kubeconfig for the current address. A lost token file in the data directory means a new admin
     * token; the old one keeps working until revoked.
     */
    private void ensureAdminCredentials(boolean given) throws IOException {
        Optional<String> token = Files.exists(adminTokenFile)
                ? Optional.of(Files.readString(adminTokenFile).trim()).filter(text -> !text.isEmpty())
                : Optional.empty();
        if (given) {
            String secret = token.orElseThrow(() -> new IllegalArgumentException("--admin-token-file " + adminTokenFile + " is empty"));
            try {
                tokens.registerAdmin(secret, "from --admin-token-file");
            } catch (IllegalArgumentException refused) {
                throw new IllegalArgumentException("--admin-token-file " + adminTokenFile + ": " + refused.getMessage(), refused);
            }
        } else if (token.isEmpty() || tokens.authenticate(token.get()).isEmpty()) {
            IssuedToken issued = tokens.issueAdmin("created on first start");
            OwnerOnlyFiles.write(adminTokenFile, issued.secret() + "\n");
            settings.put(ADMIN_TOKEN_ID, issued.id());
            token = Optional.of(issued.secret());
        }
        Kubeconfig.write(kubeconfig, url, certificate.certificatePem(), token.orElseThrow());
    }

    public String url() {
        return url;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Path adminTokenFile() {
        return adminTokenFile;
    }

    public String adminToken() {
        try {
            return Files.readString(adminTokenFile).trim();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** The PEM certificate clients must trust to reach {@link #url()}. */
    public String certificatePem() {
        return certificate.certificatePem();
    }

    /** Where the fleet repository is served read-only, for git clone. */
    /** The OIDC verifier the options ask for, if any. */
    private static Optional<OidcVerifier> oidc(Configuration configuration) throws java.io.IOException {
        String issuer = configuration.text(Option.OIDC_ISSUER_URL);
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        String caFile = configuration.text(Option.OIDC_CA_FILE);
        Optional<javax.net.ssl.SSLContext> trust = caFile.isEmpty() ? Optional.empty()
                : Optional.of(ServingCertificate.trusting(Files.readString(Path.of(caFile))));
        String adminGroup = configuration.text(Option.OIDC_ADMIN_GROUP);
        return Optional.of(new OidcVerifier(new OidcVerifier.Settings(java.net.URI.create(issuer),
                configuration.text(Option.OIDC_CLIENT_ID), configuration.text(Option.OIDC_USERNAME_CLAIM),
                configuration.text(Option.OIDC_GROUPS_CLAIM), trust, adminGroup.isEmpty() ? Optional.empty()
                : Optional.of(adminGroup))));
    }

    public String gitUrl() {
        return gitUrl;
    }

    public FleetRepository fleet() {
        return fleet;
    }

    public ResourceStore store() {
        return store;
    }

    /** The write path for in-process callers: the same checks as an HTTP request, for the principal given. */
    public ResourceWriter writer() {
        return writer;
    }

    boolean examplesLoaded() {
        return settings.get("examples-loaded").isPresent();
    }

    void markExamplesLoaded() {
        settings.put("examples-loaded", "true");
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception ignored) {
                // Shutting down: the remaining parts must still be closed.
            }
        }
    }
}
