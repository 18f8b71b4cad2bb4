package dev.drover.server.store;

/**
 * A write that runs on the store's writer thread inside a batch transaction. It reads and writes only
 * through the transaction and throws {@link dev.drover.model.error.ApiException} to refuse. It may run
 * more than once (a batch that fails in the database is re-run one mutation at a time), so it must have no
 * effect outside the transaction.
 */
@FunctionalInterface
public interface Mutation<T> {
    T apply(WriteTransaction transaction);
}
