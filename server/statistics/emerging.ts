/**
 * Emerging hot spot analysis, as ArcGIS Pro's tool of that name describes it (Space Time Pattern Mining,
 * "How Emerging Hot Spot Analysis works"): Gi* per period, a Mann–Kendall trend on each location's series of
 * Gi* z-scores, and a class from the two. Pure: no db, no http.
 *
 * Differences from ArcGIS, on purpose: the neighbourhood is spatial only (queen contiguity with the area
 * itself, as in /api/analysis/hotspots), not a space-time window; significance is the per-period two-sided
 * p < α without FDR, so a class says the same as the single-period hot spot map of each period.
 */
import { checkVector } from './check'
import { pNorm } from './distributions'
import { gStar } from './hotspots'

export interface MannKendall {
  /** Kendall's S: concordant minus discordant pairs of (time, value). */
  s: number
  /** Kendall's tau-b between time and value (time has no ties, so the correction is for the values' ties). */
  tau: number
  /** S / √Var(S), no continuity correction; NaN when Var(S) = 0 (fewer than 2 distinct values). */
  z: number
  /** Two-sided normal p of z; NaN where z is. */
  p: number
  n: number
}

/**
 * The Mann–Kendall trend test as Kendall's tau between the time index and the values, with the normal
 * approximation and the variance corrected for ties:
 *   Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18   (t: sizes of groups of equal values).
 * Equals R's cor.test(seq_along(x), x, method = "kendall", exact = FALSE, continuity = FALSE)
 * (tests/fixtures/emerging/make-fixtures.R). NaN values are dropped with their time index.
 */
export function mannKendall(x: ArrayLike<number>): MannKendall {
  checkVector('mannKendall', 'x', x, { allowNaN: true })
  const t: number[] = []
  const v: number[] = []
  for (let i = 0; i < x.length; i++) {
    if (!Number.isNaN(x[i]!)) {
      t.push(i)
      v.push(x[i]!)
    }
  }
  const n = v.length
  if (n < 3) return { s: NaN, tau: NaN, z: NaN, p: NaN, n }
  let s = 0
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(v[j]! - v[i]!) // t[j] > t[i]
  const counts = new Map<number, number>()
  for (const y of v) counts.set(y, (counts.get(y) ?? 0) + 1)
  let tieVar = 0
  let tiePairs = 0
  for (const c of counts.values()) {
    tieVar += c * (c - 1) * (2 * c + 5)
    tiePairs += (c * (c - 1)) / 2
  }
  const varS = (n * (n - 1) * (2 * n + 5) - tieVar) / 18
  const n0 = (n * (n - 1)) / 2
  const tau = n0 - tiePairs > 0 ? s / Math.sqrt(n0 * (n0 - tiePairs)) : NaN
  const z = varS > 0 ? s / Math.sqrt(varS) : NaN
  const p = Number.isNaN(z) ? NaN : Math.min(1, 2 * pNorm(-Math.abs(z)))
  return { s, tau, z, p, n }
}

export type EmergingClass =
  | 'new_hot'
  | 'consecutive_hot'
  | 'intensifying_hot'
  | 'persistent_hot'
  | 'diminishing_hot'
  | 'sporadic_hot'
  | 'oscillating_hot'
  | 'historical_hot'
  | 'new_cold'
  | 'consecutive_cold'
  | 'intensifying_cold'
  | 'persistent_cold'
  | 'diminishing_cold'
  | 'sporadic_cold'
  | 'oscillating_cold'
  | 'historical_cold'
  | 'no_pattern'

export const EMERGING_CLASSES: readonly EmergingClass[] = [
  'new_hot',
  'consecutive_hot',
  'intensifying_hot',
  'persistent_hot',
  'diminishing_hot',
  'sporadic_hot',
  'oscillating_hot',
  'historical_hot',
  'new_cold',
  'consecutive_cold',
  'intensifying_cold',
  'persistent_cold',
  'diminishing_cold',
  'sporadic_cold',
  'oscillating_cold',
  'historical_cold',
  'no_pattern',
]

/** A period's state of a location: significant hot spot, significant cold spot, or neither (also: no statistic). */
export type Bin = 'hot' | 'cold' | 'ns'

/** The share of periods that makes a location "a hot spot for 90 percent of the time-step intervals". */
const NINETY = 0.9

