/**
 * Tests for a change between two periods: counts against exposure (Poisson rates) and successes out of
 * trials (proportions). Period 1 is the reference, period 2 the new one; ratios and differences are
 * new relative to reference. Both are fixed at 95 % intervals.
 */
import { checkScalar } from './check'
import { binomTestTwoSided, pBinom, pNorm, qBeta } from './distributions'

/** R's qnorm(0.975), one ulp below the correctly rounded 1.959963984540054: intervals then match prop.test exactly. */
const Z95 = 1.9599639845400536
const ALPHA_HALF = 0.025

export interface PoissonRateChange {
  /** Two-sided exact p-value (R's binom.test definition: outcomes no more likely than the observed). */
  p: number
  /** (count2/exposure2) / (count1/exposure1); Infinity when count1 = 0 < count2, NaN when both are 0. */
  rateRatio: number
  /** Exact (Clopper–Pearson based) 95 % interval for the rate ratio; the upper end may be Infinity. */
  ci: [low: number, high: number]
}

/**
 * The conditional test for two Poisson rates: given the total count, count2 is binomial with probability
 * exposure2 / (exposure1 + exposure2) under equal rates. Equals R's
 * poisson.test(c(count2, count1), c(exposure2, exposure1)) — p.value, estimate and conf.int — including the
 * case of no events at all (p = 1, interval [0, ∞), ratio NaN).
 */
export function poissonRateChange(count1: number, exposure1: number, count2: number, exposure2: number): PoissonRateChange {
  const fn = 'poissonRateChange'
  checkScalar(fn, 'count1', count1, { nonNegative: true, integer: true })
  checkScalar(fn, 'exposure1', exposure1, { positive: true })
  checkScalar(fn, 'count2', count2, { nonNegative: true, integer: true })
  checkScalar(fn, 'exposure2', exposure2, { positive: true })
  const total = count1 + count2
  const prob = exposure2 / (exposure2 + exposure1)
  const p = binomTestTwoSided(count2, total, prob)
  // Clopper–Pearson for the binomial share, mapped to the rate ratio by π/(1 − π)·exposure1/exposure2.
  const lowShare = count2 === 0 ? 0 : qBeta(ALPHA_HALF, count2, total - count2 + 1)
  const highShare = count2 === total ? 1 : qBeta(ALPHA_HALF, count2 + 1, total - count2, false)
  const toRatio = (share: number) => ((share / (1 - share)) * exposure1) / exposure2
  return {
    p,
    rateRatio: count2 / exposure2 / (count1 / exposure1),
    ci: [toRatio(lowShare), toRatio(highShare)],
  }
}

/**
 * The one-sided conditional test of a rise: is the rate of count2 (the new period) above that of count1 (the
 * reference)? Given the total, count2 is binomial with probability exposure2 / (exposure1 + exposure2) under
 * equal rates, and p = P(X ≥ count2). Equals R's
 * poisson.test(c(count2, count1), c(exposure2, exposure1), alternative = "greater")$p.value.
 */
export function poissonRiseP(count1: number, exposure1: number, count2: number, exposure2: number): number {
  const fn = 'poissonRiseP'
  checkScalar(fn, 'count1', count1, { nonNegative: true, integer: true })
  checkScalar(fn, 'exposure1', exposure1, { positive: true })
  checkScalar(fn, 'count2', count2, { nonNegative: true, integer: true })
  checkScalar(fn, 'exposure2', exposure2, { positive: true })
  if (count2 === 0) return 1
  return pBinom(count2 - 1, count1 + count2, exposure2 / (exposure2 + exposure1), false)
}

export interface ProportionChange {
  /** Two-sided p of the chi-square test without continuity correction; NaN when both shares are 0 or both 1. */
  p: number
  /** The chi-square statistic (the square of the two-proportion z). */
  statistic: number
  /** x2/n2 − x1/n1. */
  difference: number
  /** Wald 95 % interval for the difference, clipped to [−1, 1]: R's prop.test(…, correct = FALSE)$conf.int. */
  wald: [low: number, high: number]
  /**
   * Newcombe's hybrid score 95 % interval (Newcombe 1998, Statistics in Medicine 17:873–890, method 10),
   * built from the two Wilson intervals; better coverage than Wald for small counts and near 0 or 1.
   */
  newcombe: [low: number, high: number]
}

/** Wilson score interval as R's prop.test(x, n, correct = FALSE)$conf.int. */
function wilson(x: number, n: number): [number, number] {
  const est = x / n
  const z22n = (Z95 * Z95) / (2 * n)
  const root = Z95 * Math.sqrt((est * (1 - est)) / n + z22n / (2 * n))
  const high = est >= 1 ? 1 : (est + z22n + root) / (1 + 2 * z22n)
  const low = est <= 0 ? 0 : (est + z22n - root) / (1 + 2 * z22n)
  return [Math.max(low, 0), Math.min(high, 1)]
}

/**
 * Two-proportion comparison equal to R's prop.test(c(x2, x1), c(n2, n1), correct = FALSE): the Pearson
 * chi-square on the 2 × 2 table, whose p equals the two-sided two-proportion z test with pooled variance.
 */
export function proportionChange(x1: number, n1: number, x2: number, n2: number): ProportionChange {
  const fn = 'proportionChange'
  checkScalar(fn, 'x1', x1, { nonNegative: true, integer: true })
  checkScalar(fn, 'n1', n1, { positive: true, integer: true })
  checkScalar(fn, 'x2', x2, { nonNegative: true, integer: true })
  checkScalar(fn, 'n2', n2, { positive: true, integer: true })
  if (x1 > n1) throw new RangeError(`${fn}: x1 must be ≤ n1, got x1=${x1}, n1=${n1}`)
  if (x2 > n2) throw new RangeError(`${fn}: x2 must be ≤ n2, got x2=${x2}, n2=${n2}`)
  const p1 = x1 / n1
  const p2 = x2 / n2
  const pooled = (x2 + x1) / (n2 + n1)
  // Cells in R's order: successes (period 2, period 1), then failures. An expected 0 gives 0/0 = NaN, as in R.
  const observed = [x2, x1, n2 - x2, n1 - x1]
  const expected = [n2 * pooled, n1 * pooled, n2 * (1 - pooled), n1 * (1 - pooled)]
  let statistic = 0
  for (let c = 0; c < 4; c++) statistic += Math.abs(observed[c]! - expected[c]!) ** 2 / expected[c]!
  const p = Number.isNaN(statistic) ? NaN : 2 * pNorm(Math.sqrt(statistic), false)
  const difference = p2 - p1
  const width = Z95 * Math.sqrt((p2 * (1 - p2)) / n2 + (p1 * (1 - p1)) / n1)
  const [l1, u1] = wilson(x1, n1)
  const [l2, u2] = wilson(x2, n2)
  return {
    p,
    statistic,
    difference,
    wald: [Math.max(difference - width, -1), Math.min(difference + width, 1)],
    newcombe: [difference - Math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), difference + Math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)],
  }
}
