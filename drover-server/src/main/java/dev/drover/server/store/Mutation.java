package dev.drover.server.store;

/**
 * A write that runs on the store's writer thread inside a batch transaction. It reads and writes only
 * through the transaction, throws {@link dev.drover.model.resource.ApiException} to refuse, and must be
 * deterministic for the same store state: a batch that fails is re-run one mutation at a time.
 */
@FunctionalInterface
public interface Mutation<T> {
    T apply(WriteTransaction transaction);
}
