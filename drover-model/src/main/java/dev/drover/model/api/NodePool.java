package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.Map;
import java.util.Optional;

@Doc("A group of identical worker nodes that scales between minSize and maxSize.")
public record NodePool(
        @Required @Pattern(value = "^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$",
                meaning = "a DNS-1123 label of at most 40 characters (lower-case letters, digits and '-')")
        @Doc("Name of the pool, unique within the cluster.") String name,
        @Required @Doc("Machine type of the nodes, one the flavor allows, for example m6i.large.") String instanceType,
        @Required @Minimum(0) @Doc("Fewest nodes the pool scales down to.") Integer minSize,
        @Required @Minimum(0) @Doc("Most nodes the pool scales up to; counts against the team's node quota.") Integer maxSize,
        @Doc("onDemand (the default) or spot capacity, where the provider supports it.") Optional<CapacityType> capacityType,
        @Doc("Kubernetes labels put on every node of the pool.") Map<String, String> labels) {

    public NodePool {
        capacityType = Values.option(capacityType);
        labels = Values.map(labels);
    }

    public enum CapacityType {
        @JsonProperty("onDemand") ON_DEMAND,
        @JsonProperty("spot") SPOT
    }
}
