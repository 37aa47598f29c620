/**
 * A cache of promises per database and data version: everything derived from the data changes only with
 * an import, whose id is the version. A new version drops the old entries; a failed computation is
 * forgotten so the next request tries again. `maxEntries` bounds keys that grow with time (a date): past
 * it the entries of the version are dropped and built anew. Pure: no db, no http.
 */
export function versionedCache<V>(options: { maxEntries?: number } = {}) {
  const max = options.maxEntries ?? Number.POSITIVE_INFINITY
  const perDb = new WeakMap<object, { version: number | string; values: Map<string, Promise<V>> }>()
  return (db: object, version: number | string, key: string, compute: () => Promise<V>): Promise<V> => {
    let entry = perDb.get(db)
    if (!entry || entry.version !== version) perDb.set(db, (entry = { version, values: new Map() }))
    const hit = entry.values.get(key)
    if (hit) return hit
    if (entry.values.size >= max) entry.values.clear()
    const value = compute()
    const values = entry.values
    values.set(key, value)
    value.catch(() => values.delete(key))
    return value
  }
}
