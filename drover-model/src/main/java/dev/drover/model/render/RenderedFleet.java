package dev.drover.model.render;

import dev.drover.model.api.ClusterId;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** A rendered repository: its files by path, and the clusters that could not be rendered and why. */
public record RenderedFleet(SortedMap<String, String> files, SortedMap<ClusterId, ClusterOutcome.Failed> failures) {

    public RenderedFleet {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
    }
}
