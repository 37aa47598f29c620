/** Pure aggregation of points into counts per area and caller-defined group. */
import type { AreaIndex } from './area-index'

export interface PointBatch {
  /** EPSG:3006 easting per point (or whatever CRS the index was built in) */
  xs: Float64Array
  /** EPSG:3006 northing per point */
  ys: Float64Array
  /** Caller's group per point, e.g. an (indicator, month) index */
  keys: Int32Array
}

export interface AreaCounts {
  /** areaId → key → number of points; only non-zero counts appear, keys in first-seen order. */
  counts: Map<number, Map<number, number>>
  /** Points in no area (or with non-finite coordinates), all keys together. */
  outside: number
}

/**
 * Counts points per (area, key) using the index's boundary rule, so each point is counted at most
 * once. The batch is only read.
 */
export function countByArea(index: AreaIndex, batch: PointBatch): AreaCounts {
  const { xs, ys, keys } = batch
  if (!(keys instanceof Int32Array)) throw new TypeError('countByArea: keys must be an Int32Array')
  if (keys.length !== xs.length) throw new RangeError(`countByArea: ${xs.length} points but ${keys.length} keys`)
  const ids = index.locateAll(xs, ys)
  const counts = new Map<number, Map<number, number>>()
  let outside = 0
  // Consecutive points often share an area; remember the last one's map to skip a lookup.
  let lastId = -1
  let last: Map<number, number> | undefined
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!
    if (id === -1) {
      outside++
      continue
    }
    if (id !== lastId || last === undefined) {
      last = counts.get(id)
      if (last === undefined) counts.set(id, (last = new Map()))
      lastId = id
    }
    const key = keys[i]!
    last.set(key, (last.get(key) ?? 0) + 1)
  }
  return { counts, outside }
}
