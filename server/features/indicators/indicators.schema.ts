import { z } from 'zod'
import type { PeriodKind } from '../../core/period'
import type { Hidden } from '../../disclosure/cube'
import type { IndicatorCategory, Polarity } from '../../../db/schema'
import { areaIdList, periodKindText, periodText } from '../../http/validate'

export const indicatorParams = z.object({ id: z.string().min(1).max(64) })
export const valuesQuery = z.object({
  layer: z.string({ error: 'krävs' }).min(1, 'krävs').max(64),
  period: periodText.optional(),
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
})

export interface IndicatorDto {
  id: string
  name: string
  description: string
  unit: 'count' | 'rate_per_1000' | 'percent' | 'index'
  category: IndicatorCategory
  source: string
  polarity: Polarity
  minPublishCount: number
  /** Under which terms the figures may be used (free text, e.g. CC BY 4.0). */
  licence: string
  /** A survey estimate (a share with an interval from a sample), not a register count. */
  survey: boolean
  /** Raised by every edit of the definition (GET /api/indicators/:id/history). */
  version: number
  updatedAt: string
  demo: boolean
  /** Periods with values, oldest first. */
  periods: string[]
  /** Layers with values: stored, or summed from a layer that nests in them. */
  layers: Array<{ layer: string; derivedFrom: string | null; estimated: boolean; periods: string[] }>
}

export const seriesQuery = z.object({
  areas: areaIdList,
  /** One kind of period per trend; by default the finest that spans the longest stretch of time. */
  periodKind: periodKindText.optional(),
  format: z.enum(['json', 'csv'], { error: 'måste vara json eller csv' }).default('json'),
})

export interface CityValueDto {
  period: string
  value: number | null
  suppressed: boolean
  numerator: number | null
  denominator: number | null
  ciLow: number | null
  ciHigh: number | null
}

export interface SeriesDto {
  indicator: string
  unit: IndicatorDto['unit']
  demo: boolean
  source: string
  /** `pending`: some of these figures are withheld until the disclosure audit of the latest data has finished (they are `hiddenOutside: 'unaudited'` for analysts); ask again in a few seconds. */
  suppression: { threshold: number; internal: boolean; pending?: boolean }
  /** The kind of period shown (null: no periods at all). */
  periodKind: PeriodKind | null
  /** Every kind the indicator has for these areas, coarsest first: the choices a user gets. */
  periodKinds: PeriodKind[]
  /** The periods shown, of one kind, oldest first. */
  periods: string[]
  /** The city as a whole per period (absent where it cannot be formed). */
  city: CityValueDto[]
  /** Counts: the population their denominators are (the latest period's year); null for other units. */
  population: PopulationDto | null
  series: Array<{
    areaId: number
    layer: string
    code: string
    name: string
    approximate: boolean
    points: Array<Omit<ValueDto, 'areaId' | 'code' | 'name'> & { period: string }>
  }>
}

export interface ValueDto {
  areaId: number
  code: string
  name: string
  value: number | null
  suppressed: boolean
  /**
   * Analysts only: this value is hidden for everyone else — too few (primary), to protect another
   * (secondary), because a published lägesbild hid it or showed it and it has since changed by less than the
   * threshold (release), withheld until the disclosure audit of the latest data has finished (unaudited), or
   * in a layer not published for this period because nearly all of its values would be hidden (unpublished).
   */
  hiddenOutside?: Hidden
  numerator?: number | null
  denominator?: number | null
  ciLow?: number | null
  ciHigh?: number | null
}

export interface ValuesDto {
  indicator: string
  layer: string
  period: string
  periodStart: string
  periodEnd: string
  unit: IndicatorDto['unit']
  demo: boolean
  source: string
  /** How the values were made: stored as imported, or summed from a nested layer (numerators and denominators, never averaged rates). */
  method:
    | { kind: 'stored' }
    | { kind: 'summed'; fromLayer: string; note: string }
    /** An estimate for a layer the data do not nest in, through primärområden as building blocks. */
    | { kind: 'crosswalk'; fromLayer: string; weighting: 'population' | 'area'; note: string }
  approximate: boolean
  approximateReason: string | null
  /** Every period this indicator has on this layer, oldest first. */
  availablePeriods: string[]
  /**
   * Counts below the threshold, shares built on them, and values that would let one be recovered by
   * subtraction are published as null with suppressed: true. `internal`: the viewer sees every value.
   */
  /**
   * `pending`: some of these figures are withheld until the disclosure audit of the latest data has finished
   * (they are `hiddenOutside: 'unaudited'` for analysts); ask again in a few seconds. `unpublished`: the layer
   * is not published for this period outside the analyst role, because nearly all of its values would be
   * hidden (every value is null there; `hiddenOutside: 'unpublished'` for analysts).
   */
  suppression: { threshold: number; internal: boolean; pending?: boolean; unpublished?: boolean }
  /** The city as a whole for the same period, or null where it cannot be formed. */
  city: CityValueDto | null
  /** Counts: the population each value's denominator is; null for other units or without any population (absent in maps frozen before it was served). */
  population?: PopulationDto | null
  values: ValueDto[]
}

/**
 * The population behind a count's denominators: the period's calendar year, or the nearest year with
 * population (earlier first); `estimated` where some area's population was interpolated by area.
 */
export interface PopulationDto {
  year: number
  nearest: boolean
  estimated: boolean
  /** For the figure's note, e.g. "Befolkning 2025 (närmaste år med befolkningsuppgift)". */
  note: string
}
