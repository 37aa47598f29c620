/**
 * Local spatial statistics: Getis–Ord Gi*, local Moran's I (LISA) and conditional permutation p-values.
 * The analytical versions equal R spdep 1.2 (see tests/fixtures/spdep/make-fixtures.R):
 *   gStar      = localG(x, nb2listw(include.self(nb), style = "B", zero.policy = TRUE), zero.policy = TRUE)
 *   localMoran = localmoran(x, nb2listw(nb, style = "W", zero.policy = TRUE), zero.policy = TRUE)
 * except that an area without neighbours (an island) gets NaN everywhere: spdep returns a z for it under
 * G* (from the area alone) and Ii = E.Ii = Var.Ii = 0 under localmoran, neither of which is a statement about
 * a neighbourhood.
 */
import { accurateMean, checkScalar, checkVector } from './check'
import { pNormTwoSided } from './distributions'
import { toGraph, type Neighbours } from './neighbours'
import { Xoshiro128ss } from './random'

export interface GStarResult {
  /** Gi* as a z-score; NaN for islands and where the variance is 0 (constant x, or an area next to all). */
  gi: Float64Array
  /** Two-sided normal p-value of gi, NaN where gi is. */
  p: Float64Array
}

/**
 * Getis–Ord Gi* with binary weights including the area itself, as spdep computes it: the global mean and
 * the variance with denominator n (not n − 1) over all areas, and
 *   z_i = (Σ_{j∈N(i)∪{i}} x_j − W_i·x̄) / √(s²·(n·W_i − W_i²)/(n − 1)),  W_i = |N(i)| + 1.
 */
export function gStar(x: ArrayLike<number>, neighbours: Neighbours): GStarResult {
  const n = checkVector('gStar', 'x', x)
  const g = toGraph('gStar', neighbours, n)
  const gi = new Float64Array(n).fill(NaN)
  const p = new Float64Array(n).fill(NaN)
  if (n < 2) return { gi, p }
  const mean = accurateMean(x)
  let ss = 0
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2
  const s2 = ss / n
  const { offsets, indices } = g
  for (let i = 0; i < n; i++) {
    const start = offsets[i]!
    const end = offsets[i + 1]!
    if (start === end) continue // island: no neighbourhood to speak of
    let lag = x[i]!
    for (let e = start; e < end; e++) lag += x[indices[e]!]!
    const w = end - start + 1
    const v = (s2 * (n * w - w * w)) / (n - 1)
    if (!(v > 0)) continue
    gi[i] = (lag - w * mean) / Math.sqrt(v)
    p[i] = pNormTwoSided(gi[i]!)
  }
  return { gi, p }
}

export type Quadrant = 'HH' | 'LL' | 'LH' | 'HL'

export interface LocalMoranResult {
  ii: Float64Array
  eii: Float64Array
  varii: Float64Array
  zii: Float64Array
  /** Two-sided normal p-value of zii. */
  p: Float64Array
  /**
   * spdep's quadr$mean: the value against the mean of x, then its spatial lag against the mean of all lags
   * (islands' zero lags included, as in spdep). 'HL' = high value among low neighbours. null for islands.
   */
  quadrant: (Quadrant | null)[]
}

/**
 * Local Moran's I with row-standardised weights, spdep's defaults: the conditional randomisation moments
 * (Sokal et al. 1998), s² and m₂ with denominator n (mlvar = TRUE), two-sided p from the normal.
 */
