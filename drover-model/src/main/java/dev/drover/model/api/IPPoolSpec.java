package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Addresses that machines of the clusters in scope get through the Cluster API IPAM contract: Drover is the IPAM "
        + "provider and allocates them in its database, so no address is handed out twice.")
public record IPPoolSpec(
        @Required @ListSet @Doc("The addresses, one family: CIDRs (10.20.0.0/24), ranges (10.20.0.10-10.20.0.99) and single "
                + "addresses.") List<String> addresses,
        @Required @Minimum(0) @Doc("Prefix length of the network the machines are on, for example 24; every address gets it.")
        Integer prefix,
        @Doc("Default gateway of the machines; never handed out.") Optional<String> gateway,
        @ListSet @Doc("Addresses never handed out, in the same forms as addresses.") List<String> excludedAddresses,
        @Doc("Whether each network's network and (IPv4) broadcast address are handed out too; they are not by default.")
        Optional<Boolean> allocateReservedAddresses,
        @ListSet @Doc("DNS servers of machines with addresses from the pool (at most three): IPAM carries none, so vSphere "
                + "machine templates get them from here.") List<String> dnsServers,
        @ListSet @Doc("DNS search domains of those machines.") List<String> searchDomains,
        @Pattern(value = ClusterSpec.DURATION, meaning = "a duration in hours and minutes such as 10m")
        @Doc("How long a released address rests before it is handed out to another claim (stale ARP caches and DNS records "
                + "still point at it); 10m unless set, 0m for at once.") Optional<String> reuseAfter,
        @Doc("Which clusters may draw from the pool; every cluster whose flavor names it, unless set.") Optional<Scope> scope) {

    public static final String DEFAULT_REUSE_AFTER = "10m";

    public IPPoolSpec {
        addresses = Values.list(addresses);
        gateway = Values.option(gateway);
        excludedAddresses = Values.list(excludedAddresses);
        allocateReservedAddresses = Values.option(allocateReservedAddresses);
        dnsServers = Values.list(dnsServers);
        searchDomains = Values.list(searchDomains);
        reuseAfter = Values.option(reuseAfter);
        scope = Values.option(scope);
    }

    @Doc("The clusters that may draw from a pool; an empty list allows every value.")
    public record Scope(
            @ListSet @Doc("ClusterFlavors whose clusters may draw.") List<String> flavors,
            @ListSet @Doc("Environments whose clusters may draw.") List<String> environments,
            @ListSet @Doc("Teams whose clusters may draw.") List<String> teams) {

        public Scope {
            flavors = Values.list(flavors);
            environments = Values.list(environments);
            teams = Values.list(teams);
        }

        public boolean allows(String flavor, String environment, String team) {
            return (flavors.isEmpty() || flavors.contains(flavor)) && (environments.isEmpty() || environments.contains(environment))
                    && (teams.isEmpty() || teams.contains(team));
        }
    }

    /** Whether a cluster of the flavor, environment and team may draw from the pool. */
    public boolean allows(String flavor, String environment, String team) {
        return scope.map(allowed -> allowed.allows(flavor, environment, team)).orElse(true);
    }
}
