import { z } from 'zod'
import { parsePeriod } from '../../core/period'
import { periodText as period } from '../../http/validate'
import type { Bin, EmergingClass } from '../../statistics'

const id = z.string({ error: 'krävs' }).min(1, 'krävs').max(64)
const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true')

export const hotspotsQuery = z
  .object({
    indicator: id,
    layer: id,
    period,
    method: z.enum(['gistar', 'lisa'], { error: 'must be gistar or lisa' }),
    measure: z.enum(['count', 'rate'], { error: 'must be count or rate' }).default('count'),
    fdr: flag,
    permutations: z.coerce.number().int().min(0).max(9999).default(0),
    seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1),
  })
  .refine((q) => q.permutations === 0 || q.permutations >= 99, { path: ['permutations'], message: 'use 0 (analytical p) or at least 99' })

export const ratesQuery = z.object({
  indicator: id,
  layer: id,
  period,
  smooth: z.enum(['none', 'eb', 'seb'], { error: 'must be none, eb or seb' }).default('none'),
})

export const changeQuery = z
  .object({ indicator: id, layer: id, from: period, to: period, fdr: flag })
  .refine((q) => q.from !== q.to, { path: ['from'], message: 'must differ from to' })

export const emergingQuery = z
  .object({ indicator: id, layer: id, from: period, to: period })
  .refine((q) => parsePeriod(q.from)?.kind === parsePeriod(q.to)?.kind, { path: ['to'], message: 'måste vara samma slags period som from' })
  .refine((q) => parsePeriod(q.from)!.start <= parsePeriod(q.to)!.start, { path: ['from'], message: 'måste komma före to' })

export type HotspotClass = 'hot99' | 'hot95' | 'hot90' | 'cold99' | 'cold95' | 'cold90' | 'HH' | 'LL' | 'HL' | 'LH' | 'ns' | 'no_neighbours' | 'missing'

export interface HotspotsDto {
  indicator: string
  layer: string
  period: string
  method: 'gistar' | 'lisa'
  measure: 'count' | 'rate'
  /** Weights: Gi* binary queen contiguity including the area itself; LISA row-standardised queen contiguity. */
  weights: string
  fdr: boolean
  permutations: number
  seed: number | null
  /** Areas left out because their value is missing; islands are kept but get no statistic. */
  n: number
  values: Array<{
    areaId: number
    /** The input the statistic used: a count, or a rate per 1 000 inhabitants. */
    value: number | null
    /** Gi* z-score or LISA Z(Ii); null for an area without neighbours or without a value. */
    z: number | null
    /** LISA's Ii (null for Gi*). */
    i: number | null
    p: number | null
    /** Benjamini–Hochberg adjusted p over the areas with a p. */
    pAdjusted: number | null
    class: HotspotClass
    neighbours: number
  }>
}

export interface RatesDto {
  indicator: string
  layer: string
  period: string
  smooth: 'none' | 'eb' | 'seb'
  /** Population is apportioned from primärområden where the layer does not hold whole ones. */
  populationEstimated: boolean
  populationNote: string
  /** The city's rate per 1 000, the prior mean the smoothing shrinks towards. */
  cityRate: number | null
  values: Array<{ areaId: number; numerator: number | null; denominator: number | null; rate: number | null; smoothed: number | null }>
}

export interface ChangeDto {
  indicator: string
  layer: string
  from: string
  to: string
  /** 'poisson': counts per population (or per area when no population), exact conditional test; 'proportion': survey shares, two-proportion test. */
  test: 'poisson' | 'proportion'
  fdr: boolean
  values: Array<{
    areaId: number
    from: number | null
    to: number | null
    /** to − from, in the indicator's unit (per 1 000 for rates). */
    difference: number | null
    /** Rate ratio to/from for counts; null for shares. */
    ratio: number | null
    /** 95 % interval: of the rate ratio (counts, exact) or of the difference in percentage points (shares, Newcombe). */
    ciLow: number | null
    ciHigh: number | null
    p: number | null
    pAdjusted: number | null
    /** Significant at 5 % (after FDR adjustment when asked for). */
    significant: boolean | null
  }>
}

export interface EmergingDto {
  indicator: string
  layer: string
  from: string
  to: string
  periodKind: string
  /** Every period of from's kind from `from` to `to` that the indicator holds on the layer, oldest first. */
  periods: string[]
  /** Significance level of each period's Gi* (two-sided, not FDR-adjusted) and of the trend. */
  alpha: number
  minPeriods: number
  weights: string
  values: Array<{
    areaId: number
    /** ArcGIS' pattern; 'no_neighbours' for an island, 'missing' for an area without a count in any period. */
    class: EmergingClass | 'no_neighbours' | 'missing'
    /** Mann–Kendall trend of the area's Gi* z-scores over the periods: z (no continuity correction), two-sided p, tau-b. */
    trendZ: number | null
    trendP: number | null
    tau: number | null
    /** Per period (as `periods`): significant hot or cold spot, neither, or no count that period. */
    bins: Array<Bin | 'missing'>
    z: Array<number | null>
    hotPeriods: number
    coldPeriods: number
  }>
}
