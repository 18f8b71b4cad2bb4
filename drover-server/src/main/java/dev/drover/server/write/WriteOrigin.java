package dev.drover.server.write;

import dev.drover.server.auth.Principal;
import dev.drover.server.store.AuditEntry;
import dev.drover.server.store.StoredObject;
import java.time.Instant;
import java.util.Optional;

/**
 * Who makes a write and how, as admission sees the principal and the audit log records all of it.
 *
 * @param verb the request's verb: create, update, patch, apply, delete, deletecollection, promote
 * @param source the client's address; empty for Drover's own writes
 */
record WriteOrigin(Principal principal, String verb, String source) {

    /** The audit entry of a write of the object that was {@code before} and is {@code after} now. */
    AuditEntry entry(Instant at, String kind, String namespace, String name, Optional<StoredObject> before,
                     Optional<StoredObject> after, int code) {
        Optional<Principal.TeamMember> member = principal instanceof Principal.TeamMember teamMember
                ? Optional.of(teamMember) : Optional.empty();
        return AuditEntry.of(at, principal.tokenId(), member.map(each -> String.join(",", each.groups())).orElse(""),
                member.map(each -> String.join(",", each.teams())).orElse(""), verb, kind, namespace, name,
                before.map(StoredObject::resourceVersion), after.map(StoredObject::resourceVersion), code, "", source);
    }
}
