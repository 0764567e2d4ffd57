// The console's local cache: open it with `LocalStore.open(dir)`; the rest of the core uses it
// through `LocalStoreApi`.
export { LocalStore, CACHE_FILE, META, type LocalStoreOptions } from './local-store'
export { CacheSchemaError, migrate } from './migrate'
export type * from './types'
