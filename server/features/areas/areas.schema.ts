import { z } from 'zod'
import { isIsoDate } from '../../core/period'

export const isoDate = z.string().refine(isIsoDate, 'måste vara ett datum som ÅÅÅÅ-MM-DD')
export const layerParams = z.object({ layer: z.string().min(1).max(64) })
export const areasQuery = z.object({ at: isoDate.optional() })
export const populationQuery = z.object({
  year: z.string().regex(/^\d{4}$/, 'måste vara ett år, t.ex. 2025').transform(Number).refine((y) => y >= 1990 && y <= 2100, 'måste vara ett år mellan 1990 och 2100').optional(),
})

/** An area's population in a year: stored, summed from nested areas, or interpolated by area (estimated). */
export interface AreaPopulationDto {
  areaId: number
  code: string
  name: string
  /** Rounded to whole people; null where none can be formed. */
  population: number | null
  estimated: boolean
  /** The year used: the one asked for, or the nearest with population (earlier first); null without any population. */
  year: number | null
}

export interface LayerDto {
  id: string
  name: string
  kind: string
  areaCount: number
  description: string
  source: string
  licence: string
  approximate: boolean
  approximateReason: string | null
  /** Layers this one nests in wholly, so its values can be summed into them. */
  nestsIn: string[]
}

export interface AreaProperties {
  id: number
  code: string
  name: string
  layer: string
  validFrom: string
  validTo: string | null
  approximate: boolean
  attributes: Record<string, unknown>
  /** A point inside the area (WGS84), for labels and markers. */
  labelPoint: [number, number]
}

export interface AreaListItem {
  id: number
  layer: string
  code: string
  name: string
  approximate: boolean
}

export interface NeighboursDto {
  method: 'queen'
  layer: string
  at: string
  /** Every area valid at `at`, with the areas it shares at least a point with; [] for an island. */
  neighbours: Record<string, number[]>
}

const position = z.tuple([z.number().finite(), z.number().finite()])
export const placeInput = z.object({
  name: z.string({ error: 'ge platsen ett namn' }).trim().min(2, 'ge platsen ett namn (minst 2 tecken)').max(120),
  /** A GeoJSON Polygon in WGS84, as drawn on the map. */
  geometry: z.object({
    type: z.literal('Polygon', { error: 'platsen måste vara en yta (Polygon)' }),
    coordinates: z.array(z.array(position).min(4, 'en yta behöver minst tre hörn')).min(1).max(20),
  }),
})
export type PlaceInput = z.infer<typeof placeInput>

export interface PlaceDto {
  id: number
  layer: string
  name: string
  /** Why the drawn shape was repaired (ST_IsValidReason), or null. */
  repaired: string | null
}
