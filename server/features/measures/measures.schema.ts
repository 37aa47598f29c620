import { z } from 'zod'
import type { Direction, FollowUpStatus, Unit } from '../../core/evaluation'
import { isIsoDate, parsePeriod } from '../../core/period'
import { isoDateText as date } from '../../http/validate'

const period = z.string({ error: 'en period krävs' }).refine((p) => parsePeriod(p) !== null, 'måste vara en period som 2024, 2024-H1, 2024-Q3, 2024-05 eller 2024-W10')

export const PURPOSES = ['brottsforebyggande', 'trygghetsskapande', 'bada'] as const
export const PREVENTIONS = ['social_universell', 'social_selektiv', 'social_indikerad', 'situationell'] as const
export const LEVELS = ['strategisk', 'operativ'] as const
export const STATUSES = ['planerad', 'pagaende', 'avslutad'] as const
export const SAMVERKANSFORMER = ['SSPF', 'SIG', 'GVI', 'organiserad_brottslighet', 'otillaten_paverkan'] as const

const followUp = z.object({
  indicatorId: z.string({ error: 'välj en indikator' }).min(1, 'välj en indikator'),
  baselinePeriod: period,
  // The baseline is computed from the data for baselinePeriod (GET /api/measures/:id/evaluation), never typed.
  baselineValue: z.never({ error: 'utgångsvärdet anges inte: det beräknas ur data för utgångsperioden' }).optional(),
  target: z.number({ error: 'ett målvärde krävs' }).finite(),
  targetPeriod: period,
})

const fields = {
  title: z.string({ error: 'en titel krävs' }).trim().min(3, 'titeln behöver minst 3 tecken').max(200),
  description: z.string().max(5000),
  problemAreaId: z.number({ error: 'välj ett prioriterat problemområde' }).int().positive(),
  purpose: z.enum(PURPOSES, { error: 'ange syfte: brottsförebyggande, trygghetsskapande eller båda' }),
  prevention: z.enum(PREVENTIONS, { error: 'ange preventionstyp: social (universell, selektiv, indikerad) eller situationell' }),
  level: z.enum(LEVELS, { error: 'ange nivå: strategisk eller operativ' }),
  owners: z.array(z.string().trim().min(1, 'ett ägarnamn får inte vara tomt').max(100)).min(1, 'ange minst en ägare (staden, polisen eller annan part)').max(10),
  samverkansform: z.enum(SAMVERKANSFORMER, { error: 'okänd samverkansform' }).nullable(),
  areaIds: z
    .array(z.number().int().positive())
    .min(1, 'välj minst ett område där åtgärden genomförs')
    .max(500)
    .transform((ids) => [...new Set(ids)].sort((a, b) => a - b)),
  status: z.enum(STATUSES, { error: 'ange status: planerad, pågående eller avslutad' }),
  startDate: date,
  endDate: date.nullable(),
  followUp: z.array(followUp).max(20),
  /** The causes (orsaksanalys) of the measure's problem area that the measure addresses. */
  causeIds: z
    .array(z.number({ error: 'ange orsaken med dess id' }).int().positive())
    .max(50)
    .transform((ids) => [...new Set(ids)].sort((a, b) => a - b)),
  /** A place-based measure's comparison area: an area like the treated one, where the measure does not run. */
  comparisonAreaId: z.number({ error: 'välj ett jämförelseområde' }).int().positive().nullable(),
  /** Metres around the measure's areas in which displacement is looked for. */
  displacementBufferM: z
    .number({ error: 'ange bufferten i meter' })
    .int('bufferten anges i hela meter')
    .min(50, 'bufferten ska vara minst 50 meter')
    .max(5000, 'bufferten får vara högst 5 000 meter')
    .nullable(),
}

/**
 * Rules that span fields: the dates in order, a closed measure has an end, targets after baselines, the
 * comparison area not one of the measure's own, a displacement buffer only with a comparison area.
 * Run on the raw input as well as on parsed input, so one answer names every problem at once.
 */
export function crossCheck(raw: unknown): Array<{ field: string; message: string }> {
  const m = (raw ?? {}) as Record<string, unknown>
  const out: Array<{ field: string; message: string }> = []
  const start = typeof m.startDate === 'string' && isIsoDate(m.startDate) ? m.startDate : null
  const end = typeof m.endDate === 'string' && isIsoDate(m.endDate) ? m.endDate : null
  if (start && end && end < start) out.push({ field: 'endDate', message: 'slutdatum ligger före startdatum' })
  if (m.status === 'avslutad' && (m.endDate === null || m.endDate === undefined)) out.push({ field: 'endDate', message: 'en avslutad åtgärd behöver ett slutdatum' })
  if (typeof m.comparisonAreaId === 'number' && Array.isArray(m.areaIds) && m.areaIds.includes(m.comparisonAreaId)) {
    out.push({ field: 'comparisonAreaId', message: 'jämförelseområdet kan inte vara ett av åtgärdens egna områden' })
  }
  if (typeof m.displacementBufferM === 'number' && (m.comparisonAreaId === null || m.comparisonAreaId === undefined)) {
    out.push({ field: 'displacementBufferM', message: 'förskjutning mäts mot ett jämförelseområde: välj ett' })
  }
  if (Array.isArray(m.followUp)) {
    m.followUp.forEach((f: unknown, i) => {
      const r = (f ?? {}) as Record<string, unknown>
      const b = typeof r.baselinePeriod === 'string' ? parsePeriod(r.baselinePeriod) : null
      const t = typeof r.targetPeriod === 'string' ? parsePeriod(r.targetPeriod) : null
      if (b && t && t.start <= b.start) out.push({ field: `followUp.${i}.targetPeriod`, message: 'målperioden måste komma efter utgångsperioden' })
    })
  }
  return out
}

