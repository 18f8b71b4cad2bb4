package dev.drover.server.write;

import dev.drover.server.apply.ManagedField;
import java.util.List;

/** What a write records in {@code metadata.managedFields}. */
sealed interface Ownership {

    /** A create, update or patch: the manager takes the fields it changed. */
    record Update(String manager) implements Ownership {
    }

    /** A server-side apply: the entries it decided. */
    record Apply(List<ManagedField> entries) implements Ownership {
        public Apply {
            entries = List.copyOf(entries);
        }
    }
}
