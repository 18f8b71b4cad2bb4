package dev.drover.model.validation;

import dev.drover.model.api.Kinds;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.Provider;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Semantic checks of a PriceBook on its own; the one-default and one-currency rules need the other books and are checked by the server. */
public final class PriceBookValidation {

    private PriceBookValidation() {
    }

    /** @throws ApiException Invalid with one cause per wrong field */
    public static void check(String name, PriceBookSpec book) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> priced = new HashSet<>();
        for (int group = 0; group < book.machines().size(); group++) {
            PriceBookSpec.MachinePrices prices = book.machines().get(group);
            String path = "spec.machines[" + group + "]";
            if (prices.providers().isEmpty()) {
                errors.add(FieldError.required(path + ".providers", "name the providers the prices are for, for example [aws, aws-eks]"));
            }
            prices.rateCard().ifPresent(card -> {
                notNegative(path + ".rateCard.vcpuHourly", card.vcpuHourly(), errors);
                notNegative(path + ".rateCard.memoryGiBHourly", card.memoryGiBHourly(), errors);
            });
            for (int index = 0; index < prices.instanceTypes().size(); index++) {
                PriceBookSpec.Machine machine = prices.instanceTypes().get(index);
                String machinePath = path + ".instanceTypes[" + index + "]";
                machine.hourly().ifPresent(hourly -> notNegative(machinePath + ".hourly", hourly, errors));
                machine.memoryGiB().ifPresent(memory -> notNegative(machinePath + ".memoryGiB", memory, errors));
                if (machine.hourly().isEmpty() && prices.rateCard().isEmpty()) {
                    errors.add(FieldError.required(machinePath + ".hourly", "give the hourly price of " + machine.name()
                            + ", or a rateCard for the group with the machine's vcpu and memoryGiB"));
                }
                if (machine.hourly().isEmpty() && prices.rateCard().isPresent()
                        && (machine.vcpu().isEmpty() || machine.memoryGiB().isEmpty())) {
                    errors.add(FieldError.required(machinePath + (machine.vcpu().isEmpty() ? ".vcpu" : ".memoryGiB"),
                            "the rate card prices " + machine.name() + " by its vcpu and memoryGiB; give both"));
                }
                for (Provider provider : prices.providers()) {
                    String key = provider.wireName() + " " + prices.region().orElse("(any region)") + " " + machine.name();
                    if (!priced.add(key)) {
                        errors.add(FieldError.duplicate(machinePath + ".name", machine.name() + " for provider "
                                + provider.wireName() + " in " + prices.region().orElse("any region")));
                    }
                }
            }
        }
        book.spot().ifPresent(spot -> {
            fraction("spot.defaultDiscount", spot.defaultDiscount(), errors);
            spot.families().forEach((family, discount) -> fraction("spot.families." + family, discount, errors));
        });
        Set<String> feeKeys = new HashSet<>();
        for (int index = 0; index < book.controlPlanes().size(); index++) {
            PriceBookSpec.ControlPlaneFee fee = book.controlPlanes().get(index);
            String path = "spec.controlPlanes[" + index + "]";
            notNegative(path + ".hourly", fee.hourly(), errors);
            if (fee.versions().isEmpty() && fee.classifications().isEmpty() && !feeKeys.add(fee.provider().wireName())) {
                errors.add(FieldError.duplicate(path + ".provider", fee.provider().wireName()));
            }
            for (int classification = 0; classification < fee.classifications().size(); classification++) {
                String stage = fee.classifications().get(classification).wireName();
                if (!feeKeys.add(fee.provider().wireName() + " " + stage)) {
                    errors.add(FieldError.duplicate(path + ".classifications[" + classification + "]", stage));
                }
            }
            for (int version = 0; version < fee.versions().size(); version++) {
                String minor = fee.versions().get(version);
                if (!minor.matches("^[0-9]+\\.[0-9]+$")) {
                    errors.add(FieldError.invalid(path + ".versions[" + version + "]", minor,
                            "must be a Kubernetes minor version such as 1.32"));
                } else if (!feeKeys.add(fee.provider().wireName() + " " + minor)) {
                    errors.add(FieldError.duplicate(path + ".versions[" + version + "]", minor));
                }
            }
        }
        Set<String> itemNames = new HashSet<>();
        for (int index = 0; index < book.lineItems().size(); index++) {
            PriceBookSpec.LineItem item = book.lineItems().get(index);
            String path = "spec.lineItems[" + index + "]";
            boolean perGiB = item.perGiBMonthly().isPresent() || item.gib().isPresent();
            if (item.monthly().isPresent() == perGiB) {
                errors.add(FieldError.invalid(path, item.name(), "give either monthly (a fixed amount) or perGiBMonthly with gib"));
            } else if (perGiB && (item.perGiBMonthly().isEmpty() || item.gib().isEmpty())) {
                errors.add(FieldError.required(path + (item.gib().isEmpty() ? ".gib" : ".perGiBMonthly"),
                        "a storage item needs both perGiBMonthly and gib"));
            }
            item.monthly().ifPresent(amount -> notNegative(path + ".monthly", amount, errors));
            item.perGiBMonthly().ifPresent(amount -> notNegative(path + ".perGiBMonthly", amount, errors));
            if (!itemNames.add(item.name())) {
                errors.add(FieldError.duplicate(path + ".name", item.name()));
            }
        }
        book.platform().ifPresent(platform -> {
            for (int index = 0; index < platform.lineItems().size(); index++) {
                notNegative("spec.platform.lineItems[" + index + "].monthly", platform.lineItems().get(index).monthly(), errors);
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.PRICE_BOOK, name, errors);
        }
    }

    private static void notNegative(String path, BigDecimal amount, List<FieldError> errors) {
        if (amount.signum() < 0) {
            errors.add(FieldError.invalid(path, amount.toPlainString(), "must be zero or more"));
        }
    }

    private static void fraction(String field, BigDecimal value, List<FieldError> errors) {
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            errors.add(FieldError.invalid("spec." + field, value.toPlainString(),
                    "must be a fraction between 0 and 1, for example 0.6 for 60 % off"));
        }
    }
}