/**
 * The class of one location from its per-period states (oldest first) and the Mann–Kendall trend of its Gi*
 * z-scores. ArcGIS' definitions (hot; cold spots mirror them, "intensity" then being ever lower z):
 * - new: "a statistically significant hot spot for the final time step and has never been a statistically
 *   significant hot spot before".
 * - consecutive: "a single uninterrupted run of at least two statistically significant hot spot bins in the
 *   final time-step intervals … never been a statistically significant hot spot prior to the final hot spot
 *   run and less than ninety percent of all bins are statistically significant hot spots".
 * - intensifying: "a statistically significant hot spot for ninety percent of the time-step intervals,
 *   including the final time step … the intensity of clustering of high counts in each time step is
 *   increasing overall and that increase is statistically significant".
 * - persistent: "a statistically significant hot spot for ninety percent of the time-step intervals with no
 *   discernible trend in the intensity of clustering over time".
 * - diminishing: as intensifying, but the intensity "is decreasing overall and that decrease is
 *   statistically significant".
 * - sporadic: "a statistically significant hot spot for the final time-step interval with a history of also
 *   being an on-again and off-again hot spot. Less than ninety percent … hot spots and none … cold spots".
 * - oscillating: "a statistically significant hot spot for the final time-step interval that has a history of
 *   also being a statistically significant cold spot during a prior time step. Less than ninety percent …".
 * - historical: "the most recent time period is not hot, but at least ninety percent of the time-step
 *   intervals have been statistically significant hot spots".
 * - no pattern: none of these.
 * Where the wording overlaps we decide: a location ≥ 90 % hot whose last period is not hot is historical (not
 * persistent: persistent, intensifying and diminishing all need the last period hot); a prior cold spot makes
 * a final hot spot oscillating before new, consecutive or sporadic (as R sfdep does); "no discernible trend"
 * is trendP ≥ α or no trend statistic (all z equal).
 */
export function emergingClass(bins: readonly Bin[], trendZ: number, trendP: number, alpha = 0.05): EmergingClass {
  const n = bins.length
  if (n === 0) return 'no_pattern'
  const last = bins[n - 1]!
  const hotShare = bins.filter((b) => b === 'hot').length / n
  const coldShare = bins.filter((b) => b === 'cold').length / n
  const trend = Number.isFinite(trendP) && trendP < alpha && trendZ !== 0 ? Math.sign(trendZ) : 0
  if (last === 'ns') {
    if (hotShare >= NINETY) return 'historical_hot'
    if (coldShare >= NINETY) return 'historical_cold'
    return 'no_pattern'
  }
  const [side, other, sign] = last === 'hot' ? (['hot', 'cold', 1] as const) : (['cold', 'hot', -1] as const)
  const share = side === 'hot' ? hotShare : coldShare
  if (share >= NINETY) {
    if (trend === sign) return `intensifying_${side}`
    if (trend === -sign) return `diminishing_${side}`
    return `persistent_${side}`
  }
  const before = bins.slice(0, -1)
  if (before.includes(other)) return `oscillating_${side}`
  // The final run of this side, and whether any such bin comes before it.
  let start = n - 1
  while (start > 0 && bins[start - 1] === side) start--
  const earlier = bins.slice(0, start).includes(side)
  if (!earlier && start === n - 1) return `new_${side}`
  if (!earlier) return `consecutive_${side}`
  return `sporadic_${side}`
}

export interface EmergingResult {
  /** Gi* z per period and location ([period][location]); NaN for islands and periods without variation. */
  z: Float64Array[]
  p: Float64Array[]
  /** Per location, oldest period first. */
  bins: Bin[][]
  trend: MannKendall[]
  classes: EmergingClass[]
}

/**
 * The whole analysis over a space-time cube: counts[period][location] (NaN: no value for that location in
 * that period, left out of that period's Gi*). The same neighbours in every period.
 */
export function emergingHotSpots(counts: ReadonlyArray<ArrayLike<number>>, neighbours: readonly (readonly number[])[], alpha = 0.05): EmergingResult {
  const periods = counts.length
  const n = periods ? counts[0]!.length : 0
  const z: Float64Array[] = []
  const p: Float64Array[] = []
  for (const x of counts) {
    if (x.length !== n) throw new RangeError(`emergingHotSpots: every period needs ${n} values, got ${x.length}`)
    const zi = new Float64Array(n).fill(NaN)
    const pi = new Float64Array(n).fill(NaN)
    // Gi* over the locations with a value in this period, their neighbourhoods restricted to each other.
    const used: number[] = []
    for (let i = 0; i < n; i++) if (!Number.isNaN(x[i]!)) used.push(i)
    const index = new Map(used.map((loc, k) => [loc, k]))
    const nb = used.map((loc) => (neighbours[loc] ?? []).map((j) => index.get(j)).filter((k): k is number => k !== undefined))
    const g = gStar(Float64Array.from(used, (i) => x[i]!), nb)
    used.forEach((loc, k) => {
      zi[loc] = g.gi[k]!
      pi[loc] = g.p[k]!
    })
    z.push(zi)
    p.push(pi)
  }
  const bins: Bin[][] = []
  const trend: MannKendall[] = []
  const classes: EmergingClass[] = []
  for (let i = 0; i < n; i++) {
    const b: Bin[] = []
    const series = new Float64Array(periods)
    for (let t = 0; t < periods; t++) {
      const zt = z[t]![i]!
      const pt = p[t]![i]!
      series[t] = zt
      b.push(Number.isNaN(zt) || !(pt < alpha) || zt === 0 ? 'ns' : zt > 0 ? 'hot' : 'cold')
    }
    const mk = mannKendall(series)
    bins.push(b)
    trend.push(mk)
    classes.push(emergingClass(b, mk.z, mk.p, alpha))
  }
  return { z, p, bins, trend, classes }
}
