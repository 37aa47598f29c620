import { ckmeans, quantile } from 'simple-statistics'

export type ClassMethod = 'quantile' | 'jenks' | 'equal'

export interface Classification {
  method: ClassMethod | 'diverging'
  /**
   * Ascending, length k+1: breaks[0] is the minimum, breaks[k] the maximum. Only the last class can have zero
   * width ([max, max], the values tied at the maximum); one distinct value gives the single class [v, v].
   */
  breaks: number[]
}

const MIN_K = 2
const MAX_K = 9

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < MIN_K || k > MAX_K) {
    throw new RangeError(`Number of classes k must be an integer from ${MIN_K} to ${MAX_K}, got ${k}`)
  }
}

/** Finite values, ascending; null, undefined, NaN and ±Infinity are dropped. */
function finiteSorted(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = []
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(v)
  return out.sort((a, b) => a - b)
}

function distinctCount(sorted: readonly number[]): number {
  let n = 0
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++
  return n
}

/**
 * Keeps only inner breaks that leave a value in the class they close, so no class is empty; equal breaks
 * collapse. Same rule as classIndex: classes are [lo, hi), the last one [lo, max]. An inner break may equal
 * the maximum: then the last class is [max, max] and holds the values tied at the maximum (e.g. an outlier
 * that Jenks puts in its own cluster); it is never empty.
 */
function pruneEmpty(sorted: readonly number[], candidates: readonly number[]): number[] {
  const min = sorted[0]!
  const max = sorted[sorted.length - 1]!
  const kept = [min]
  let i = 0 // first value not yet in a closed class
  for (const b of candidates) {
    if (b <= kept[kept.length - 1]! || b > max) continue
    while (i < sorted.length && sorted[i]! < kept[kept.length - 1]!) i++
    if (i < sorted.length && sorted[i]! < b) kept.push(b)
  }
  kept.push(max)
  return kept
}

/**
 * Class breaks for a choropleth. Returns null when there is no finite value.
 * - quantile: R type 7 quantiles; equal breaks merge, so few distinct values give fewer classes.
 * - jenks: optimal 1-D k-means (Ckmeans.1d.dp), i.e. what GeoDa and PySAL call Fisher-Jenks;
 *   each break is the smallest value of a cluster.
 * - equal: k intervals of equal width from min to max (these may be empty by design).
 */
export function classify(
  values: readonly (number | null | undefined)[],
  method: ClassMethod,
  k: number,
): Classification | null {
  checkK(k)
  const sorted = finiteSorted(values)
  if (sorted.length === 0) return null
  const min = sorted[0]!
  const max = sorted[sorted.length - 1]!
  if (min === max) return { method, breaks: [min, max] }

  switch (method) {
    case 'quantile': {
      const ps = Array.from({ length: k - 1 }, (_, i) => (i + 1) / k)
      return { method, breaks: pruneEmpty(sorted, quantile(sorted, ps)) }
    }
    case 'jenks': {
      const clusters = ckmeans(sorted, Math.min(k, distinctCount(sorted)))
      const starts = clusters.slice(1).map((c) => c[0]!)
      return { method, breaks: pruneEmpty(sorted, starts) }
    }
    case 'equal': {
      const width = (max - min) / k
      const breaks = Array.from({ length: k + 1 }, (_, i) => (i === k ? max : min + i * width))
      return { method, breaks }
    }
  }
}

/**
 * Classes for change values, symmetric around 0: equal widths from −m to m with m = max(|min|, |max|).
 * k is made odd (even k → k + 1) so the middle class straddles 0 and means "about unchanged".
 * All values 0 gives the single class [0, 0].
 */
export function divergingClassify(values: readonly (number | null | undefined)[], k: number): Classification | null {
  checkK(k)
  const sorted = finiteSorted(values)
  if (sorted.length === 0) return null
  const m = Math.max(Math.abs(sorted[0]!), Math.abs(sorted[sorted.length - 1]!))
  if (m === 0) return { method: 'diverging', breaks: [0, 0] }
  const n = k % 2 === 0 ? k + 1 : k
  // m * (2i − n) / n is exactly antisymmetric in floating point, so breaks mirror around 0.
  const breaks = Array.from({ length: n + 1 }, (_, i) => (i === 0 ? -m : i === n ? m : (m * (2 * i - n)) / n))
  return { method: 'diverging', breaks }
}

export function classCount(c: Classification): number {
  return Math.max(1, c.breaks.length - 1)
}

/**
 * Class of v, 0..k−1. Classes are half-open [b_i, b_i+1) except the last, which is closed [b_k−1, b_k]:
 * a value exactly on an inner break belongs to the upper class, the maximum to the last class.
 * Values outside [min, max] are clamped to the first or last class; NaN gives −1 (caller shows "no data").
 */
export function classIndex(c: Classification, v: number): number {
  if (Number.isNaN(v)) return -1
  const k = classCount(c)
  // Binary search for the number of inner breaks b_1..b_k−1 that are <= v.
  let lo = 0
  let hi = k - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (c.breaks[mid]! <= v) lo = mid
    else hi = mid - 1
  }
  return lo
}
