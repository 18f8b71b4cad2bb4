package dev.drover.model.ipam;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.util.Optional;

/** The addresses from first to last, both included, of one family. */
public record AddressRange(IpAddress first, IpAddress last) {

    public AddressRange {
        requireNonNull(first, "first is null");
        requireNonNull(last, "last is null");
        if (first.v6() != last.v6()) {
            throw new IllegalArgumentException("a range from " + first + " to " + last + " mixes IPv4 and IPv6");
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("the range " + first + "-" + last + " ends before it starts; write the lower "
                    + "address first");
        }
    }

    /**
     * A pool entry: a CIDR ({@code 10.0.0.0/24}, every address of the network), a range ({@code 10.0.0.10-10.0.0.50}) or
     * one address.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static AddressRange parse(String text) {
        String entry = text.strip();
        int slash = entry.indexOf('/');
        if (slash >= 0) {
            IpAddress base = IpAddress.parse(entry.substring(0, slash));
            int length = prefixLength(entry.substring(slash + 1), base.v6());
            AddressRange network = network(base, length);
            if (!network.first().equals(base)) {
                throw new IllegalArgumentException("\"" + text + "\" has host bits set; the network is " + network.first() + "/"
                        + length);
            }
            return network;
        }
        int dash = entry.indexOf('-');
        if (dash >= 0) {
            return new AddressRange(IpAddress.parse(entry.substring(0, dash)), IpAddress.parse(entry.substring(dash + 1)));
        }
        IpAddress single = IpAddress.parse(entry);
        return new AddressRange(single, single);
    }

    private static int prefixLength(String text, boolean v6) {
        try {
            int length = Integer.parseInt(text.strip());
            if (length >= 0 && length <= IpAddress.bits(v6)) {
                return length;
            }
        } catch (NumberFormatException notANumber) {
            // Refused below.
        }
        throw new IllegalArgumentException("prefix length \"" + text + "\" is not a number from 0 to " + IpAddress.bits(v6));
    }

    /** The network of the given prefix length that holds the address. */
    public static AddressRange network(IpAddress address, int prefix) {
        int hostBits = address.bits() - prefix;
        BigInteger hosts = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
        BigInteger first = address.value().andNot(hosts);
        return new AddressRange(address, address).withBounds(first, first.add(hosts));
    }

    private AddressRange withBounds(BigInteger low, BigInteger high) {
        return new AddressRange(new IpAddress(first.v6(), low), new IpAddress(first.v6(), high));
    }

    public BigInteger size() {
        return last.value().subtract(first.value()).add(BigInteger.ONE);
    }

    public boolean contains(IpAddress address) {
        return address.v6() == first.v6() && first.compareTo(address) <= 0 && address.compareTo(last) <= 0;
    }

    /** The addresses both ranges hold, if any. */
    public Optional<AddressRange> intersection(AddressRange other) {
        if (other.first.v6() != first.v6()) {
            return Optional.empty();
        }
        BigInteger low = first.value().max(other.first.value());
        BigInteger high = last.value().min(other.last.value());
        return low.compareTo(high) <= 0 ? Optional.of(withBounds(low, high)) : Optional.empty();
    }

    @Override
    public String toString() {
        return first.equals(last) ? first.toString() : first + "-" + last;
    }
}
