package dev.drover.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of the audit log: who did what to which object, with what outcome, from where.
 *
 * @param actor the token id, or the OIDC subject
 * @param groups the actor's groups, comma-separated (OIDC), else empty
 * @param team the teams a team member acts for, comma-separated, else empty
 * @param verb create, update, patch, delete, … or, for a refusal, the request's method
 * @param versionBefore the object's resourceVersion before the write, empty when it did not exist
 * @param versionAfter its resourceVersion after the write, empty when it is gone
 * @param code the HTTP status of the answer
 * @param message why a request was refused, else empty
 * @param source the client's address
 */
public record AuditEntry(long id, Instant at, String actor, String groups, String team, String verb, String kind,
                         String namespace, String name, Optional<Long> versionBefore, Optional<Long> versionAfter, int code,
                         String message, String source) {

    /** Text PostgreSQL stores as given: hostile requests quote NUL characters and broken UTF-16 in their refusals. */
    public AuditEntry {
        actor = storable(actor);
        groups = storable(groups);
        team = storable(team);
        verb = storable(verb);
        kind = storable(kind);
        namespace = storable(namespace);
        name = storable(name);
        message = storable(message);
        source = storable(source);
    }

    /** The text with each NUL written as the escape {@code \u0000} and each unpaired surrogate as U+FFFD. */
    static String storable(String text) {
        var stored = new StringBuilder(text.length());
        for (int index = 0; index < text.length(); index++) {
            char next = text.charAt(index);
            if (next == 0) {
                stored.append("\\u0000");
            } else if (Character.isHighSurrogate(next) && index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))) {
                stored.append(next).append(text.charAt(++index));
            } else if (Character.isSurrogate(next)) {
                stored.append('\uFFFD');
            } else {
                stored.append(next);
            }
        }
        return stored.toString();
    }

    /** An entry to be written: the database gives it its id. */
    public static AuditEntry of(Instant at, String actor, String groups, String team, String verb, String kind,
                                String namespace, String name, Optional<Long> versionBefore, Optional<Long> versionAfter,
                                int code, String message, String source) {
        return new AuditEntry(0, at, actor, groups, team, verb, kind, namespace, name, versionBefore, versionAfter, code,
                message, source);
    }
}
