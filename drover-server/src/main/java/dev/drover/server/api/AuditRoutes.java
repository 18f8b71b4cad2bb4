package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.Numbers;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.AuditEntry;
import dev.drover.server.store.AuditLog;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The audit log over the API, for platform admins: {@code GET /drover/v1/audit}; and the recording of what the write
 * transactions do not record themselves: refusals, and reads when asked for.
 */
final class AuditRoutes {

    static final String PATH = "/drover/v1/audit";
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Refusals of any request: who was kept out, or held back. */
    private static final Set<Integer> ALWAYS_AUDITED = Set.of(401, 403, 429);
    private static final int DEFAULT_LIMIT = 500;
    private static final int MAX_LIMIT = 10_000;

    private final AuditLog log;
    private final boolean reads;
    private final Clock clock;

    AuditRoutes(AuditLog log, boolean reads, Clock clock) {
        this.log = log;
        this.reads = reads;
        this.clock = clock;
    }

    /** {@code ?team=&user=&since=1h|RFC 3339&limit=}: newest first. */
    void list(Context context, Principal principal) {
        if (!(principal instanceof Principal.PlatformAdmin)) {
            throw ApiException.forbidden("the audit log is forbidden: " + principal.describe() + " cannot read it; only "
                    + "platform-admin tokens can");
        }
        int limit = Optional.ofNullable(context.queryParam("limit")).map(AuditRoutes::limit).orElse(DEFAULT_LIMIT);
        var query = new AuditLog.Query(parameter(context, "team"), parameter(context, "user"),
                parameter(context, "since").map(this::since), limit);
        var body = Json.MAPPER.createObjectNode();
        body.put("kind", "AuditLog");
        var items = body.putArray("items");
        log.list(query).forEach(entry -> items.add(AuditLog.json(entry)));
        ResourceRoutes.respondJson(context, 200, body);
    }

    /** Records the request if it was refused, or is a read and reads are audited; writes record themselves. */
    void recordAnswered(Context context, Optional<Principal> principal, int code, String message) {
        String method = context.method().name();
        boolean refusal = ALWAYS_AUDITED.contains(code) || code >= 400 && code < 500 && WRITE_METHODS.contains(method);
        boolean auditedRead = reads && code < 400 && method.equals("GET") && principal.isPresent();
        if (!refusal && !auditedRead) {
            return;
        }
        String kind = "";
        String namespace = "";
        String name = "";
        try {
            ResourcePath path = ResourcePath.parse(context.path());
            kind = path.kind().kind();
            namespace = path.namespaceOrEmpty();
            name = path.name().orElse("");
        } catch (ApiException notAResource) {
            name = Numbers.excerpt(context.path());
        }
        Optional<Principal.TeamMember> member = principal.filter(Principal.TeamMember.class::isInstance)
                .map(Principal.TeamMember.class::cast);
        log.record(AuditEntry.of(clock.instant(), principal.map(Principal::tokenId).orElse("unauthenticated"),
                member.map(each -> String.join(",", each.groups())).orElse(""),
                member.map(each -> String.join(",", each.teams())).orElse(""),
                method.toLowerCase(Locale.ROOT), kind, namespace, name, Optional.empty(), Optional.empty(), code,
                message.length() > 1000 ? message.substring(0, 1000) + "…" : message, context.ip()));
    }

    private static Optional<String> parameter(Context context, String name) {
        return Optional.ofNullable(context.queryParam(name)).filter(value -> !value.isEmpty());
    }

    private static int limit(String text) {
        try {
            return Math.clamp(Integer.parseInt(text), 1, MAX_LIMIT);
        } catch (NumberFormatException notANumber) {
            throw ApiException.badRequest("limit \"" + Numbers.excerpt(text) + "\" is not a whole number");
        }
    }

    /** {@code since} as a duration back from now (30m, 2h, 7d) or an RFC 3339 time. */
    private Instant since(String text) {
        try {
            if (text.matches("\\d{1,6}[smhd]")) {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                Duration back = switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
                return clock.instant().minus(back);
            }
            return Instant.parse(text);
        } catch (DateTimeParseException notATime) {
            throw ApiException.badRequest("since \"" + Numbers.excerpt(text) + "\" is neither a duration such as 30m, 2h or "
                    + "7d nor a time such as 2026-12-01T09:00:00Z");
        }
    }
}
