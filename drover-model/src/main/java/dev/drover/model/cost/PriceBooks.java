package dev.drover.model.cost;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.PriceBookSpec;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The fleet's PriceBooks, indexed, and which one prices the clusters of a flavor. */
final class PriceBooks {

    /** The book a flavor's clusters are priced from, or why there is none. */
    record Choice(Optional<PriceIndex> index, String missing) {
    }

    private final Map<String, PriceIndex> byName = new TreeMap<>();
    private final Optional<PriceIndex> defaultBook;

    PriceBooks(Map<String, PriceBookSpec> books) {
        books.forEach((name, book) -> byName.put(name, new PriceIndex(name, book)));
        defaultBook = byName.values().stream().filter(index -> index.book().defaultBook()).findFirst();
    }

    Optional<PriceIndex> defaultBook() {
        return defaultBook;
    }

    Choice forFlavor(String flavorName, ClusterFlavorSpec flavor) {
        Optional<String> named = flavor.cost().flatMap(ClusterFlavorSpec.CostSettings::priceBook);
        if (named.isPresent()) {
            return Optional.ofNullable(byName.get(named.get())).map(index -> new Choice(Optional.of(index), ""))
                    .orElseGet(() -> new Choice(Optional.empty(), "price-book: flavor \"" + flavorName + "\" names PriceBook \""
                            + named.get() + "\", which does not exist"));
        }
        return defaultBook.map(index -> new Choice(Optional.of(index), "")).orElseGet(() -> new Choice(Optional.empty(),
                "price-book: there is no default PriceBook; create one with spec.default: true"));
    }
}
