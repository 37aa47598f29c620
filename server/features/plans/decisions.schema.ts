import { z } from 'zod'
import { isIsoDate } from '../../core/period'
import { isoDateText } from '../../http/validate'

/** The city-wide ledningsgrupp; a local one is `lokal:<stadsområde code>`. Ids stay text: groups become data later. */
export const CITY_GROUP = 'trygg_i_goteborg'
export const LOCAL_PREFIX = 'lokal:'

export const AFFECT_KINDS = ['problem_area', 'plan', 'measure', 'samverkansform', 'cycle'] as const
export type AffectKind = (typeof AFFECT_KINDS)[number]

/** A decision's date: a real date, on or before today (a register of decisions made, not planned). */
export const pastDate = (today: () => string, message: string) => isoDateText.refine((d) => !isIsoDate(d) || d <= today(), message)

export const decisionInput = (today: () => string) =>
  z.object({
    date: pastDate(today, 'datumet ligger i framtiden: registrera beslutet när det är fattat'),
    group: z.string({ error: 'välj en grupp' }).trim().min(1, 'välj en grupp').max(100),
    meetingId: z.union([z.number(), z.string()]).nullable().optional(),
    text: z.string({ error: 'beslutets text krävs' }).trim().min(3, 'beslutstexten behöver minst 3 tecken').max(5000, 'beslutstexten får ha högst 5 000 tecken'),
    affects: z
      .array(
        z.object({
          kind: z.enum(AFFECT_KINDS, { error: 'ange vad beslutet gäller: problemområde, plan, åtgärd, samverkansform eller cykel' }),
          id: z.union([z.number().int().positive(), z.string().trim().min(1).max(100)], { error: 'ange vilket (id)' }),
        }),
      )
      .max(50, 'högst 50 saker per beslut')
      .default([]),
  })
export type DecisionInput = z.infer<ReturnType<typeof decisionInput>>

export const decisionFilters = z.object({
  group: z.string().max(100).optional(),
  kind: z.enum(AFFECT_KINDS).optional(),
  ref: z.string().max(100).optional(),
})
export type DecisionFilters = z.infer<typeof decisionFilters>

export interface DecisionGroupDto {
  id: string
  name: string
}

export interface DecisionAffectDto {
  kind: AffectKind
  /** A number for everything but a samverkansform. */
  id: number | string
  /** The thing's name now; says "(borttagen)" when it no longer exists. */
  label: string
}

export interface DecisionDto {
  id: number
  date: string
  group: string
  groupName: string
  meetingId: number | null
  text: string
  affects: DecisionAffectDto[]
  createdBy: string
  createdAt: string
}
