package dev.drover.model.validation;

import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.ipam.AddressPlan;
import dev.drover.model.ipam.AddressRange;
import dev.drover.model.ipam.IpAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Semantic checks of an IPPool on its own; overlaps with other pools and addresses in use are checked by the server. */
public final class IPPoolValidation {

    /** More networks than this in one pool would mean a list of reserved addresses nobody meant to keep. */
    static final int MAX_NETWORKS = 65_536;
    private static final java.util.regex.Pattern DOMAIN = java.util.regex.Pattern.compile(
            "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$");

    private IPPoolValidation() {
    }

    /**
     * @return the addresses the pool hands out
     * @throws ApiException Invalid with one cause per wrong field
     */
    public static AddressPlan check(String name, IPPoolSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        List<AddressRange> ranges = new ArrayList<>();
        Optional<Boolean> v6 = Optional.empty();
        if (spec.addresses().isEmpty()) {
            errors.add(FieldError.required("spec.addresses", "list the pool's CIDRs, ranges or addresses, for example "
                    + "[10.20.0.0/24]"));
        }
        for (int index = 0; index < spec.addresses().size(); index++) {
            String path = "spec.addresses[" + index + "]";
            Optional<AddressRange> range = parse(path, spec.addresses().get(index), errors);
            if (range.isEmpty()) {
                continue;
            }
            if (v6.isPresent() && v6.get() != range.get().first().v6()) {
                errors.add(FieldError.invalid(path, spec.addresses().get(index), "a pool holds one family (the IPAM contract "
                        + "is single-stack); put IPv4 and IPv6 addresses in two pools"));
                continue;
            }
            v6 = Optional.of(range.get().first().v6());
            ranges.add(range.get());
        }
        boolean family = v6.orElse(false);
        int bits = family ? 128 : 32;
        if (spec.prefix() > bits) {
            errors.add(FieldError.invalid("spec.prefix", spec.prefix(), "an IPv" + (family ? "6" : "4") + " prefix length is at "
                    + "most " + bits));
        } else if (!ranges.isEmpty()) {
            BigInteger networks = BigInteger.ZERO;
            for (AddressRange range : ranges) {
                networks = networks.add(range.size().shiftRight(bits - spec.prefix())).add(BigInteger.ONE);
            }
            if (networks.compareTo(BigInteger.valueOf(MAX_NETWORKS)) > 0) {
                errors.add(FieldError.invalid("spec.prefix", spec.prefix(), "the addresses span more than " + MAX_NETWORKS
                        + " networks of /" + spec.prefix() + "; give the prefix length of the machines' network"));
            }
            spec.gateway().ifPresent(gateway -> parseAddress("spec.gateway", gateway, family, errors).ifPresent(address -> {
                if (ranges.stream().noneMatch(range -> AddressRange.network(range.first(), spec.prefix()).contains(address))) {
                    errors.add(FieldError.invalid("spec.gateway", gateway, "the gateway is outside every network of the pool's "
                            + "addresses with prefix /" + spec.prefix() + "; machines could not reach it"));
                }
            }));
        }
        for (int index = 0; index < spec.excludedAddresses().size(); index++) {
            String path = "spec.excludedAddresses[" + index + "]";
            String entry = spec.excludedAddresses().get(index);
            parse(path, entry, errors).filter(range -> range.first().v6() != family)
                    .ifPresent(range -> errors.add(FieldError.invalid(path, entry, "not of the pool's family")));
        }
        if (spec.dnsServers().size() > 3) {
            errors.add(FieldError.invalid("spec.dnsServers", spec.dnsServers(), "resolv.conf takes at most three servers"));
        }
        for (int index = 0; index < spec.dnsServers().size(); index++) {
            String path = "spec.dnsServers[" + index + "]";
            try {
                IpAddress.parse(spec.dnsServers().get(index));
            } catch (IllegalArgumentException wrong) {
                errors.add(FieldError.invalid(path, spec.dnsServers().get(index), wrong.getMessage()));
            }
        }
        for (int index = 0; index < spec.searchDomains().size(); index++) {
            if (!DOMAIN.matcher(spec.searchDomains().get(index)).matches()) {
                errors.add(FieldError.invalid("spec.searchDomains[" + index + "]", spec.searchDomains().get(index),
                        "not a DNS domain (lower-case labels separated by dots, such as corp.example.com)"));
            }
        }
        spec.reuseAfter().ifPresent(reuseAfter -> {
            try {
                Lifetime.parse(reuseAfter);
            } catch (IllegalArgumentException wrong) {
                errors.add(FieldError.invalid("spec.reuseAfter", reuseAfter, wrong.getMessage()));
            }
        });
        if (errors.isEmpty()) {
            AddressPlan plan = AddressPlan.of(spec);
            if (plan.size().signum() == 0) {
                errors.add(FieldError.invalid("spec.addresses", spec.addresses(), "the exclusions, the gateway and the network "
                        + "and broadcast addresses leave no address to hand out"));
            } else {
                return plan;
            }
        }
        throw ApiException.invalid(Kinds.IP_POOL, name, errors);
    }

    private static Optional<AddressRange> parse(String path, String text, List<FieldError> errors) {
        try {
            return Optional.of(AddressRange.parse(text));
        } catch (IllegalArgumentException wrong) {
            errors.add(FieldError.invalid(path, text, wrong.getMessage()));
            return Optional.empty();
        }
    }

    private static Optional<IpAddress> parseAddress(String path, String text, boolean v6, List<FieldError> errors) {
        try {
            IpAddress address = IpAddress.parse(text);
            if (address.v6() == v6) {
                return Optional.of(address);
            }
            errors.add(FieldError.invalid(path, text, "not of the pool's family"));
        } catch (IllegalArgumentException wrong) {
            errors.add(FieldError.invalid(path, text, wrong.getMessage()));
        }
        return Optional.empty();
    }
}
