import { z } from 'zod'
import { pastDate } from './decisions.schema'

export const TRAFFIC_LIGHTS = ['gron', 'gul', 'rod'] as const
export type TrafficLightValue = (typeof TRAFFIC_LIGHTS)[number]

export const idParams = z.object({ id: z.coerce.number().int().positive() })
export const versionParams = z.object({ id: z.coerce.number().int().positive(), v: z.coerce.number().int().positive() })
export const rowParams = z.object({ id: z.coerce.number().int().positive(), rowId: z.coerce.number().int().positive() })

export const planFilters = z.object({
  problemAreaId: z.coerce.number().int().positive().optional(),
  cycleId: z.coerce.number().int().positive().optional(),
})

export const planInput = z.object({
  problemAreaId: z.number({ error: 'välj ett problemområde' }).int().positive(),
  title: z.string({ error: 'en titel krävs' }).trim().min(3, 'titeln behöver minst 3 tecken').max(200, 'titeln får ha högst 200 tecken'),
})
export type PlanInput = z.infer<typeof planInput>

const text = (required: string, max: number) => z.string({ error: required }).trim().min(1, required).max(max, `högst ${max} tecken`)

/** One of Brå's rows: orsak → åtgärd → operativt mål → när → vem → uppföljning. */
const planRow = z.object({
  /** A cause of the plan's problem area (orsaksanalysen); its title is copied when `cause` is not given. */
  causeId: z.number({ error: 'orsaken anges med sitt id' }).int().positive().nullable().optional(),
  cause: z.string({ error: 'orsaken är text' }).trim().max(2000, 'högst 2000 tecken').optional(),
  measureId: z.number({ error: 'åtgärden anges med sitt id' }).int().positive().nullable().optional(),
  action: text('ange åtgärden', 2000),
  goal: text('ange det operativa målet', 2000),
  timing: text('ange när', 200),
  responsible: text('ange vem som ansvarar', 300),
  /** How the row is followed up (the plan's text); the traffic lights are recorded separately. */
  followup: z.string({ error: 'uppföljningen är text' }).trim().max(2000, 'högst 2000 tecken').default(''),
})

export const draftInput = z.object({
  revision: z.number({ error: 'revisionen du läste krävs' }).int().positive(),
  rows: z.array(planRow, { error: 'raderna krävs (en lista)' }).max(100, 'högst 100 rader'),
})
export type DraftInput = z.infer<typeof draftInput>

export const adoptInput = z.object({
  decisionId: z.number({ error: 'välj beslutet som antar versionen' }).int().positive(),
  /** The draft's revision as read: adopting something else than what was read is refused (409). */
  revision: z.number().int().positive().optional(),
})

export const followUpInput = (today: () => string) =>
  z.object({
    status: z.enum(TRAFFIC_LIGHTS, { error: 'ange läget: grön, gul eller röd' }),
    date: pastDate(today, 'datumet ligger i framtiden: följ upp det som har hänt'),
    comment: z.string({ error: 'kommentaren är text' }).trim().max(2000, 'högst 2000 tecken').default(''),
  })

export interface PlanFollowUpDto {
  id: number
  status: TrafficLightValue
  date: string
  comment: string
  createdBy: string
  createdAt: string
}

export interface PlanRowDto {
  id: number
  ordinal: number
  causeId: number | null
  /** The cause's text as the version holds it (copied in, so an adopted version reads as adopted). */
  cause: string
  measureId: number | null
  action: string
  goal: string
  timing: string
  responsible: string
  followup: string
  /** Oldest first. */
  followUps: PlanFollowUpDto[]
  /** The latest follow-up's light (by date), null before the first. */
  latest: TrafficLightValue | null
}

export interface PlanDecisionDto {
  id: number
  date: string
  group: string
  groupName: string
  text: string
}

export interface PlanVersionDto {
  version: number
  /** Raised by every save of the draft; a save must carry the revision it read. */
  revision: number
  status: 'utkast' | 'antagen'
  /** The newest adopted version: the plan in force. */
  current: boolean
  decision: PlanDecisionDto | null
  adoptedAt: string | null
  createdAt: string
  updatedAt: string
  rows: PlanRowDto[]
}

export interface PlanDto {
  id: number
  problemAreaId: number
  problemAreaTitle: string
  cycleId: number
  /** The problem area's area (null: city-wide) and its name. */
  areaId: number | null
  areaName: string | null
  title: string
  /** The decision groups whose decision may adopt a version of this plan. */
  adoptionGroups: string[]
  createdAt: string
  /** Oldest first. */
  versions: PlanVersionDto[]
}
