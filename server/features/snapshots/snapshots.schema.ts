import { z } from 'zod'
import { areaIdList, calendarPeriodKindText, isoDateText, periodText } from '../../http/validate'

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
  /** Downloads: csv for Swedish Excel; geojson joined to the frozen areas' geometry. */
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
})
export const snapshotAreasQuery = z.object({ layer: id })
export const snapshotSeriesQuery = z.object({
  indicator: id,
  areas: areaIdList,
  // A published lägesbild holds no weeks.
  periodKind: calendarPeriodKindText.optional(),
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

/** The layer value that asks for the city-wide ledningsgrupp's pack. */
export const CITY_LAYER = 'stad'

/**
 * A meeting pack: a local group's (layer and area), the city-wide group's (`layer=stad`, no area), or a
 * registered meeting's (`meetingId`: its group, date and the group's meeting before it decide the rest).
 */
export const meetingQuery = z
  .object({
    layer: id.optional(),
    area: z.coerce.number({ error: 'ange området (id)' }).int().positive().optional(),
    date: isoDateText.optional(),
    /** The previous meeting; by default three months before. */
    previous: isoDateText.optional(),
    meetingId: z.coerce.number({ error: 'ange mötet (id)' }).int().positive().optional(),
    /** Which periods the figures are read for: whole years by default, the steadiest figures. */
    periodKind: calendarPeriodKindText.default('year'),
  })
  .superRefine((q, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (q.meetingId !== undefined) {
      for (const f of ['layer', 'area', 'date', 'previous'] as const) if (q[f] !== undefined) issue(f, 'anges inte med meetingId: mötet bestämmer det')
      return
    }
    if (q.layer === undefined) issue('layer', `ange indelningen (${CITY_LAYER} för hela staden) eller meetingId`)
    if (q.date === undefined) issue('date', 'ett datum krävs')
    if (q.layer === CITY_LAYER && q.area !== undefined) issue('area', 'hela stadens underlag har inget område')
    if (q.layer !== undefined && q.layer !== CITY_LAYER && q.area === undefined) issue('area', 'ange området (id)')
    if (q.previous && q.date && q.previous >= q.date) issue('previous', 'föregående möte måste ligga före mötet')
  })
export type MeetingQuery = z.infer<typeof meetingQuery>
/** A local pack's query once resolved (from the parameters or from a registered meeting). */
export interface AreaMeetingQuery {
  layer: string
  area: number
  date: string
  previous?: string
  periodKind: MeetingQuery['periodKind']
}
export type CityMeetingQuery = Omit<AreaMeetingQuery, 'layer' | 'area'>

/** The registered meeting a pack was made for, and the group's meeting before it ("förra mötet"). */
export interface RegisteredMeetingRef {
  id: number
  groupId: string
  groupName: string
  date: string
  /** null: the group's first meeting in the register; the pack then looks three months back. */
  previous: { id: number; date: string } | null
}

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
  kind: 'area'
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
  meeting: RegisteredMeetingRef | null
}

/** A key figure of the whole city: its value now and at the previous meeting, and the tested change. */
export interface CityIndicator {
  indicator: string
  name: string
  unit: MeetingIndicator['unit']
  category: string
  polarity: MeetingIndicator['polarity']
  source: string
  demo: boolean
  current: (MeetingFigure & { rate: number | null }) | null
  previous: (MeetingFigure & { rate: number | null }) | null
  change: Comparison
}

/** Every area of a layer, each indicator's change since the previous meeting side by side. */
export interface CityLayerChanges {
  layer: string
  name: string
  areas: Array<{ id: number; code: string; name: string }>
  indicators: Array<{
    indicator: string
    name: string
    unit: MeetingIndicator['unit']
    polarity: MeetingIndicator['polarity']
    currentPeriod: string | null
    previousPeriod: string | null
    /** One per area, in the order of `areas`. */
    changes: Array<Comparison & { areaId: number }>
  }>
}

/** A frozen target of a problem area against the frozen figure of its area (or the city). */
export interface CityTargetFollowUp {
  indicatorId: string
  indicatorName: string
  unit: MeetingIndicator['unit'] | null
  target: number
  targetPeriod: string
  /** The latest frozen figure of the target's kind of period that had ended by the meeting. */
  latest: MeetingFigure | null
  /** Whether the latest figure meets the target in the indicator's direction; null when it cannot be said. */
  meets: boolean | null
  reason: string | null
}

export interface CityProblemArea {
  id: number
  parentId: number | null
  title: string
  goals: string
  /** null: a city-wide problem area. */
  area: { id: number; name: string; layer: string } | null
  targets: CityTargetFollowUp[]
  /** The frozen measures of the problem area: by status, and their follow-up indicators' frozen status. */
  measures: { total: number; planerad: number; pagaende: number; avslutad: number }
  followUp: { gron: number; gul: number; rod: number; none: number }
}

export interface CitySamverkansform {
  id: string
  name: string
  /** The register's status now (started, paused or ended by the city-wide group). */
  status: 'aktiv' | 'vilande' | 'avslutad'
  /** The frozen measures that run in it. */
  measures: Array<{ id: number; title: string; status: 'planerad' | 'pagaende' | 'avslutad'; problemAreaId: number }>
}

/** The city-wide ledningsgrupp's pack (Ledningsgrupp Trygg i Göteborg). */
export interface CityMeetingDto {
  kind: 'city'
  snapshotId: number
  snapshotTitle: string
  publishedAt: string | null
  layer: typeof CITY_LAYER
  date: string
  previousDate: string
  periodKind: MeetingDto['periodKind']
  alpha: number
  method: string
  indicators: CityIndicator[]
  populationNote: string | null
  layers: CityLayerChanges[]
  problemAreas: CityProblemArea[]
  samverkansformer: CitySamverkansform[]
  meeting: RegisteredMeetingRef | null
}

export type MeetingPackDto = MeetingDto | CityMeetingDto
