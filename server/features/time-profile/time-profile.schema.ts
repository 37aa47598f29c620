import { z } from 'zod'

const id = z.string({ error: 'krävs' }).min(1, 'krävs').max(64)
const month = z.string({ error: 'krävs' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'måste vara en månad som ÅÅÅÅ-MM')

export const timeProfileQuery = z.object({
  indicator: id,
  layer: id,
  area: z.coerce.number({ error: 'måste vara ett områdes-id' }).int('måste vara ett heltal').positive('måste vara ett områdes-id'),
  /** First and last month, inclusive: one month, a calendar quarter or a calendar year (see the service). */
  from: month,
  to: month,
})
export type TimeProfileQuery = z.infer<typeof timeProfileQuery>

export interface TimeProfileCount {
  /** Null when hidden from this viewer. */
  count: number | null
  hidden: boolean
  /** For analysts: hidden outside the analyst role (they see it as it is). */
  hiddenOutside?: boolean
}

export interface TimeProfileDto {
  indicator: string
  indicatorName: string
  layer: string
  areaId: number
  areaName: string
  /** The range as a period: 2026-03, 2026-Q1 or 2026. */
  range: { id: string; kind: 'month' | 'quarter' | 'year'; from: string; to: string }
  /** Months of the range the table sums (an analyst may see a range not yet whole). */
  months: string[]
  missingMonths: string[]
  suppression: { threshold: number; internal: boolean }
  /** Whether some incidents had a date but no time of day: then hour 24 ("tid okänd") is a column. */
  untimed: boolean
  /** weekday 1 (Monday) … 7, hour 0–23, and 24 for "no time" when `untimed`. */
  cells: Array<TimeProfileCount & { weekday: number; hour: number }>
  weekdays: Array<TimeProfileCount & { weekday: number }>
  hours: Array<TimeProfileCount & { hour: number }>
  total: TimeProfileCount
}

/** Which layers hold time profiles for an indicator, for the client to know where to offer the table. */
export interface TimeProfileLayersDto {
  /** Months with counts in some area of the layer. */
  layers: Array<{ indicator: string; layer: string; months: string[] }>
}
