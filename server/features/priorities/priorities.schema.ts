import { z } from 'zod'
import { isoDateText, periodText } from '../../http/validate'

export const STEP_STATUSES = ['ej_paborjad', 'pagar', 'klar'] as const
/** The problem-analysis triangle (gärningsperson, offer/mål, plats) plus risk and protective factors. */
export const CAUSE_KINDS = ['garningsperson', 'offer_mal', 'plats', 'riskfaktor', 'skyddsfaktor'] as const
/** The layers a problem area or a step's round may belong to, besides the city as a whole. */
export const PERSPECTIVE_LAYERS = ['stadsomrade', 'lokalpolisomrade'] as const

const id = z.coerce.number().int().positive()
export const idParams = z.object({ id })
export const stepParams = z.object({ id, stepId: id })
export const causeParams = z.object({ id, causeId: id })
export const versionQuery = z.object({ version: z.coerce.number({ error: 'ange versionen du läste (version)' }).int().positive() })

const year = z.number({ error: 'ett årtal krävs' }).int('ett helt årtal').min(2000, 'årtalet ska vara 2000–2100').max(2100, 'årtalet ska vara 2000–2100')
const cycleName = z.string({ error: 'ett namn krävs' }).trim().min(3, 'namnet behöver minst 3 tecken').max(200, 'namnet får ha högst 200 tecken')

export const cycleInput = z
  .object({
    name: cycleName,
    startYear: year,
    endYear: year,
    /** The cycle whose steps (and, if asked, problem areas) the new one starts from; without it the five default steps. */
    copyFrom: z.number().int().positive().nullable().default(null),
    copyProblemAreas: z.boolean().default(false),
    makeCurrent: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if (c.endYear < c.startYear) ctx.addIssue({ code: 'custom', path: ['endYear'], message: 'slutåret kan inte ligga före startåret' })
    if (c.copyProblemAreas && c.copyFrom === null) ctx.addIssue({ code: 'custom', path: ['copyProblemAreas'], message: 'välj en cykel att kopiera problemområdena från' })
  })
export type CycleInput = z.infer<typeof cycleInput>

export const cyclePatch = z
  .object({
    name: cycleName.optional(),
    /** Only one cycle is current: making one current makes the others not. */
    current: z.literal(true, { error: 'en cykel görs aktuell med current: true (en annan cykel görs aktuell i stället)' }).optional(),
  })
  .strict()

const stepName = z.string({ error: 'ett namn krävs' }).trim().min(2, 'namnet behöver minst 2 tecken').max(200, 'namnet får ha högst 200 tecken')
const ordinal = z.number({ error: 'ange en plats i ordningen' }).int().min(1, 'platsen räknas från 1')
export const stepInput = z.object({ name: stepName, ordinal: ordinal.optional() }).strict()
export const stepPatch = z.object({ name: stepName.optional(), ordinal: ordinal.optional() }).strict()

export const stepStatusInput = z.object({
  stepId: z.number({ error: 'välj ett steg' }).int().positive(),
  /** null: the city-wide round. */
  areaId: z.number({ error: 'välj staden eller ett område' }).int().positive().nullable(),
  status: z.enum(STEP_STATUSES, { error: 'status ska vara ej påbörjad, pågår eller klar' }),
  // Absent: kept as it was (a status change alone leaves the details).
  date: isoDateText.nullable().optional(),
  responsible: z.string().trim().max(200, 'ansvarig får ha högst 200 tecken').optional(),
  note: z.string().trim().max(2000, 'anteckningen får ha högst 2 000 tecken').optional(),
})
export type StepStatusInput = z.infer<typeof stepStatusInput>

const target = z.object({
  indicatorId: z.string({ error: 'välj en indikator' }).min(1, 'välj en indikator'),
  target: z.number({ error: 'ett målvärde krävs' }).finite(),
  targetPeriod: periodText,
})

const problemAreaFields = {
  cycleId: z.number({ error: 'välj en cykel' }).int().positive(),
  parentId: z.number().int().positive().nullable(),
  areaId: z.number().int().positive().nullable(),
  title: z.string({ error: 'en titel krävs' }).trim().min(3, 'titeln behöver minst 3 tecken').max(200, 'titeln får ha högst 200 tecken'),
  analysis: z.string().max(10000, 'analysen får ha högst 10 000 tecken'),
  goals: z.string().max(5000, 'målsättningen får ha högst 5 000 tecken'),
  indicatorIds: z
    .array(z.string().min(1))
    .max(50)
    .transform((ids) => [...new Set(ids)].sort()),
  targets: z.array(target).max(20, 'högst 20 mål'),
}
const decisionId = z.number({ error: 'välj ett beslut' }).int().positive().nullable()

export const problemAreaInput = z.object({
  ...problemAreaFields,
  parentId: problemAreaFields.parentId.default(null),
  areaId: problemAreaFields.areaId.default(null),
  analysis: problemAreaFields.analysis.default(''),
  goals: problemAreaFields.goals.default(''),
  indicatorIds: problemAreaFields.indicatorIds.default([]),
  targets: problemAreaFields.targets.default([]),
  /** The decision that adopted it, if any (the decision register's id). */
  decisionId: decisionId.default(null),
})
export type ProblemAreaInput = z.infer<typeof problemAreaInput>
export type ProblemAreaContent = Omit<ProblemAreaInput, 'decisionId'>

