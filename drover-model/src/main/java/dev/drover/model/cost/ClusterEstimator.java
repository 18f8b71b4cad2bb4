package dev.drover.model.cost;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.Provider;
import dev.drover.model.version.VersionLifecycle;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A cluster's own monthly estimate, before virtual clusters take their share of it: control plane, worker pools
 * (expected nodes × hourly price × awake hours × spot factor) and line items.
 */
final class ClusterEstimator {

    /** The minor version of a Kubernetes version without its leading v: compiled once, the cost pass asks per cluster. */
    private static final java.util.regex.Pattern MINOR = java.util.regex.Pattern.compile("([0-9]+\\.[0-9]+).*");

    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private ClusterEstimator() {
    }

    /**
     * @param book the cluster's price book, or why it has none
     * @param minimumSpotShare the least spot share of every pool (what-if); zero for the pools as requested
     */
    static ClusterCost estimate(ClusterId id, ClusterSpec spec, String flavorName, ClusterFlavorSpec flavor,
                                PriceBooks.Choice book, BigDecimal minimumSpotShare, java.time.Instant at) {
        Provider provider = flavor.provider();
        if (book.index().isEmpty()) {
            return new ClusterCost(id, flavorName, provider, spec.environment(), Optional.empty(), List.of(),
                    List.of(book.missing()), BigDecimal.ZERO);
        }
        PriceIndex index = book.index().get();
        Optional<String> region = spec.region().or(flavor::effectiveDefaultRegion);
        int hoursPerMonth = index.book().effectiveHoursPerMonth();
        int awakeMinutes = AwakeTime.awakeMinutesPerWeek(spec.hibernation());
        BigDecimal awakeHours = AwakeTime.awakeHours(hoursPerMonth, awakeMinutes);
        List<CostLine> lines = new ArrayList<>();
        List<String> unpriced = new ArrayList<>();

        String version = spec.kubernetesVersion().orElseGet(() -> flavor.kubernetesVersions().defaultVersion());
        String bare = version.startsWith("v") ? version.substring(1) : version;
        java.util.regex.Matcher minorMatch = MINOR.matcher(bare);
        String minor = minorMatch.matches() ? minorMatch.group(1) : bare;
        var lifecycle = VersionLifecycle.classify(flavor.kubernetesVersions(), version, at);
        // A supported version is the default: only the other classifications are worth naming in the line.
        String classified = lifecycle.classification() == ClusterFlavorSpec.VersionClassification.SUPPORTED ? ""
                : ", " + lifecycle.classification().wireName() + lifecycle.since().map(since -> " since " + since.toString()
                .substring(0, 10)).orElse("");
        index.controlPlaneFee(provider, minor, lifecycle.classification()).ifPresentOrElse(
                fee -> lines.add(new CostLine("control-plane", "control-plane fee " + price(fee) + "/h (Kubernetes " + minor
                        + classified + ") × " + hoursPerMonth + " h", fee.multiply(BigDecimal.valueOf(hoursPerMonth)))),
                () -> {
                    if (provider == Provider.AWS_EKS) {
                        unpriced.add("control-plane: PriceBook \"" + index.name() + "\" has no controlPlanes fee for provider "
                                + provider.wireName());
                    }
                });
        if (selfManagedControlPlane(provider)) {
            controlPlaneMachines(spec, flavor, index, provider, region, hoursPerMonth, lines, unpriced);
        }

        BigDecimal expectedNodes = BigDecimal.ZERO;
        BigDecimal nodeHours = BigDecimal.ZERO;
        for (NodePool pool : spec.nodePools()) {
            BigDecimal count = expectedNodes(pool, flavor);
            if (count.signum() == 0) {
                continue;
            }
            expectedNodes = expectedNodes.add(count);
            nodeHours = nodeHours.add(count.multiply(awakeHours));
            String item = "node-pool/" + pool.name();
            Optional<BigDecimal> hourly = index.machine(provider, region, pool.instanceType()).flatMap(PriceIndex.MachineFacts::hourly);
            if (hourly.isEmpty()) {
                unpriced.add(item + ": " + noPrice(index, provider, region, pool.instanceType()));
                continue;
            }
            var detail = new StringBuilder().append(count.stripTrailingZeros().toPlainString()).append(" × ")
                    .append(pool.instanceType()).append(" at ").append(price(hourly.get())).append("/h × ")
                    .append(hoursText(awakeHours)).append(" h");
            if (awakeMinutes < AwakeTime.MINUTES_PER_WEEK) {
                detail.append(" (hibernating ").append(Money.percent(BigDecimal.valueOf(AwakeTime.MINUTES_PER_WEEK - awakeMinutes)
                        .divide(BigDecimal.valueOf(AwakeTime.MINUTES_PER_WEEK), Money.PRECISION))).append(" of the week)");
            }
            BigDecimal factor = BigDecimal.ONE;
            BigDecimal spotShare = (pool.capacityType().orElse(NodePool.CapacityType.ON_DEMAND) == NodePool.CapacityType.SPOT
                    ? BigDecimal.ONE : BigDecimal.ZERO).max(minimumSpotShare);
            if (spotShare.signum() > 0) {
                Optional<BigDecimal> discount = index.spotDiscount(pool.instanceType());
                if (discount.isPresent()) {
                    factor = BigDecimal.ONE.subtract(spotShare.multiply(discount.get()));
                    detail.append(", ").append(spotShare.compareTo(BigDecimal.ONE) == 0 ? "spot" : Money.percent(spotShare) + " spot")
                            .append(" at ").append(Money.percent(discount.get())).append(" off");
                } else {
                    detail.append(", spot priced on demand (the PriceBook has no spot discount)");
                }
            }
            lines.add(new CostLine(item, detail.toString(),
                    count.multiply(hourly.get()).multiply(awakeHours, Money.PRECISION).multiply(factor, Money.PRECISION)));
        }

        BigDecimal awakeShare = BigDecimal.valueOf(awakeMinutes).divide(BigDecimal.valueOf(AwakeTime.MINUTES_PER_WEEK), Money.PRECISION);
        for (PriceBookSpec.LineItem item : index.book().lineItems()) {
            if (!item.appliesTo(provider, region)) {
                continue;
            }
            BigDecimal unit = item.monthly().orElseGet(() -> item.perGiBMonthly().orElse(BigDecimal.ZERO)
                    .multiply(BigDecimal.valueOf(item.gib().orElse(0))));
            String how = item.monthly().map(monthly -> price(monthly) + "/month")
                    .orElseGet(() -> item.gib().orElse(0) + " GiB at " + price(item.perGiBMonthly().orElse(BigDecimal.ZERO)) + "/GiB-month");
            if (item.perNode().orElse(false)) {
                BigDecimal nodes = expectedNodes.multiply(awakeShare, Money.PRECISION);
                lines.add(new CostLine(item.name(), how + " × " + hoursText(nodes) + " nodes", unit.multiply(nodes)));
            } else {
                lines.add(new CostLine(item.name(), how, unit));
            }
        }
        return new ClusterCost(id, flavorName, provider, spec.environment(), Optional.of(index.name()), lines, unpriced, nodeHours);
    }

