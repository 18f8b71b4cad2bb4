package dev.drover.server.reconcile;

import static java.util.Objects.requireNonNull;

import dev.drover.model.resource.AddonProfileSpec;

/** What the fleet reconciler knows of a stored AddonProfile. */
record ProfileState(AddonProfileSpec spec, long generation) {

    ProfileState {
        requireNonNull(spec, "spec is null");
    }
}
