package dev.drover.server.api;

import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.server.auth.Authorizer;
import dev.drover.server.auth.OidcVerifier;
import dev.drover.server.auth.Principal;
import dev.drover.server.auth.TokenStore;
import dev.drover.server.store.AddressAllocations;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.AuditLog;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoreFailure;
import dev.drover.server.tls.ServingCertificate;
import dev.drover.server.write.KindRegistry;
import dev.drover.server.write.ResourceWriter;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP edge: Kubernetes-shaped routes, authentication, and errors as {@code Status} objects. */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String METRICS_PATH = "/metrics";
    private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/healthz", "/livez", "/readyz");
    /** Answers that do not depend on who asks: health and version, discovery, OpenAPI. */
    private static final Set<String> DISCOVERY_PATHS = Set.of("/api", "/api/v1", "/apis", "/apis/" + Kinds.GROUP,
            "/apis/" + Kinds.GROUP + "/" + Kinds.VERSION, "/openapi/v2", "/openapi/v3");
    private static final String PRINCIPAL = "drover.principal";
    private static final String REFUSAL = "drover.refusal";
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    private final Javalin app;
    private final ScheduledExecutorService certificateRenewal =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-tls-renewal").daemon().factory());
    /** The certificate served and what its files' last check found wrong (empty: nothing); the renewal thread's. */
    private ServingCertificate served;
    private String certificateProblem = "";

    /**
     * What one client may take of the API.
     *
     * @param bookmarkInterval how often watchers that ask for bookmarks get one
     * @param watchesPerToken open watches per token (every scope)
     * @param teamRequestsPerSecond sustained requests per second of a team token, 0 for no limit; bursts of twice as
     *                              many pass
     */
    public record Limits(Duration bookmarkInterval, int watchesPerToken, int teamRequestsPerSecond) {
    }

    /**
     * What the API serves TLS with.
     *
     * @param renewalCheck how often the certificate's files (an operator's, cert-manager's) are read again; a changed
     *                     certificate is served to new connections
     */
    public record Tls(ServingCertificate certificate, Duration renewalCheck) {
    }

    /**
     * The audit log, and whether successful reads are recorded in it too (writes and refusals always are).
     */
    public record Auditing(AuditLog log, boolean reads) {
    }

    /**
     * @param writer the write path, shared with in-process callers
     * @param authorizer the authorization of reads; writes are authorized by the writer
     */
    public ApiServer(ResourceStore store, KindRegistry registry, ResourceWriter writer, Authorizer authorizer, TokenStore tokens,
                     Optional<OidcVerifier> oidc, Clock clock, Limits limits, Auditing auditing, String version, String address, int port,
                     Tls tls, CostLedger ledger, CampaignPlanning planning, AddressAllocations addresses, ImageScans scans,
                     List<HealthCheck> moreChecks, PrometheusMeterRegistry metrics) {
        this.served = tls.certificate();
        var authentication = new Authentication(tokens, oidc, groups -> teamsListing(store, groups), clock);
        var discovery = new DiscoveryRoutes(version);
        var requestLimits = new RequestLimits(limits, clock);
        var watches = new WatchResponder(store, limits.bookmarkInterval(), requestLimits);
        var resources = new ResourceRoutes(store, registry, writer, authorizer, clock, planning, watches,
                new ApplicationRoutes(store, authorizer, scans));
        var tokenRoutes = new TokenRoutes(tokens, store, authentication);
        var namespaces = new NamespaceRoutes(store, authorizer, clock, watches);
        var events = new EventRoutes(store, clock, watches);
        var costs = new CostRoutes(ledger);
        var reviews = new AccessReviewRoutes(authorizer);
        var audit = new AuditRoutes(auditing.log(), auditing.reads(), clock);
        var ipam = new IpamRoutes(addresses);
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(new HealthCheck("store", true, () -> {
            try {
                store.ping();
                return HealthCheck.Result.passed();
            } catch (StoreFailure failure) {
                return new HealthCheck.Result(false, failure.getMessage(), java.util.Optional.empty());
            }
        }));
        checks.addAll(moreChecks);
        var health = new HealthRoutes(checks, clock, metrics);
        var requests = new RequestMetrics(metrics);
        this.app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = RequestBodies.MAX_BODY_BYTES + 1L;
            config.http.disableCompression();
            config.jetty.modifyServletContextHandler(handler -> {
                handler.addFilter(new FilterHolder(new RequestGate()), "/*", EnumSet.of(DispatcherType.REQUEST));
                handler.setErrorHandler(new JsonErrorPages());
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorPages()));
            config.jetty.addConnector((server, httpConfiguration) -> {
                var context = new SslContextFactory.Server();
                context.setKeyStore(tls.certificate().keyStore());
                context.setKeyStorePassword(tls.certificate().keyStorePassword());
                certificateRenewal.scheduleWithFixedDelay(() -> serveRenewed(context), tls.renewalCheck().toMillis(),
                        tls.renewalCheck().toMillis(), TimeUnit.MILLISECONDS);
                var secure = new SecureRequestCustomizer();
                secure.setSniHostCheck(false);
                httpConfiguration.addCustomizer(secure);
                var connector = new ServerConnector(server, new SslConnectionFactory(context, "http/1.1"),
                        new HttpConnectionFactory(httpConfiguration));
                connector.setHost(address);
                connector.setPort(port);
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
        });
        app.before(requests::started);
        app.after(requests::finished);
        app.after(context -> audit.recordAnswered(context, Optional.ofNullable(principal(context)), context.statusCode(),
                Optional.ofNullable(context.<String>attribute(REFUSAL)).orElse("")));
        app.before(context -> {
            refuseImpersonation(context);
            if (context.path().equals(METRICS_PATH)) {
                authentication.authenticateScrape(context.header("Authorization"))
                        .ifPresent(principal -> context.attribute(PRINCIPAL, principal));
            } else if (!PUBLIC_PATHS.contains(context.path())) {
                Principal principal = authentication.authenticate(context.header("Authorization"));
                context.attribute(PRINCIPAL, principal);
                long retryAfter = requestLimits.admit(principal);
                if (retryAfter > 0) {
                    context.header("Retry-After", Long.toString(retryAfter));
                    throw new ApiException(ApiException.Reason.TOO_MANY_REQUESTS, "too many requests: " + principal.describe()
                            + " is over its rate of " + limits.teamRequestsPerSecond() + " requests per second "
                            + "(--team-requests-per-second); retry after " + retryAfter + " s");
                }
            }
        });
        app.get("/healthz", context -> context.result("ok"));
        app.get("/livez", health::livez);
        app.get("/readyz", health::readyz);
        app.get(METRICS_PATH, health::metrics);
        app.get("/version", discovery::version);
        app.get("/api", discovery::coreVersions);
        app.get("/api/v1", namespaces::resources);
        app.get("/api/v1/namespaces", context -> namespaces.list(context, principal(context)));
        app.get("/api/v1/namespaces/{name}", context -> namespaces.get(context, principal(context)));
        app.post("/api/v1/namespaces", namespaces::refuseWrite);
        app.get("/api/v1/events", context -> events.list(context, principal(context), java.util.Optional.empty()));
        app.get("/api/v1/namespaces/{namespace}/events", context -> events.list(context, principal(context),
                java.util.Optional.of(context.pathParam("namespace"))));
        app.get("/api/v1/namespaces/{namespace}/events/{name}", context -> events.get(context, principal(context)));
        for (HandlerType method : new HandlerType[] {HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE}) {
            app.addHttpHandler(method, "/api/v1/namespaces/{name}", namespaces::refuseWrite);
        }
        app.get("/apis", discovery::groups);
        app.get("/apis/" + Kinds.GROUP, discovery::group);
        app.get("/apis/" + Kinds.GROUP + "/" + Kinds.VERSION, discovery::resources);
        app.get("/openapi/v2", discovery::openApiV2);
        app.get("/openapi/v3", discovery::openApiV3Index);
        app.get("/openapi/v3/<path>", discovery::openApiV3);
        app.post(AccessReviewRoutes.ACCESS_REVIEW_PATH, context -> reviews.accessReview(context, principal(context)));
        app.post(AccessReviewRoutes.RULES_REVIEW_PATH, context -> reviews.rulesReview(context, principal(context)));
        app.post(AccessReviewRoutes.SUBJECT_REVIEW_PATH, context -> reviews.subjectReview(context, principal(context)));
        app.get(CostRoutes.REPORT_PATH, context -> costs.report(context, principal(context)));
        app.post(CostRoutes.WHAT_IF_PATH, context -> costs.whatIf(context, principal(context)));
        app.post(TokenRoutes.PATH, context -> tokenRoutes.create(context, principal(context)));
        app.get(TokenRoutes.PATH, context -> tokenRoutes.list(context, principal(context)));
        app.delete(TokenRoutes.PATH + "/{id}", context -> tokenRoutes.revoke(context, principal(context)));
        app.get(AuditRoutes.PATH, context -> audit.list(context, principal(context)));
        app.get(IpamRoutes.ALLOCATIONS_PATH, context -> ipam.allocations(context, principal(context)));
        app.get(IpamRoutes.HISTORY_PATH, context -> ipam.history(context, principal(context)));
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.POST, HandlerType.PUT,
                HandlerType.PATCH, HandlerType.DELETE}) {
            app.addHttpHandler(method, ResourcePath.PREFIX + "<path>", context -> resources.handle(context, principal(context)));
        }
        app.exception(ApiException.class, (error, context) -> {
            context.attribute(REFUSAL, error.getMessage());
            ResourceRoutes.respondJson(context, error.reason().code(), StatusResponses.failure(error));
        });
        app.exception(StoreFailure.class, (failure, context) -> {
            LOG.warn("store failure on {} {}: {}", context.method(), context.path(), failure.getMessage());
            ResourceRoutes.respondJson(context, 503, StatusResponses.failure(new ApiException(
                    ApiException.Reason.SERVICE_UNAVAILABLE, "the store is unavailable; nothing was written; retry: "
                    + failure.getMessage())));
        });
        app.exception(Exception.class, (bug, context) -> {
            // The exception's text may name internals (queries, paths, stored data): it goes to the log, not the client.
            String id = UUID.randomUUID().toString();
            LOG.error("internal error {} on {} {}", id, context.method(), context.path(), bug);
            ResourceRoutes.respondJson(context, 500, StatusResponses.failure(new ApiException(
                    ApiException.Reason.INTERNAL_ERROR, "internal error " + id + ": the server log has the details under this id")));
        });
        app.exception(HttpResponseException.class, (unmatched, context) -> {
            ApiException.Reason reason = ApiException.Reason.ofStatus(unmatched.getStatus());
            String message = reason == ApiException.Reason.NOT_FOUND
                    ? "the server could not find the requested resource (" + context.method() + " " + context.path() + ")"
                    : unmatched.getMessage();
            ResourceRoutes.respondJson(context, reason.code(), StatusResponses.failure(new ApiException(reason, message)));
        });
    }

    public ApiServer start() {
        app.start();
        return this;
    }

    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    /**
     * Impersonation headers ({@code kubectl --as}) are refused, never ignored: answering as the caller would show an
     * admin its own rights while it believes it sees a team's. Discovery, OpenAPI, version and health are the same for
     * every caller, so they are answered, and the refusal comes with the request itself, where kubectl prints it.
     */
    private static void refuseImpersonation(Context context) {
        boolean impersonating = context.headerMap().keySet().stream().anyMatch(header ->
                header.regionMatches(true, 0, "Impersonate-", 0, "Impersonate-".length()));
        boolean sameForEveryCaller = PUBLIC_PATHS.contains(context.path()) || DISCOVERY_PATHS.contains(context.path())
                || context.path().startsWith("/openapi/");
        if (impersonating && !sameForEveryCaller) {
            throw ApiException.forbidden("impersonation (kubectl --as, Impersonate-* headers) is not supported: Drover acts "
                    + "only as the token it is given; to see what a team may do, use a token of that team "
                    + "(drover token create --team TEAM) with kubectl auth can-i");
        }
    }

    /** The Teams whose spec.groups hold one of the groups. */
    private static java.util.SortedSet<String> teamsListing(ResourceStore store, List<String> groups) {
        var teams = new java.util.TreeSet<String>();
        var listed = store.list(new dev.drover.server.store.ListQuery(Kinds.TEAM.kind(), Optional.empty(), key -> true,
                dev.drover.model.selector.LabelSelector.EVERYTHING, 0, Optional.empty()));
        for (var team : listed.items()) {
            for (var group : dev.drover.model.schema.Json.parseObject(team.json()).path("spec").path("groups")) {
                if (groups.contains(group.asText())) {
                    teams.add(team.name());
                }
            }
        }
        return teams;
    }

    private static Principal principal(Context context) {
        return context.attribute(PRINCIPAL);
    }

    @Override
    public void close() {
        certificateRenewal.shutdownNow();
        app.stop();
    }

    /** Serves the certificate its files hold now if they changed (a renewal), to new connections; open ones keep theirs. */
    private void serveRenewed(SslContextFactory.Server context) {
        Optional<ServingCertificate> renewed;
        try {
            renewed = served.renewed();
        } catch (RuntimeException unusable) {
            // Once per problem: files caught half written are read again at every check until they are whole.
            String problem = String.valueOf(unusable.getMessage());
            if (!problem.equals(certificateProblem)) {
                LOG.warn("the TLS certificate files changed but cannot be used yet, keeping the current certificate: {}", problem);
            }
            certificateProblem = problem;
            return;
        }
        certificateProblem = "";
        if (renewed.isEmpty()) {
            return;
        }
        try {
            context.reload(factory -> {
                factory.setKeyStore(renewed.get().keyStore());
                factory.setKeyStorePassword(renewed.get().keyStorePassword());
            });
            served = renewed.get();
            LOG.info("serving the renewed TLS certificate");
        } catch (Exception failed) {
            LOG.warn("cannot serve the renewed TLS certificate, keeping the current one: {}", failed.toString());
        }
    }
}
