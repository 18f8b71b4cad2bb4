package dev.drover.model.cost;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.Provider;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A PriceBook's prices by provider, region and instance type, for lookups during estimates. */
final class PriceIndex {

    /** A machine's hourly price (from the book or its rate card) and size, as far as the book knows them. */
    record MachineFacts(Optional<BigDecimal> hourly, Optional<Integer> vcpu, Optional<BigDecimal> memoryGiB) {
    }

    private static final String ANY_REGION = "";

    private final String name;
    private final PriceBookSpec book;
    private final Map<String, MachineFacts> machines = new HashMap<>();
    private final Map<Provider, BigDecimal> controlPlaneFees = new HashMap<>();
    private final Map<String, BigDecimal> classificationFees = new HashMap<>();
    /** Fees for some versions only, keyed by provider and minor version. */
    private final Map<String, BigDecimal> versionFees = new HashMap<>();

    PriceIndex(String name, PriceBookSpec book) {
        this.name = name;
        this.book = book;
        for (PriceBookSpec.MachinePrices group : book.machines()) {
            for (PriceBookSpec.Machine machine : group.instanceTypes()) {
                Optional<BigDecimal> hourly = machine.hourly().or(() -> group.rateCard().flatMap(card ->
                        machine.vcpu().flatMap(vcpu -> machine.memoryGiB().map(memory ->
                                card.vcpuHourly().multiply(BigDecimal.valueOf(vcpu)).add(card.memoryGiBHourly().multiply(memory))))));
                var facts = new MachineFacts(hourly, machine.vcpu(), machine.memoryGiB());
                for (Provider provider : group.providers()) {
                    machines.putIfAbsent(key(provider, group.region().orElse(ANY_REGION), machine.name()), facts);
                }
            }
        }
        book.controlPlanes().forEach(fee -> {
            if (fee.versions().isEmpty() && fee.classifications().isEmpty()) {
                controlPlaneFees.putIfAbsent(fee.provider(), fee.hourly());
            }
            fee.versions().forEach(minor -> versionFees.putIfAbsent(fee.provider() + " " + minor, fee.hourly()));
            fee.classifications().forEach(classification ->
                    classificationFees.putIfAbsent(fee.provider() + " " + classification.wireName(), fee.hourly()));
        });
    }

    String name() {
        return name;
    }

    PriceBookSpec book() {
        return book;
    }

    /** The machine in the cluster's region, else in a group that names no region. */
    Optional<MachineFacts> machine(Provider provider, Optional<String> region, String instanceType) {
        return region.map(value -> machines.get(key(provider, value, instanceType)))
                .or(() -> Optional.ofNullable(machines.get(key(provider, ANY_REGION, instanceType))));
    }

    /**
     * The provider's fee for the version's lifecycle classification (deprecated: EKS extended support), else for its
     * minor version (1.32), else for every other version.
     */
    Optional<BigDecimal> controlPlaneFee(Provider provider, String minor, ClusterFlavorSpec.VersionClassification classification) {
        return Optional.ofNullable(classificationFees.get(provider + " " + classification.wireName()))
                .or(() -> Optional.ofNullable(versionFees.get(provider + " " + minor)))
                .or(() -> Optional.ofNullable(controlPlaneFees.get(provider)));
    }

    /** The fraction off on-demand for spot capacity of the instance type's family, if the book has spot discounts. */
    Optional<BigDecimal> spotDiscount(String instanceType) {
        int dot = instanceType.indexOf('.');
        String family = dot < 0 ? instanceType : instanceType.substring(0, dot);
        return book.spot().map(spot -> spot.families().getOrDefault(family, spot.defaultDiscount()));
    }

    private static String key(Provider provider, String region, String instanceType) {
        return provider.wireName() + '\u0000' + region + '\u0000' + instanceType;
    }
}
