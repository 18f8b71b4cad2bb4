package dev.drover.model.ipam;

import dev.drover.model.api.IPPoolSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The addresses a pool hands out: its entries, merged, less its exclusions, its gateway and (unless the pool allocates
 * them) each network's network and broadcast addresses, as sorted disjoint ranges of one family.
 */
public final class AddressPlan {

    private final boolean v6;
    private final List<AddressRange> usable;
    private final BigInteger size;

    private AddressPlan(boolean v6, List<AddressRange> usable) {
        this.v6 = v6;
        this.usable = List.copyOf(usable);
        this.size = usable.stream().map(AddressRange::size).reduce(BigInteger.ZERO, BigInteger::add);
    }

    /**
     * The plan of a pool whose spec is valid.
     *
     * @throws IllegalArgumentException when an entry does not parse (validation names the field first)
     */
    public static AddressPlan of(IPPoolSpec spec) {
        List<AddressRange> declared = spec.addresses().stream().map(AddressRange::parse).toList();
        boolean v6 = declared.stream().findFirst().map(range -> range.first().v6()).orElse(false);
        List<AddressRange> excluded = new ArrayList<>(spec.excludedAddresses().stream().map(AddressRange::parse).toList());
        spec.gateway().map(IpAddress::parse).ifPresent(gateway -> excluded.add(new AddressRange(gateway, gateway)));
        List<AddressRange> merged = merge(declared);
        if (!spec.allocateReservedAddresses().orElse(false)) {
            excluded.addAll(reserved(merged, spec.prefix(), v6));
        }
        return new AddressPlan(v6, subtract(merged, merge(excluded)));
    }

    /** Each network's own address and, in IPv4, its broadcast address: a /31 or /32 (a /127 or /128) has neither. */
    private static List<AddressRange> reserved(List<AddressRange> ranges, int prefix, boolean v6) {
        List<AddressRange> reserved = new ArrayList<>();
        if (prefix >= IpAddress.bits(v6) - 1) {
            return reserved;
        }
        BigInteger networkSize = BigInteger.ONE.shiftLeft(IpAddress.bits(v6) - prefix);
        for (AddressRange range : ranges) {
            AddressRange network = AddressRange.network(range.first(), prefix);
            while (network.first().compareTo(range.last()) <= 0) {
                reserved.add(new AddressRange(network.first(), network.first()));
                if (!v6) {
                    reserved.add(new AddressRange(network.last(), network.last()));
                }
                BigInteger next = network.first().value().add(networkSize);
                if (next.bitLength() > IpAddress.bits(v6)) {
                    break;
                }
                network = AddressRange.network(new IpAddress(v6, next), prefix);
            }
        }
        return reserved;
    }

    static List<AddressRange> merge(List<AddressRange> ranges) {
        List<AddressRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(AddressRange::first));
        List<AddressRange> merged = new ArrayList<>();
        for (AddressRange range : sorted) {
            if (!merged.isEmpty()) {
                AddressRange previous = merged.getLast();
                if (previous.last().value().add(BigInteger.ONE).compareTo(range.first().value()) >= 0) {
                    merged.set(merged.size() - 1, new AddressRange(previous.first(),
                            previous.last().compareTo(range.last()) >= 0 ? previous.last() : range.last()));
                    continue;
                }
            }
            merged.add(range);
        }
        return merged;
    }

    private static List<AddressRange> subtract(List<AddressRange> ranges, List<AddressRange> excluded) {
        List<AddressRange> result = new ArrayList<>();
        for (AddressRange range : ranges) {
            BigInteger low = range.first().value();
            BigInteger high = range.last().value();
            for (AddressRange hole : excluded) {
                if (hole.first().v6() != range.first().v6() || hole.last().value().compareTo(low) < 0
                        || hole.first().value().compareTo(high) > 0) {
                    continue;
                }
                if (hole.first().value().compareTo(low) > 0) {
                    result.add(new AddressRange(new IpAddress(range.first().v6(), low),
                            new IpAddress(range.first().v6(), hole.first().value().subtract(BigInteger.ONE))));
                }
                low = hole.last().value().add(BigInteger.ONE);
                if (low.compareTo(high) > 0) {
                    break;
                }
            }
            if (low.compareTo(high) <= 0) {
                result.add(new AddressRange(new IpAddress(range.first().v6(), low), range.last()));
            }
        }
        return result;
    }

    public boolean v6() {
        return v6;
    }

    /** How many addresses the pool hands out. */
    public BigInteger size() {
        return size;
    }

    public List<AddressRange> ranges() {
        return usable;
    }

    public boolean contains(IpAddress address) {
        return usable.stream().anyMatch(range -> range.contains(address));
    }

    /** The lowest address the pool hands out that is not taken, if any. */
    public Optional<IpAddress> firstFree(Predicate<IpAddress> taken) {
        for (AddressRange range : usable) {
            for (IpAddress address = range.first(); address.compareTo(range.last()) <= 0; address = address.plus(1)) {
                if (!taken.test(address)) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    /** The first addresses both plans hand out, if they share any. */
    public Optional<AddressRange> overlap(AddressPlan other) {
        for (AddressRange mine : usable) {
            for (AddressRange theirs : other.usable) {
                Optional<AddressRange> shared = mine.intersection(theirs);
                if (shared.isPresent()) {
                    return shared;
                }
            }
        }
        return Optional.empty();
    }
}
