import { z } from 'zod'
import { areaIdList, calendarPeriodKindText, isoDateText, periodKindText, periodText } from '../../http/validate'

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
  period: periodText.optional(),
})
export const snapshotAreasQuery = z.object({ layer: id })
export const snapshotSeriesQuery = z.object({
  indicator: id,
  areas: areaIdList,
  periodKind: periodKindText.optional(),
})

/** A figure as frozen in a snapshot (the public's value of the time). */
const frozenCell = {
  value: z.number().nullable(),
  suppressed: z.boolean(),
  numerator: z.number().nullable().optional(),
  denominator: z.number().nullable().optional(),
}
export type FrozenCell = z.infer<z.ZodObject<typeof frozenCell>>

/**
 * A frozen map, `snapshot_values.payload`: the public's values answer for one indicator, layer and period.
 * Parsed when read back (a JSON column is only as trustworthy as whatever last wrote it); loose objects,
 * since the payload holds the whole values answer and is served as it was frozen.
 */
export const frozenMapSchema = z.looseObject({
  unit: z.enum(['count', 'rate_per_1000', 'percent', 'index']),
  demo: z.boolean(),
  source: z.string(),
  suppression: z.unknown(),
  city: z.looseObject({ ...frozenCell, period: z.string() }).nullable(),
  values: z.array(z.looseObject({ ...frozenCell, areaId: z.number().int(), code: z.string(), name: z.string() })),
})
export type FrozenMap = z.infer<typeof frozenMapSchema>

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

/** A slide of a presentation deck: a map view, the priorities, the measures and their follow-up, or text. */
export const slideSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('map'),
      title: slideTitle,
      indicator: id,
      layer: id,
      period: periodText,
      method: z.enum(['quantile', 'jenks', 'equal']).default('quantile'),
      classes: z.number().int().min(3).max(7).default(5),
      palette: z.string().regex(/^[A-Za-z]{2,12}$/).nullable().default(null),
      measure: z.enum(['value', 'rate']).default('value'),
      /** Rates per 1 000 inhabitants, or per 100 000 (Brå's unit), as the map was set. */
      per: z.union([z.literal(1000), z.literal(100000)], { error: 'ange 1000 eller 100000' }).default(1000),
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
  version: z.number({ error: 'ange versionen du läste (version)' }).int().min(0),
  slides: z.array(slideSchema).max(60, 'at most 60 slides'),
})

export interface DeckDto {
  snapshotId: number
  version: number
  slides: Slide[]
  updatedAt: string | null
  updatedBy?: string
}

/** A local management group's meeting: the area, the meeting date and the previous meeting's. */
export const meetingQuery = z
  .object({
    layer: id,
    area: z.coerce.number({ error: 'ange området (id)' }).int().positive(),
    date: isoDateText,
    /** The previous meeting; by default three months before. */
    previous: isoDateText.optional(),
    /** Which periods the figures are read for: whole years by default, the steadiest figures. */
    periodKind: calendarPeriodKindText.default('year'),
  })
  .refine((q) => !q.previous || q.previous < q.date, { path: ['previous'], message: 'föregående möte måste ligga före mötet' })
export type MeetingQuery = z.infer<typeof meetingQuery>

/** Tested against the rest of the city, or against the figure at the previous meeting. */
export interface Comparison {
  /** higher/lower (than the rest of the city) or increase/decrease: significant after Benjamini–Hochberg. */
  verdict: 'higher' | 'lower' | 'similar' | 'increase' | 'decrease' | 'no_change' | 'same_period' | 'hidden' | 'not_testable'
  /** Why there is no test, in Swedish. */
  reason: string | null
  p: number | null
  pAdjusted: number | null
  /** Rate ratio (counts and rates; null when the reference is 0). */
  ratio: number | null
  /** Difference per 1 000 inhabitants (counts and rates) or in percentage points (shares). */
  difference: number | null
}

export interface MeetingFigure {
  period: string
  value: number | null
  suppressed: boolean
}

export interface MeetingIndicator {
  indicator: string
  name: string
  unit: 'count' | 'rate_per_1000' | 'percent' | 'index'
  category: string
  /** neutral: an aktivitet, where more is neither better nor worse (no tone). */
  polarity: 'higher_is_worse' | 'higher_is_better' | 'neutral'
  source: string
  demo: boolean
  /** The latest period of the chosen kind that had ended by the meeting; null when there is none. */
  current: (MeetingFigure & { rate: number | null; city: MeetingFigure & { rate: number | null } }) | null
  /** The figure that was the latest at the previous meeting. */
  previous: (MeetingFigure & { rate: number | null }) | null
  versusCity: Comparison
  change: Comparison
}

export interface MeetingHotspots {
  indicator: string
  name: string
  layer: string
  period: string
  /** Areas in the analysis: published values only; hidden ones are left out rather than guessed. */
  n: number
  leftOut: number
  /** Every area of the layer in the city, with its class. */
  values: Array<{ areaId: number; class: 'hot99' | 'hot95' | 'hot90' | 'cold99' | 'cold95' | 'cold90' | 'ns' | 'no_neighbours' | 'missing'; suppressed: boolean }>
  /** The areas of the layer that lie in the meeting's area. */
  inside: number[]
}

export interface MeetingDto {
  snapshotId: number
  snapshotTitle: string
  publishedAt: string | null
  layer: string
  area: { id: number; code: string; name: string }
  date: string
  previousDate: string
  periodKind: 'year' | 'half' | 'quarter' | 'month'
  alpha: number
  method: string
  indicators: MeetingIndicator[]
  /** Set when counts were tested per inhabitant: which year's population, and whether estimated. */
  populationNote: string | null
  hotspots: MeetingHotspots[]
  hotspotMethod: string
  /** The frozen measures whose areas lie mostly in the meeting's area (or cover it). */
  measureIds: number[]
}
