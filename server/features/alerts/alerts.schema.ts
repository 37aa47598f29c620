import { z } from 'zod'

const id = z.string({ error: 'krävs' }).min(1, 'krävs').max(64)

export const alertsQuery = z.object({
  layer: id,
  area: z.coerce.number({ error: 'ange ett område-id' }).int().positive().optional(),
  /** open: not yet handled; all: handled ones too. */
  status: z.enum(['open', 'all'], { error: 'måste vara open eller all' }).default('all'),
})
export type AlertsQuery = z.infer<typeof alertsQuery>

export const alertPatch = z
  .object({
    /** Marks the alert as seen by the caller (the first one to see it is kept). */
    seen: z.literal(true, { error: 'seen kan bara sättas till true' }).optional(),
    /** true: handled now by the caller; false: opened again. */
    handled: z.boolean({ error: 'handled är sant eller falskt' }).optional(),
    note: z.string({ error: 'anteckningen är text' }).trim().max(2000, 'högst 2 000 tecken').optional(),
    version: z.number({ error: 'ange versionen du läste' }).int().positive(),
  })
  .strict()
export type AlertPatch = z.infer<typeof alertPatch>

export type AlertWindow = '1w' | '28d'

export interface AlertDto {
  id: number
  indicator: string
  indicatorName: string
  layer: string
  areaId: number
  areaCode: string
  areaName: string
  /** 1w: the week; 28d: the four weeks ending with it. */
  window: AlertWindow
  week: string
  /** The window's first and last day. */
  from: string
  to: string
  observed: number
  /** The count the same weeks of earlier years lead to expect, per inhabitant-week. */
  expected: number
  /** observed / expected. */
  ratio: number | null
  baselineYears: number
  /** One-sided exact Poisson test of a rise, and its Benjamini–Hochberg adjustment over the run's tests. */
  p: number
  pAdjusted: number
  status: 'open' | 'handled'
  raisedAt: string
  seenBy: string | null
  seenAt: string | null
  handledBy: string | null
  handledAt: string | null
  note: string
  version: number
}

export interface AlertsDto {
  layer: string
  /** How a rise is found, in words. */
  method: string
  /** The latest week each indicator was tested for on this layer (null: none held). */
  evaluated: Array<{ indicator: string; name: string; week: string | null; baselineYears: number; tested: number }>
  alerts: AlertDto[]
}
