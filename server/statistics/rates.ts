/**
 * Empirical Bayes smoothed rates (Marshall 1991, method-of-moments), equal to R spdep 1.2's EBest (Poisson
 * family) and EBlocal. One deliberate difference: where the prior variance estimate is 0 and the prior mean
 * is 0 too (no events in the whole reference set), spdep divides 0 by 0 and returns NaN; here the estimate
 * is the prior mean, 0 — full shrinkage, which is what the formula tends to.
 */
import { accurateSum, checkSameLength, checkVector } from './check'
import { toGraph, type Neighbours } from './neighbours'

function checkRates(fn: string, events: ArrayLike<number>, population: ArrayLike<number>): number {
  const n = checkVector(fn, 'events', events, { nonNegative: true })
  const m = checkVector(fn, 'population', population, { positive: true })
  checkSameLength(fn, ['events', 'population'], n, m)
  return n
}

/** Shrinks a raw rate towards the prior mean m by the weight a / (a + m/pop). */
function shrink(raw: number, m: number, a: number, pop: number): number {
  const denominator = a + m / pop
  return denominator > 0 ? m + (a * (raw - m)) / denominator : m
}

export interface EbGlobalResult {
  /** events / population. */
  raw: Float64Array
  /** Marshall's global EB estimate (spdep's estmm). */
  estimate: Float64Array
  /** Prior variance estimate (0 when the moment estimate is negative, as in spdep). */
  a: number
  /** Prior mean: total events / total population. */
  b: number
}

/**
 * Global empirical Bayes rates towards the overall rate b = Σevents/Σpopulation with the moment estimate
 * a = Σ pop_i (r_i − b)² / Σpop − b / mean(pop), set to 0 when negative; estimate = b + a(r_i − b)/(a + b/pop_i).
 */
export function ebGlobal(events: ArrayLike<number>, population: ArrayLike<number>): EbGlobalResult {
  const n = checkRates('ebGlobal', events, population)
  if (n === 0) throw new RangeError('ebGlobal: no areas')
  const raw = new Float64Array(n)
  for (let i = 0; i < n; i++) raw[i] = events[i]! / population[i]!
  const popSum = accurateSum(population)
  const b = accurateSum(events) / popSum
  const terms = new Float64Array(n)
  for (let i = 0; i < n; i++) terms[i] = population[i]! * ((raw[i]! - b) ** 2 / popSum)
  let a = accurateSum(terms) - b / (popSum / n)
  if (a < 0) a = 0
  const estimate = new Float64Array(n)
  for (let i = 0; i < n; i++) estimate[i] = shrink(raw[i]!, b, a, population[i]!)
  return { raw, estimate, a, b }
}

export interface EbLocalResult {
  raw: Float64Array
  estimate: Float64Array
  /** Local prior variance per area (0 when negative). */
  a: Float64Array
  /** Local prior mean per area: the rate of the area with its neighbours. */
  m: Float64Array
}

/**
 * Local empirical Bayes rates as spdep::EBlocal (geoda = FALSE). The neighbourhood of i INCLUDES i itself
 * (spdep uses include.self): m_i = Σ events / Σ population over it, and
 *   a_i = Σ_j pop_j (r_j − m_j)² / Σ_j pop_j − m_i / mean_j(pop_j),  set to 0 when negative,
 * where spdep's sum uses each neighbour's own m_j (GeoDa's variant uses m_i); we follow spdep. An island's
 * neighbourhood is itself alone: a_i = 0 and the estimate is its raw rate.
 */
export function ebLocal(events: ArrayLike<number>, population: ArrayLike<number>, neighbours: Neighbours): EbLocalResult {
  const n = checkRates('ebLocal', events, population)
  const { offsets, indices } = toGraph('ebLocal', neighbours, n)
  const raw = new Float64Array(n)
  const m = new Float64Array(n)
  const a = new Float64Array(n)
  const estimate = new Float64Array(n)
  const popSum = new Float64Array(n)
  const popMean = new Float64Array(n)
  for (let i = 0; i < n; i++) raw[i] = events[i]! / population[i]!
  for (let i = 0; i < n; i++) {
    let ev = events[i]!
    let pop = population[i]!
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      ev += events[indices[e]!]!
      pop += population[indices[e]!]!
    }
    m[i] = ev / pop
    popSum[i] = pop
    popMean[i] = pop / (offsets[i + 1]! - offsets[i]! + 1)
  }
  const spread = new Float64Array(n) // pop_j (r_j − m_j)², summed over neighbourhoods below
  for (let j = 0; j < n; j++) spread[j] = population[j]! * (raw[j]! - m[j]!) ** 2
  for (let i = 0; i < n; i++) {
    let c = spread[i]!
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) c += spread[indices[e]!]!
    const ai = c / popSum[i]! - m[i]! / popMean[i]!
    a[i] = ai > 0 ? ai : 0
    estimate[i] = shrink(raw[i]!, m[i]!, a[i]!, population[i]!)
  }
  return { raw, estimate, a, m }
}
