package dev.drover.server.apply;

import static java.util.Objects.requireNonNull;

/**
 * One entry of {@code metadata.managedFields}: the fields one manager set with one kind of operation.
 *
 * @param time when the manager last changed the object (RFC 3339), empty when unknown
 * @param subresource {@code status} for writes of the status subresource, else empty
 */
public record ManagedField(String manager, Operation operation, String apiVersion, String time, String subresource,
                           FieldSet fields) {

    /** How the manager wrote: by server-side apply, or by create, update and the other patches. */
    public enum Operation {
        APPLY("Apply"),
        UPDATE("Update");

        private final String wireName;

        Operation(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public ManagedField {
        requireNonNull(manager, "manager is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(time, "time is null");
        requireNonNull(subresource, "subresource is null");
        requireNonNull(fields, "fields is null");
    }

    /** Whether both entries are the same manager's, as kube-apiserver keys them: name, operation and subresource. */
    boolean sameManager(ManagedField other) {
        return manager.equals(other.manager) && operation == other.operation && subresource.equals(other.subresource);
    }

    ManagedField withFields(FieldSet newFields) {
        return new ManagedField(manager, operation, apiVersion, time, subresource, newFields);
    }

    ManagedField at(String newTime) {
        return new ManagedField(manager, operation, apiVersion, newTime, subresource, fields);
    }
}