export function localMoran(x: ArrayLike<number>, neighbours: Neighbours): LocalMoranResult {
  const n = checkVector('localMoran', 'x', x)
  const g = toGraph('localMoran', neighbours, n)
  const out = () => new Float64Array(n).fill(NaN)
  const res: LocalMoranResult = { ii: out(), eii: out(), varii: out(), zii: out(), p: out(), quadrant: new Array(n).fill(null) }
  if (n < 3) return res
  const { offsets, indices } = g
  const mean = accurateMean(x)
  const z = new Float64Array(n)
  let m2 = 0
  for (let i = 0; i < n; i++) {
    z[i] = x[i]! - mean
    m2 += z[i]! * z[i]!
  }
  m2 /= n
  // The lag of x for the quadrants: its mean runs over all areas, islands counting as 0 (spdep's lxx).
  const lagX = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const k = offsets[i + 1]! - offsets[i]!
    if (k === 0) continue
    const w = 1 / k
    let s = 0
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) s += w * x[indices[e]!]!
    lagX[i] = s
  }
  const meanLag = accurateMean(lagX)
  for (let i = 0; i < n; i++) {
    const start = offsets[i]!
    const end = offsets[i + 1]!
    if (start === end) continue
    const w = 1 / (end - start)
    let lz = 0
    let wi = 0
    let wi2 = 0
    for (let e = start; e < end; e++) {
      lz += w * z[indices[e]!]!
      wi += w
      wi2 += w * w
    }
    const zi = z[i]!
    const ii = (zi / m2) * lz
    const eii = -(zi * zi * wi) / ((n - 1) * m2)
    const varii = (zi / m2) ** 2 * (n / (n - 2)) * (wi2 - (wi * wi) / (n - 1)) * (m2 - (zi * zi) / (n - 1))
    res.ii[i] = ii
    res.eii[i] = eii
    res.varii[i] = varii
    res.zii[i] = (ii - eii) / Math.sqrt(varii)
    res.p[i] = pNormTwoSided(res.zii[i]!)
    // cut(…, c(-Inf, m, Inf)) puts a value equal to the mean in "Low".
    res.quadrant[i] = `${x[i]! > mean ? 'H' : 'L'}${lagX[i]! > meanLag ? 'H' : 'L'}` as Quadrant
  }
  return res
}

export type GStarClass = 'hot99' | 'hot95' | 'hot90' | 'cold99' | 'cold95' | 'cold90' | 'ns'

/**
 * The usual hot/cold spot bins from a z-score and its (two-sided, possibly FDR-adjusted or permutation)
 * p-value: p < 0.01 → 99 %, < 0.05 → 95 %, < 0.10 → 90 %; the sign of z gives hot or cold. null when there is
 * no statistic (NaN: an island or no variation), so that the caller reports it instead of "not significant".
 */
export function gStarClass(z: number, p: number): GStarClass | null {
  if (typeof z !== 'number' || typeof p !== 'number') throw new TypeError(`gStarClass: z and p must be numbers, got ${typeof z} and ${typeof p}`)
  if (Number.isNaN(z) || Number.isNaN(p)) return null
  if (p < 0 || p > 1) throw new RangeError(`gStarClass: p must be in [0, 1], got ${p}`)
  if (z === 0 || p >= 0.1) return 'ns'
  const level = p < 0.01 ? '99' : p < 0.05 ? '95' : '90'
  return `${z > 0 ? 'hot' : 'cold'}${level}` as GStarClass
}

export interface PermutationResult {
  /**
   * Two-sided pseudo p-value, min(1, 2·pFolded): uniform on (0, 1] without spatial structure and on the same
   * scale as the analytical p of gStar/localMoran, so gStarClass and benjaminiHochberg apply unchanged.
   * The smallest possible value is 2/(permutations + 1). NaN for islands.
   */
  p: Float64Array
  /**
   * PySAL esda's folded pseudo p-value (p_sim): one-sided in the direction the observed value lies, so at
   * most about ½ and, without spatial structure, uniform on (0, ½] — twice as many below 0.05 as a two-sided
   * p would have. NaN for islands.
   */
  pFolded: Float64Array
  /** (observed − mean of permuted) / sd of permuted (population sd), esda's z_sim; NaN for islands. */
  zSim: Float64Array
}

const MAX_PERMUTATIONS = 1_000_000

