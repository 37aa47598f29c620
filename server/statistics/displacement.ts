/**
 * Spatial displacement of crime around a place-based measure, from counts before (0) and after (1) in the
 * treated area A, a buffer zone B around it and a comparison area C.
 *
 * - Bowers & Johnson (2003), "Measuring the geographical displacement and diffusion of benefit effects of
 *   crime prevention activity", Journal of Quantitative Criminology 19:275–301: the weighted displacement
 *   quotient WDQ = (B1/C1 − B0/C0) / (A1/C1 − A0/C0), its success measure A1/C1 − A0/C0 and the total net
 *   effect [A0·C1/C0 − A1] + [B0·C1/C0 − B1] (crimes prevented in A and B against C's trend).
 * - Wheeler & Ratcliffe (2018), "A simple weighted displacement difference test to evaluate place based
 *   crime interventions", Crime Science 7:17: WDD = ΔA − ΔC + ΔB − ΔC_B (Δ = after − before; negative is
 *   fewer crimes), tested as z = WDD / √Var(WDD) with the counts taken as independent Poisson variables.
 *
 * With one comparison area for both the treated area and the buffer (no control buffer of its own), C
 * enters WDD twice: WDD = ΔA + ΔB − 2ΔC, and its variance is A0 + A1 + B0 + B1 + 4·(C0 + C1) — each count's
 * variance times the square of its coefficient. With a separate control CB for the buffer every coefficient
 * is ±1 and the variance is the plain sum of the eight counts, as in Wheeler & Ratcliffe.
 */
import { checkScalar } from './check'
import { pNormTwoSided } from './distributions'

export interface DisplacementCounts {
  a0: number
  a1: number
  b0: number
  b1: number
  c0: number
  c1: number
  /** A control for the buffer of its own; absent: C serves both. */
  cb0?: number
  cb1?: number
}

export interface DisplacementResult {
  /** A1/C1 − A0/C0: below 0 the treated area improved against the comparison; null when C has a zero count. */
  successMeasure: number | null
  /** B1/C1 − B0/C0. */
  bufferMeasure: number | null
  /** bufferMeasure / successMeasure; null when either is undefined or the success measure is 0. */
  wdq: number | null
  /** Crimes prevented in A and B together against C's trend (negative: more crimes than expected); null when C0 = 0. */
  totalNetEffect: number | null
  /** ΔA − ΔC + ΔB − ΔC_B: below 0 fewer crimes, displacement counted in. */
  wdd: number
  variance: number
  /** null when there are no crimes at all (variance 0). */
  z: number | null
  /** Two-sided normal p of z. */
  p: number | null
  /** C was the control for the buffer as well. */
  sharedControl: boolean
}

export function displacement(c: DisplacementCounts): DisplacementResult {
  const fn = 'displacement'
  for (const k of ['a0', 'a1', 'b0', 'b1', 'c0', 'c1'] as const) checkScalar(fn, k, c[k], { nonNegative: true })
  const sharedControl = c.cb0 === undefined && c.cb1 === undefined
  if (!sharedControl) {
    checkScalar(fn, 'cb0', c.cb0, { nonNegative: true })
    checkScalar(fn, 'cb1', c.cb1, { nonNegative: true })
  }
  const { a0, a1, b0, b1, c0, c1 } = c
  const [cb0, cb1] = sharedControl ? [c0, c1] : [c.cb0!, c.cb1!]

  const ratios = c0 > 0 && c1 > 0
  const successMeasure = ratios ? a1 / c1 - a0 / c0 : null
  const bufferMeasure = ratios ? b1 / c1 - b0 / c0 : null
  const wdq = successMeasure !== null && bufferMeasure !== null && successMeasure !== 0 ? bufferMeasure / successMeasure : null
  const totalNetEffect = c0 > 0 ? a0 * (c1 / c0) - a1 + (b0 * (c1 / c0) - b1) : null

  const wdd = a1 - a0 - (c1 - c0) + (b1 - b0) - (cb1 - cb0)
  const variance = sharedControl ? a0 + a1 + b0 + b1 + 4 * (c0 + c1) : a0 + a1 + b0 + b1 + c0 + c1 + cb0 + cb1
  const z = variance > 0 ? wdd / Math.sqrt(variance) : null
  return { successMeasure, bufferMeasure, wdq, totalNetEffect, wdd, variance, z, p: z === null ? null : pNormTwoSided(z), sharedControl }
}
