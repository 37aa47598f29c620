import { z } from 'zod'
import { parsePeriod } from '../../core/period'
import { areaIdList } from '../../http/validate'

const id = z.string().min(1).max(64)

export const snapshotBody = z.object({
  title: z.string({ error: 'ge ögonblicksbilden en titel' }).trim().min(3, 'titeln behöver minst 3 tecken').max(200),
  description: z.string().trim().max(5000).default(''),
  /** The map as it was set when frozen (layer, indicator, period, classes, palette …): restored as it is. */
  settings: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((s) => JSON.stringify(s).length <= 64_000, 'inställningarna är för stora'),
  /** Which indicators and layers to freeze; by default every indicator, on the layers in DEFAULT_LAYERS. */
  indicators: z.array(id).min(1).max(100).optional(),
  layers: z.array(id).min(1).max(20).optional(),
})
export type SnapshotInput = z.infer<typeof snapshotBody>

export const snapshotParams = z.object({ id: z.coerce.number().int().positive() })
export const snapshotValuesQuery = z.object({
  indicator: id,
  layer: id,
  period: z.string().refine((p) => parsePeriod(p) !== null, 'must be a period such as 2024, 2024-H1, 2024-Q3 or 2024-05').optional(),
})
export const snapshotAreasQuery = z.object({ layer: id })
export const snapshotSeriesQuery = z.object({
  indicator: id,
  areas: areaIdList,
})

export interface SnapshotSummaryDto {
  id: number
  title: string
  description: string
  createdAt: string
  /** Analysts only. */
  createdBy?: string
  published: boolean
  publishedAt: string | null
  dataVersion: number
  indicators: string[]
  layers: string[]
}

export interface SnapshotDto extends SnapshotSummaryDto {
  settings: Record<string, unknown>
  /** The catalogue entry of each indicator, restricted to what the snapshot holds. */
  indicatorInfo: Array<Record<string, unknown> & { id: string; layers: Array<{ layer: string; periods: string[] }> }>
  layerInfo: Array<Record<string, unknown> & { id: string }>
  /** The adopted priorities and the measures as they stood when frozen. */
  priorities: Record<string, unknown>
}

const slideTitle = z.string({ error: 'ge bilden en rubrik' }).trim().min(1, 'ge bilden en rubrik').max(200)
const periodId = z.string().refine((p) => parsePeriod(p) !== null, 'must be a period such as 2024, 2024-H1, 2024-Q3 or 2024-05')

/** A slide of a presentation deck: a map view, the priorities, the measures and their follow-up, or text. */
export const slideSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('map'),
      title: slideTitle,
      indicator: id,
      layer: id,
      period: periodId,
      method: z.enum(['quantile', 'jenks', 'equal']).default('quantile'),
      classes: z.number().int().min(3).max(7).default(5),
      palette: z.string().regex(/^[A-Za-z]{2,12}$/).nullable().default(null),
      measure: z.enum(['value', 'rate']).default('value'),
      note: z.string().max(2000).default(''),
    }),
    z.object({ kind: z.literal('priorities'), title: slideTitle }),
    z.object({ kind: z.literal('measures'), title: slideTitle, problemAreaId: z.number().int().positive().nullable().default(null) }),
    z.object({ kind: z.literal('text'), title: slideTitle, body: z.string().max(5000).default('') }),
  ],
  { error: 'kind must be map, priorities, measures or text' },
)
export type Slide = z.infer<typeof slideSchema>

export const deckBody = z.object({
  /** The version read (0 for a snapshot without a deck): a stale one is refused. */
  version: z.number({ error: 'the version you read is required' }).int().min(0),
  slides: z.array(slideSchema).max(60, 'at most 60 slides'),
})

export interface DeckDto {
  snapshotId: number
  version: number
  slides: Slide[]
  updatedAt: string | null
  updatedBy?: string
}
