package dev.drover.model.api;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/** A Cluster's identity: its team (the namespace) and its name. */
public record ClusterId(String team, String name) implements Comparable<ClusterId> {

    private static final Comparator<ClusterId> ORDER = Comparator.comparing(ClusterId::team).thenComparing(ClusterId::name);

    public ClusterId {
        requireNonNull(team, "team is null");
        requireNonNull(name, "name is null");
    }

    @Override
    public int compareTo(ClusterId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return team + "/" + name;
    }
}
