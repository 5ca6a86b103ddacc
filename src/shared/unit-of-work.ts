/**
 * A store that commits changes together. Used directly, each repository call
 * of a store is its own atomic write. Inside `transaction`, the repositories
 * handed to `work` see and make changes that commit together when `work`
 * resolves and vanish when it throws. `work` may run more than once (a store
 * may retry transient conflicts), so it must not have effects outside the
 * repositories it is given.
 *
 * `R` is what a use case needs inside the transaction: the repositories it
 * reads and writes there, under the names the store gives them.
 */
export interface UnitOfWork<R> {
  transaction<T>(work: (tx: R) => Promise<T>): Promise<T>;
}