/** A change: the version read and only the fields that change; `retired` retires (today) or restores. */
export const problemAreaPatch = z
  .object({ version: z.number({ error: 'versionen du läste krävs' }).int().positive(), retired: z.boolean().optional(), decisionId: decisionId.optional() })
  .extend(
    Object.fromEntries(Object.entries(problemAreaFields).map(([k, v]) => [k, (v as z.ZodType).optional()])) as {
      [K in keyof typeof problemAreaFields]: z.ZodOptional<(typeof problemAreaFields)[K]>
    },
  )

const evidence = z.object({
  indicatorId: z.string({ error: 'välj en indikator' }).min(1, 'välj en indikator'),
  /** null: the city as a whole. */
  areaId: z.number().int().positive().nullable(),
  period: periodText,
})
const causeFields = {
  kind: z.enum(CAUSE_KINDS, { error: 'ange slag: gärningsperson, offer/mål, plats, riskfaktor eller skyddsfaktor' }),
  title: z.string({ error: 'en rubrik krävs' }).trim().min(3, 'rubriken behöver minst 3 tecken').max(200, 'rubriken får ha högst 200 tecken'),
  description: z.string().max(5000, 'beskrivningen får ha högst 5 000 tecken'),
  sources: z.string().max(5000, 'källorna får ha högst 5 000 tecken'),
  evidence: z.array(evidence).max(20, 'högst 20 belägg'),
}
export const causeInput = z.object({
  ...causeFields,
  description: causeFields.description.default(''),
  sources: causeFields.sources.default(''),
  evidence: causeFields.evidence.default([]),
})
export type CauseInput = z.infer<typeof causeInput>
export const causePatch = z
  .object({ version: z.number({ error: 'versionen du läste krävs' }).int().positive() })
  .extend(Object.fromEntries(Object.entries(causeFields).map(([k, v]) => [k, (v as z.ZodType).optional()])) as { [K in keyof typeof causeFields]: z.ZodOptional<(typeof causeFields)[K]> })

export interface CycleDto {
  id: number
  name: string
  startYear: number
  endYear: number
  current: boolean
  steps: Array<{ id: number; ordinal: number; name: string }>
}

export interface ProblemAreaTargetDto {
  indicatorId: string
  target: number
  targetPeriod: string
}

export interface ProblemAreaDto {
  id: number
  cycleId: number
  parentId: number | null
  /** null: city-wide; otherwise the stadsområde or lokalpolisområde whose priority it is. */
  areaId: number | null
  title: string
  analysis: string
  /** The målsättning, in words; `targets` are its measurable part. */
  goals: string
  indicatorIds: string[]
  targets: ProblemAreaTargetDto[]
  measureCount: number
  version: number
  /** The day it was retired (greyed, not copied into a new cycle); null while it is a priority. */
  retiredAt: string | null
  updatedAt: string
}

/** One saved version of a problem area, with the decision that made it and what it changed. */
export interface ProblemAreaVersionDto {
  version: number
  savedAt: string
  savedBy: string
  decision: { id: number; date: string; text: string } | null
  /** E.g. "Kopierat från Lägesbildscykel 2024–2026". */
  note: string | null
  /** Against the version before; empty for the first saved one. */
  changes: Array<{ field: string; message: string }>
  current: boolean
}

export interface StepStatusDto {
  stepId: number
  /** null: the city-wide round. */
  areaId: number | null
  status: (typeof STEP_STATUSES)[number]
  date: string | null
  responsible: string
  note: string
  updatedAt: string
}

/** A figure named by evidence, derived when read: as the reader may see it (suppressed outside the analyst role). */
export interface EvidenceFigure {
  value: number | null
  unit: string
  suppressed: boolean
  numerator: number | null
  denominator: number | null
}

export interface EvidenceDto {
  indicatorId: string
  /** null: the city as a whole. */
  areaId: number | null
  period: string
  /** null where the indicator has no figure for that area and period. */
  figure: EvidenceFigure | null
}

export interface CauseDto {
  id: number
  problemAreaId: number
  version: number
  kind: (typeof CAUSE_KINDS)[number]
  title: string
  description: string
  sources: string
  evidence: EvidenceDto[]
  /** The measures that address this cause. */
  measureIds: number[]
  updatedAt: string
}

/** Who reads figures: analysts and admins the internal ones, everyone else disclosed. */
export type FigureViewer = 'internal' | 'outside'

/**
 * Where the evidence figures come from (the indicators feature, wired in app.ts: features do not import
 * each other). `areaId` null: the city as a whole; `layer` is the area's layer.
 */
export interface FigureSource {
  figure(viewer: FigureViewer, indicatorId: string, layer: string, areaId: number | null, period: string): Promise<EvidenceFigure | null>
}