/** A new measure: everything required but the optional parts, which get their empty values. */
export const measureInput = z.object({
  ...fields,
  description: fields.description.default(''),
  samverkansform: fields.samverkansform.default(null),
  endDate: fields.endDate.default(null),
  followUp: fields.followUp.default([]),
  causeIds: fields.causeIds.default([]),
  comparisonAreaId: fields.comparisonAreaId.default(null),
  displacementBufferM: fields.displacementBufferM.default(null),
})
export type MeasureInput = z.infer<typeof measureInput>

/** A change: the version that was read, and only the fields that change (no defaults: absent means unchanged). */
export const measurePatch = z
  .object({ version: z.number({ error: 'versionen du läste krävs' }).int().positive() })
  .extend(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v as z.ZodType).optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> })

export const measureFilters = z.object({
  problemAreaId: z.coerce.number().int().positive().optional(),
  purpose: z.enum(PURPOSES).optional(),
  prevention: z.enum(PREVENTIONS).optional(),
  level: z.enum(LEVELS).optional(),
  owner: z.string().max(100).optional(),
  samverkansform: z.enum(SAMVERKANSFORMER).optional(),
  status: z.enum(STATUSES).optional(),
  areaId: z.coerce.number().int().positive().optional(),
})

/**
 * A follow-up indicator of a measure. Outside the analyst role the target is null, with `targetWithheld`
 * saying why in Swedish, when it would give away a count below the threshold (server/disclosure/follow-up.ts).
 * A save may send a withheld target back as null: the stored one is kept.
 */
export interface FollowUpDto {
  indicatorId: string
  baselinePeriod: string
  target: number | null
  targetPeriod: string
  targetWithheld?: string
}

export interface MeasureDto {
  id: number
  version: number
  title: string
  description: string
  problemAreaId: number
  purpose: (typeof PURPOSES)[number]
  prevention: (typeof PREVENTIONS)[number]
  level: (typeof LEVELS)[number]
  owners: string[]
  samverkansform: (typeof SAMVERKANSFORMER)[number] | null
  areaIds: number[]
  status: (typeof STATUSES)[number]
  startDate: string
  endDate: string | null
  /** The baseline's value is computed from the data for baselinePeriod (GET /api/measures/:id/evaluation). */
  followUp: FollowUpDto[]
  causeIds: number[]
  comparisonAreaId: number | null
  displacementBufferM: number | null
  updatedAt: string
}

/** GET /api/measures/:id/evaluation (server/features/measures/measures.evaluation.ts). */
export interface EvaluatedFigure {
  period: string
  value: number | null
  suppressed: boolean
}

export interface EvaluationRow {
  indicatorId: string
  indicatorName: string
  unit: Unit
  areaId: number
  areaName: string
  layer: string
  baseline: EvaluatedFigure
  latest: EvaluatedFigure | null
  /** Null outside the analyst role when it would give a count below the threshold away (`targetWithheld` says why). */
  target: number | null
  targetWithheld?: string
  targetPeriod: string
  /** Null when the target is withheld: up or down from a hidden baseline is a figure too. */
  direction: Direction | null
  test: 'poisson' | 'proportion' | null
  /** Rate ratio latest/baseline (poisson) or difference in percentage points (proportion). */
  estimate: number | null
  p: number | null
  status: FollowUpStatus | null
  /** Why there is no status or no test (Swedish); null when both are there. */
  reason: string | null
}

export interface DisplacementIndicator {
  indicatorId: string
  indicatorName: string
  before: string
  after: string | null
  /** A treated areas, B buffer zone, C comparison area; 0 before, 1 after. */
  counts: { a0: number; a1: number; b0: number; b1: number; c0: number; c1: number } | null
  successMeasure: number | null
  wdq: number | null
  totalNetEffect: number | null
  wdd: number | null
  variance: number | null
  z: number | null
  p: number | null
  interpretation: string | null
  reason: string | null
}

export interface DisplacementDto {
  comparisonArea: { id: number; name: string; layer: string }
  bufferM: number
  /** The layer of the treated areas and the buffer zone. */
  layer: string
  treatedAreas: Array<{ id: number; name: string }>
  bufferAreas: Array<{ id: number; name: string }>
  /** The comparison area is the control for both the treated areas and the buffer zone. */
  sharedControl: true
  /** E.g. the comparison area lies within the buffer (Swedish). */
  warnings: string[]
  indicators: DisplacementIndicator[]
}

export interface EvaluationDto {
  measureId: number
  indicators: EvaluationRow[]
  displacement: DisplacementDto | null
}
