import { z } from 'zod'

export const SAMVERKANSFORM_STATUSES = ['aktiv', 'vilande', 'avslutad'] as const
export type SamverkansformStatus = (typeof SAMVERKANSFORM_STATUSES)[number]

/** The city-wide ledningsgrupp: the agreement has it start, revise or end a samverkansform. */
export const CITY_GROUP = 'trygg_i_goteborg'

export const idParams = z.object({ id: z.string().min(1) })
export const adaptationParams = z.object({ id: z.string().min(1), stadsomradeCode: z.string().min(1) })

const text = (max: number, what: string) => z.string({ error: `${what} måste vara text` }).max(max, `högst ${max} tecken`)

export const samverkansformPatch = z.object({
  version: z.number({ error: 'versionen du läste krävs' }).int('versionen är ett heltal').positive('versionen är ett heltal'),
  description: text(4000, 'beskrivningen').trim().min(1, 'beskrivningen får inte vara tom').optional(),
  agreement: text(20000, 'avtalstexten').optional(),
  agreementRef: text(200, 'avtalsreferensen').trim().optional(),
  parties: z
    .array(text(200, 'parten').trim().min(1, 'en part får inte vara tom'), { error: 'parterna är en lista' })
    .min(1, 'minst en part')
    .max(20, 'högst 20 parter')
    .refine((p) => new Set(p).size === p.length, 'samma part två gånger')
    .optional(),
  status: z.enum(SAMVERKANSFORM_STATUSES, { error: 'status är aktiv, vilande eller avslutad' }).optional(),
  decisionId: z.number({ error: 'välj ett beslut' }).int('välj ett beslut').positive('välj ett beslut').nullable().optional(),
})
export type SamverkansformPatch = z.infer<typeof samverkansformPatch>

export const adaptationInput = z.object({ text: text(8000, 'anpassningen').trim() })

export interface SamverkansformSummaryDto {
  id: string
  name: string
  description: string
  agreement: string
  agreementRef: string
  parties: string[]
  status: SamverkansformStatus
  version: number
  updatedAt: string
}

export interface SamverkansformAdaptationDto {
  stadsomradeCode: string
  stadsomradeName: string
  /** '' when the stadsområde has no local adaptation yet. */
  text: string
  updatedAt: string | null
  /** Whether the caller may write this stadsområde's adaptation. */
  editable: boolean
}

export interface SamverkansformDecisionDto {
  id: number
  date: string
  group: string
  groupName: string
  text: string
}

export interface SamverkansformMeasureDto {
  id: number
  title: string
  status: 'planerad' | 'pagaende' | 'avslutad'
  areaIds: number[]
  /** How many follow-up rows (indicator and target) the measure has. */
  followUps: number
}

export interface SamverkansformDto extends SamverkansformSummaryDto {
  adaptations: SamverkansformAdaptationDto[]
  decisions: SamverkansformDecisionDto[]
  measures: SamverkansformMeasureDto[]
}
