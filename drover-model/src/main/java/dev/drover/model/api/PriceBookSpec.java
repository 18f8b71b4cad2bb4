package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Doc("What clusters cost: hourly machine prices per provider, region and instance type (or an internal rate card), "
        + "spot discounts, control-plane fees, fixed monthly line items and the shared platform cost. All amounts are "
        + "in one currency. Exactly one PriceBook is the default; a ClusterFlavor may name another.")
public record PriceBookSpec(
        @JsonProperty("default") @Doc("Whether this is the PriceBook of every flavor that names none. Exactly one PriceBook is the default.")
        Optional<Boolean> isDefault,
        @Required @Pattern(value = "^[A-Z]{3}$", meaning = "an ISO 4217 currency code such as USD or EUR")
        @Doc("ISO 4217 currency of every amount in the book. All PriceBooks and team budgets use the same currency; "
                + "Drover does not convert.") String currency,
        @Minimum(1) @Doc("Hours in a month, the factor from hourly prices to a monthly run-rate. Defaults to 730 (8,760 hours a year / 12).")
        Optional<Integer> hoursPerMonth,
        @Doc("Hourly machine prices, in groups that share providers and region.") List<MachinePrices> machines,
        @Doc("Spot capacity discounts off the on-demand price.") Optional<Spot> spot,
        @Doc("Hourly fee per cluster for a managed control plane, per provider (for example the EKS fee). "
                + "Self-managed control planes cost their machines instead.") List<ControlPlaneFee> controlPlanes,
        @Doc("Fixed monthly amounts added to every cluster of the given providers, for example a NAT gateway or storage.")
        List<LineItem> lineItems,
        @Doc("Shared platform cost (management cluster, shared services), allocated to teams and shown apart from their own.")
        Optional<Platform> platform) {

    public static final int DEFAULT_HOURS_PER_MONTH = 730;

    public PriceBookSpec {
        isDefault = Values.option(isDefault);
        hoursPerMonth = Values.option(hoursPerMonth);
        machines = Values.list(machines);
        spot = Values.option(spot);
        controlPlanes = Values.list(controlPlanes);
        lineItems = Values.list(lineItems);
        platform = Values.option(platform);
    }

    public boolean defaultBook() {
        return isDefault.orElse(false);
    }

    public int effectiveHoursPerMonth() {
        return hoursPerMonth.orElse(DEFAULT_HOURS_PER_MONTH);
    }

    @Doc("Machine prices for some providers in one region: each instance type has an hourly price, or is priced by the group's rate card from its size.")
    public record MachinePrices(
            @Required @Doc("Providers whose clusters use these prices; aws and aws-eks both run EC2 instances.") List<Provider> providers,
            @Doc("Region (or data center) of the prices. Unset: every region, and clusters without one.") Optional<String> region,
            @Doc("Internal price per vCPU-hour and GiB-hour, for machines without an hourly price (on-prem).") Optional<RateCard> rateCard,
            @Required @Doc("The instance types and their prices or sizes.") List<Machine> instanceTypes) {

        public MachinePrices {
            providers = Values.list(providers);
            region = Values.option(region);
            rateCard = Values.option(rateCard);
            instanceTypes = Values.list(instanceTypes);
        }
    }

    @Doc("An internal rate card: what one vCPU and one GiB of memory cost per hour.")
    public record RateCard(
            @Required @Doc("Price of one vCPU for one hour.") BigDecimal vcpuHourly,
            @Required @Doc("Price of one GiB of memory for one hour.") BigDecimal memoryGiBHourly) {
    }

    @Doc("One instance type: its hourly price, or its size for the rate card. The size also sizes host clusters for virtual-cluster shares.")
    public record Machine(
            @Required @Doc("Instance type, as in node pools, for example m6i.large.") String name,
            @Doc("On-demand price per hour. Unset: priced by the group's rate card.") Optional<BigDecimal> hourly,
            @Minimum(0) @Doc("vCPUs of the machine.") Optional<Integer> vcpu,
            @Doc("Memory of the machine in GiB.") Optional<BigDecimal> memoryGiB) {

        public Machine {
            hourly = Values.option(hourly);
            vcpu = Values.option(vcpu);
            memoryGiB = Values.option(memoryGiB);
        }
    }

    @Doc("Spot discounts: the fraction off the on-demand price, 0.6 meaning 60 % off.")
    public record Spot(
            @Required @Doc("Discount of every instance family without its own, between 0 and 1.") BigDecimal defaultDiscount,
            @Doc("Discount per instance family (the part of the instance type before the first '.', for example m6i).")
            Map<String, BigDecimal> families) {

        public Spot {
            families = Values.map(families);
        }
    }

    @Doc("The managed control-plane fee of one provider.")
    public record ControlPlaneFee(
            @Required @Doc("Provider whose clusters pay the fee.") Provider provider,
            @Required @Doc("Fee per cluster and hour.") BigDecimal hourly,
            @ListSet @Doc("Kubernetes minor versions (for example 1.32) the fee is for, where the provider charges more for "
                    + "some, such as EKS's extended support. Unset: the provider's fee for every version no other fee names.")
            List<String> versions,
            @ListSet @Doc("Lifecycle classifications (deprecated, expired) of a cluster's version in its flavor the fee is "
                    + "for, such as EKS's extended support: the fee follows the version's dates in the flavor's "
                    + "kubernetesVersions.lifecycle. Wins over versions.") List<ClusterFlavorSpec.VersionClassification> classifications) {

        public ControlPlaneFee {
            versions = Values.list(versions);
            classifications = Values.list(classifications);
        }
    }

    @Doc("A monthly amount added to each cluster of some providers: fixed, or per GiB of storage.")
    public record LineItem(
            @Required @Pattern(value = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", meaning = "lower-case letters, digits and '-'")
            @Doc("Name of the item, shown in the breakdown, for example nat-gateway.") String name,
            @Doc("Providers whose clusters carry the item. Unset: every provider.") List<Provider> providers,
            @Doc("Regions where the item applies. Unset: every region.") List<String> regions,
            @Doc("Fixed amount per cluster and month.") Optional<BigDecimal> monthly,
            @Doc("Price per GiB and month; with gib, instead of monthly.") Optional<BigDecimal> perGiBMonthly,
            @Minimum(0) @Doc("GiB per cluster (or per node, with perNode) the perGiBMonthly price applies to.") Optional<Integer> gib,
            @Doc("Whether the amount is per expected worker node (following its awake hours) rather than per cluster.")
            Optional<Boolean> perNode) {

        public LineItem {
            providers = Values.list(providers);
            regions = Values.list(regions);
            monthly = Values.option(monthly);
            perGiBMonthly = Values.option(perGiBMonthly);
            gib = Values.option(gib);
            perNode = Values.option(perNode);
        }

        public boolean appliesTo(Provider provider, Optional<String> region) {
            return (providers.isEmpty() || providers.contains(provider))
                    && (regions.isEmpty() || region.map(regions::contains).orElse(false));
        }
    }

    @Doc("The shared platform cost and how it is split between teams.")
    public record Platform(
            @Doc("even (every team with clusters pays the same) or nodeHours (in proportion to the node-hours of the team's clusters, the default).")
            Optional<Allocation> allocation,
            @Required @Doc("The shared costs, each a fixed monthly amount.") List<PlatformItem> lineItems) {

        public Platform {
            allocation = Values.option(allocation);
            lineItems = Values.list(lineItems);
        }

        public Allocation effectiveAllocation() {
            return allocation.orElse(Allocation.NODE_HOURS);
        }
    }

    public enum Allocation {
        @JsonProperty("even") EVEN,
        @JsonProperty("nodeHours") NODE_HOURS
    }

    @Doc("A shared monthly cost of the platform.")
    public record PlatformItem(
            @Required @Pattern(value = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", meaning = "lower-case letters, digits and '-'")
            @Doc("Name, for example management-cluster.") String name,
            @Required @Doc("Amount per month.") BigDecimal monthly) {
    }
}
