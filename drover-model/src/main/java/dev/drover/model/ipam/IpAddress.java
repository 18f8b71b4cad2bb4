package dev.drover.model.ipam;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One IPv4 or IPv6 address as a number, so that ranges are intervals and counting is arithmetic. Parsed from literals
 * only: nothing here ever asks DNS.
 */
public record IpAddress(boolean v6, BigInteger value) implements Comparable<IpAddress> {

    private static final java.util.regex.Pattern V4 = java.util.regex.Pattern.compile(
            "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$");
    private static final java.util.regex.Pattern V6 = java.util.regex.Pattern.compile("^[0-9a-fA-F:.]{2,45}$");

    public IpAddress {
        requireNonNull(value, "value is null");
        if (value.signum() < 0 || value.bitLength() > bits(v6)) {
            throw new IllegalArgumentException("not an IPv" + (v6 ? "6" : "4") + " address: " + value);
        }
    }

    /** @throws IllegalArgumentException naming the text when it is no IPv4 or IPv6 literal */
    public static IpAddress parse(String text) {
        String literal = text.strip();
        if (V4.matcher(literal).matches()) {
            long value = 0;
            for (String octet : literal.split("\\.")) {
                value = value << 8 | Integer.parseInt(octet);
            }
            return new IpAddress(false, BigInteger.valueOf(value));
        }
        if (literal.contains(":") && V6.matcher(literal).matches()) {
            try {
                // A literal with a colon is parsed, never looked up.
                if (InetAddress.getByName(literal) instanceof Inet6Address address) {
                    return new IpAddress(true, new BigInteger(1, address.getAddress()));
                }
            } catch (UnknownHostException notALiteral) {
                // Falls through to the refusal below.
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not an IP address (write IPv4 as 10.0.0.5, IPv6 as fd00::5)");
    }

    static int bits(boolean v6) {
        return v6 ? 128 : 32;
    }

    public int bits() {
        return bits(v6);
    }

    public IpAddress plus(long offset) {
        return new IpAddress(v6, value.add(BigInteger.valueOf(offset)));
    }

    @Override
    public int compareTo(IpAddress other) {
        int family = Boolean.compare(v6, other.v6);
        return family != 0 ? family : value.compareTo(other.value);
    }

    /** The canonical text: dotted quad, or the shortest IPv6 form (RFC 5952). */
    @Override
    public String toString() {
        if (!v6) {
            long number = value.longValue();
            return (number >> 24 & 255) + "." + (number >> 16 & 255) + "." + (number >> 8 & 255) + "." + (number & 255);
        }
        int[] groups = new int[8];
        for (int index = 0; index < 8; index++) {
            groups[index] = value.shiftRight(16 * (7 - index)).intValue() & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int start = 0; start < 8; start++) {
            int length = 0;
            while (start + length < 8 && groups[start + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < 8; index++) {
            if (index == bestStart) {
                text.append("::");
                index += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[index]));
        }
        return text.toString();
    }
}
