package dev.drover.model.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.validation.IPPoolValidation;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPlanTest {

    private static IPPoolSpec pool(List<String> addresses, int prefix, String gateway, List<String> excluded) {
        return new IPPoolSpec(addresses, prefix, Optional.ofNullable(gateway), excluded, Optional.empty(), List.of(), List.of(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void addressesAreParsedAsLiteralsAndWrittenCanonically() {
        assertThat(IpAddress.parse("10.0.0.255").toString()).isEqualTo("10.0.0.255");
        assertThat(IpAddress.parse("FD00:0:0:0:0:0:0:1").toString()).isEqualTo("fd00::1");
        assertThat(IpAddress.parse("2001:db8:0:0:1:0:0:1").toString()).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddress.parse("::").toString()).isEqualTo("::");
        for (String wrong : List.of("10.0.0.256", "10.0.0", "010.0.0.1", "example.com", "1.2.3.4.5", ":::", "")) {
            assertThatThrownBy(() -> IpAddress.parse(wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.1/24")).hasMessageContaining("host bits set; the network is 10.0.0.0/24");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.9-10.0.0.1")).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.1-fd00::1")).hasMessageContaining("mixes IPv4 and IPv6");
    }

    @Test
    void aPoolHandsOutItsAddressesLessTheNetworkBroadcastGatewayAndExclusions() {
        AddressPlan plan = AddressPlan.of(pool(List.of("10.0.0.0/24", "10.0.1.10-10.0.1.12", "10.0.0.200"), 24, "10.0.0.1",
                List.of("10.0.0.2-10.0.0.9")));
        // 256 - network - broadcast - gateway - 8 excluded; the duplicate 10.0.0.200 counts once; three of 10.0.1.x.
        assertThat(plan.size()).isEqualTo(BigInteger.valueOf(256 - 2 - 1 - 8 + 3));
        assertThat(plan.firstFree(address -> false)).map(IpAddress::toString).contains("10.0.0.10");
        Set<IpAddress> taken = Set.of(IpAddress.parse("10.0.0.10"), IpAddress.parse("10.0.0.11"));
        assertThat(plan.firstFree(taken::contains)).map(IpAddress::toString).contains("10.0.0.12");
        assertThat(plan.contains(IpAddress.parse("10.0.0.255"))).isFalse();
        assertThat(plan.contains(IpAddress.parse("10.0.1.11"))).isTrue();
        assertThat(plan.firstFree(address -> !address.toString().equals("10.0.1.12"))).map(IpAddress::toString)
                .contains("10.0.1.12");
        assertThat(plan.firstFree(address -> true)).isEmpty();
    }

    @Test
    void pointToPointNetworksAndIpv6KeepWhatTheyHave() {
        assertThat(AddressPlan.of(pool(List.of("10.0.0.0/31"), 31, null, List.of())).size()).isEqualTo(BigInteger.TWO);
        AddressPlan v6 = AddressPlan.of(pool(List.of("fd00::/64"), 64, "fd00::1", List.of()));
        // IPv6 has no broadcast address: the subnet-router anycast address and the gateway are left out.
        assertThat(v6.size()).isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.TWO));
        assertThat(v6.firstFree(address -> false)).map(IpAddress::toString).contains("fd00::2");
    }

    @Test
    void overlapsAreFoundOnWhatThePoolsHandOut() {
        AddressPlan left = AddressPlan.of(pool(List.of("10.0.0.0/24"), 24, null, List.of("10.0.0.128/25")));
        AddressPlan right = AddressPlan.of(pool(List.of("10.0.0.128/25"), 24, null, List.of()));
        assertThat(left.overlap(right)).isEmpty();
        AddressPlan third = AddressPlan.of(pool(List.of("10.0.0.100-10.0.0.130"), 24, null, List.of()));
        assertThat(left.overlap(third)).map(Object::toString).contains("10.0.0.100-10.0.0.127");
    }

    @Test
    void validationNamesEveryWrongField() {
        var wrong = new IPPoolSpec(List.of("10.0.0.0/24", "fd00::/120", "10.0.1.300"), 24, Optional.of("10.9.0.1"),
                List.of("fd00::1"), Optional.empty(), List.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"),
                List.of("Corp_Example"), Optional.of("10s"), Optional.empty());
        assertThatThrownBy(() -> IPPoolValidation.check("wrong", wrong)).isInstanceOfSatisfying(ApiException.class, refused ->
                assertThat(refused.causes()).extracting(cause -> cause.field()).containsExactlyInAnyOrder("spec.addresses[1]",
                        "spec.addresses[2]", "spec.gateway", "spec.excludedAddresses[0]", "spec.dnsServers", "spec.searchDomains[0]",
                        "spec.reuseAfter"));
        var nothingLeft = pool(List.of("10.0.0.0/30"), 30, "10.0.0.1", List.of("10.0.0.2"));
        assertThatThrownBy(() -> IPPoolValidation.check("empty", nothingLeft)).hasMessageContaining("leave no address");
        var tooWide = pool(List.of("10.0.0.0/8"), 30, null, List.of());
        assertThatThrownBy(() -> IPPoolValidation.check("wide", tooWide)).hasMessageContaining("more than 65536 networks of /30");
    }
}