/**
 * Conditional permutation p-values (Anselin 1995): for area i, x_i stays, and its |N(i)| neighbour values
 * are drawn at random without replacement from the other n − 1 values, `permutations` times.
 *
 * Both statistics are, with x_i and the global moments fixed, monotone in the sum of the drawn values
 * (Gi* increasing; Ii increasing if x_i is above the mean, decreasing if below), so the sums are compared.
 * pFolded is PySAL esda's folded p_sim, (1 + min(#{perm ≥ obs}, #{perm ≤ obs})) / (permutations + 1): the
 * share of permuted statistics at least as extreme as the observed one, on its own side. esda counts the
 * low side with a strict "<"; counting ties on both sides (here) is identical without ties and does not
 * make tied values (many zeros) look extreme. Looking at the observed side only, it is a one-sided p in the
 * direction of the data, so `p` doubles it (the usual "twice the smaller tail") to be two-sided like every
 * other p in this module. For LISA an area exactly at the mean has Ii = 0 in every permutation: p = 1.
 *
 * Deterministic for a seed: xoshiro128**, areas in index order, partial Fisher–Yates draws.
 */
export function permutationPValues(
  x: ArrayLike<number>,
  neighbours: Neighbours,
  statistic: 'gstar' | 'lisa',
  permutations: number,
  seed: number,
): PermutationResult {
  const fn = 'permutationPValues'
  const n = checkVector(fn, 'x', x)
  const g = toGraph(fn, neighbours, n)
  if (statistic !== 'gstar' && statistic !== 'lisa') throw new RangeError(`${fn}: statistic must be 'gstar' or 'lisa', got ${String(statistic)}`)
  checkScalar(fn, 'permutations', permutations, { integer: true, min: 1, max: MAX_PERMUTATIONS })
  checkScalar(fn, 'seed', seed, { integer: true })
  const p = new Float64Array(n).fill(NaN)
  const pFolded = new Float64Array(n).fill(NaN)
  const zSim = new Float64Array(n).fill(NaN)
  if (n < 2) return { p, pFolded, zSim }
  const values = Float64Array.from(x)
  const mean = accurateMean(values)
  let maxAbs = 0
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]!))
  const rng = new Xoshiro128ss(seed)
  const random = new Uint32Array(4096) // drawn in blocks, consumed in order: the stream does not depend on the block size
  let used = random.length
  // Positions among "the others" (0 … n−2); position u maps to area u, or u+1 from i on. A partial
  // Fisher–Yates shuffle of any arrangement draws uniformly, so the array is never reset.
  const pool = new Int32Array(n - 1)
  for (let u = 0; u < n - 1; u++) pool[u] = u
  const { offsets, indices } = g
  const INV_TWO32 = 1 / 4294967296
  for (let i = 0; i < n; i++) {
    const k = offsets[i + 1]! - offsets[i]!
    if (k === 0) continue
    if (statistic === 'lisa' && values[i] === mean) {
      p[i] = 1
      pFolded[i] = 1
      continue
    }
    let observed = 0
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) observed += values[indices[e]!]!
    // Sums of the same values in another order differ by rounding only: treat those as ties.
    const tol = 1e-12 * k * maxAbs
    let atLeast = 0
    let atMost = 0
    let simMean = 0
    let simM2 = 0
    for (let r = 1; r <= permutations; r++) {
      let s = 0
      for (let t = 0; t < k; t++) {
        if (used === random.length) {
          rng.fill(random)
          used = 0
        }
        // u32·m < 2^53 is exact and 2^−32 a power of two: an exact floor(u32·m / 2^32) in [0, m).
        const pick = t + ((random[used++]! * (n - 1 - t) * INV_TWO32) | 0)
        const u = pool[pick]!
        pool[pick] = pool[t]!
        pool[t] = u
        // Branch-free u < i ? u : u + 1 (the branch is unpredictable and cost a quarter of the time).
        s += values[u + ((i - u - 1) >>> 31)]!
      }
      if (s >= observed - tol) atLeast++
      if (s <= observed + tol) atMost++
      const delta = s - simMean
      simMean += delta / r
      simM2 += delta * (s - simMean)
    }
    pFolded[i] = (1 + Math.min(atLeast, atMost)) / (permutations + 1)
    p[i] = Math.min(1, 2 * pFolded[i]!)
    const sd = Math.sqrt(simM2 / permutations)
    const zs = sd > 0 ? (observed - simMean) / sd : NaN
    zSim[i] = statistic === 'lisa' && values[i]! < mean ? -zs : zs
  }
  return { p, pFolded, zSim }
}