    /** minSize, or the average of minSize and maxSize when the flavor expects that. */
    static BigDecimal expectedNodes(NodePool pool, ClusterFlavorSpec flavor) {
        boolean average = flavor.cost().flatMap(ClusterFlavorSpec.CostSettings::expectedNodes)
                .orElse(ClusterFlavorSpec.ExpectedNodes.MINIMUM) == ClusterFlavorSpec.ExpectedNodes.AVERAGE;
        return average ? BigDecimal.valueOf(pool.minSize() + pool.maxSize()).divide(TWO) : BigDecimal.valueOf(pool.minSize());
    }

    private static void controlPlaneMachines(ClusterSpec spec, ClusterFlavorSpec flavor, PriceIndex index, Provider provider,
                                             Optional<String> region, int hoursPerMonth, List<CostLine> lines, List<String> unpriced) {
        OptionalInt replicas = FlavorSettings.controlPlaneReplicas(flavor, spec);
        Optional<String> type = FlavorSettings.controlPlaneInstanceType(flavor, spec);
        if (replicas.isEmpty() || type.isEmpty()) {
            unpriced.add("control-plane-machines: the flavor does not size its control plane (controlPlaneReplicas, "
                    + "controlPlaneInstanceType)");
            return;
        }
        Optional<BigDecimal> hourly = index.machine(provider, region, type.get()).flatMap(PriceIndex.MachineFacts::hourly);
        if (hourly.isEmpty()) {
            unpriced.add("control-plane-machines: " + noPrice(index, provider, region, type.get()));
            return;
        }
        lines.add(new CostLine("control-plane-machines", replicas.getAsInt() + " × " + type.get() + " at " + price(hourly.get())
                + "/h × " + hoursPerMonth + " h", hourly.get().multiply(BigDecimal.valueOf((long) replicas.getAsInt() * hoursPerMonth))));
    }

    /** Providers whose control plane runs on machines of the cluster's own (kubeadm), paid like nodes. */
    private static boolean selfManagedControlPlane(Provider provider) {
        return provider == Provider.AWS || provider == Provider.VSPHERE || provider == Provider.DOCKER;
    }

    static String noPrice(PriceIndex index, Provider provider, Optional<String> region, String instanceType) {
        return "PriceBook \"" + index.name() + "\" has no price for " + instanceType + region.map(value -> " in " + value).orElse("")
                + " (provider " + provider.wireName() + ")";
    }

    static String price(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() < 2 ? Money.format(amount) : amount.stripTrailingZeros().toPlainString();
    }

    static String hoursText(BigDecimal hours) {
        return hours.setScale(2, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
