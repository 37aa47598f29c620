import { z } from 'zod'
import { isoDateText } from '../../http/validate'

export const ORGANISATIONS = ['staden', 'polisen'] as const
export type OrganisationId = (typeof ORGANISATIONS)[number]
export const GROUP_KINDS = ['ledningsgrupp', 'lokal_ledningsgrupp', 'natverk', 'forum', 'arbetsgrupp'] as const
export type GroupKindId = (typeof GROUP_KINDS)[number]
export const MEETING_STATUSES = ['planerad', 'genomford'] as const
export type MeetingStatusId = (typeof MEETING_STATUSES)[number]

const organisation = z.enum(ORGANISATIONS, { error: 'välj staden eller polisen' })
const text = (max: number, required?: string) =>
  required ? z.string({ error: required }).trim().min(1, required).max(max, `högst ${max} tecken`) : z.string().trim().max(max, `högst ${max} tecken`)

const member = z.object({ function: text(200, 'ange funktionen'), organisation })
const mandate = z.object({
  purpose: text(2000, 'ange syftet'),
  goals: text(2000, 'ange målen'),
  deliverables: text(2000, 'ange vad gruppen ska leverera'),
  timeLimit: isoDateText,
  givenBy: text(100, 'ange vilken grupp som gav uppdraget'),
})

export const groupInput = z.object({
  name: text(200, 'ange gruppens namn'),
  members: z.array(member).max(50, 'högst 50 medlemmar').default([]),
  mandate: mandate,
})
export type GroupInput = z.infer<typeof groupInput>

export const groupPatch = z.object({
  version: z.number({ error: 'ange versionen du läste (version)' }).int().positive(),
  name: text(200, 'ange gruppens namn').optional(),
  members: z.array(member).max(50, 'högst 50 medlemmar').optional(),
  mandate: mandate.nullable().optional(),
})
export type GroupPatch = z.infer<typeof groupPatch>

const meetingFields = {
  date: isoDateText,
  fullDay: z.boolean({ error: 'ange om mötet är en heldag' }),
  chairOrganisation: organisation,
  notesOrganisation: organisation.nullable(),
  agenda: text(10000),
  minutes: text(50000),
  status: z.enum(MEETING_STATUSES, { error: 'status är planerad eller genomford' }),
}
export const meetingInput = z.object({
  groupId: text(100, 'välj en grupp'),
  ...meetingFields,
  notesOrganisation: meetingFields.notesOrganisation.default(null),
  agenda: meetingFields.agenda.default(''),
  minutes: meetingFields.minutes.default(''),
  status: meetingFields.status.default('planerad'),
})
export type MeetingInput = z.infer<typeof meetingInput>

export const meetingPatch = z.object({
  version: z.number({ error: 'ange versionen du läste (version)' }).int().positive(),
  date: meetingFields.date.optional(),
  fullDay: meetingFields.fullDay.optional(),
  chairOrganisation: meetingFields.chairOrganisation.optional(),
  notesOrganisation: meetingFields.notesOrganisation.optional(),
  agenda: meetingFields.agenda.optional(),
  minutes: meetingFields.minutes.optional(),
  status: meetingFields.status.optional(),
  /** The published lägesbild the meeting's pack is read from; null detaches it. */
  snapshotId: z.number({ error: 'ange lägesbilden som ett id' }).int().positive().nullable().optional(),
})
export type MeetingPatch = z.infer<typeof meetingPatch>

export const actionInput = z.object({ text: text(2000, 'beskriv uppgiften'), responsible: text(200, 'ange vem som ansvarar') })
export const actionPatch = z.object({
  done: z.boolean({ error: 'ange om uppgiften är klar (done)' }),
  doneMeetingId: z.number({ error: 'ange mötet som ett id' }).int().positive().nullable().optional(),
})
export type ActionPatch = z.infer<typeof actionPatch>

export const meetingFilters = z.object({
  group: z.string().max(100).optional(),
  year: z.coerce.number({ error: 'ange ett år' }).int().min(2000, 'ange ett år').max(2100, 'ange ett år').optional(),
})
export const rulesQuery = z.object({ year: z.coerce.number({ error: 'ange ett år' }).int().min(2000, 'ange ett år').max(2100, 'ange ett år') })

export interface GroupMandateDto {
  purpose: string
  goals: string
  deliverables: string
  timeLimit: string
  givenBy: string
}

export interface GroupDto {
  id: string
  name: string
  kind: GroupKindId
  stadsomradeCode: string | null
  members: Array<{ function: string; organisation: OrganisationId }>
  mandate: GroupMandateDto | null
  version: number
}

export interface MeetingActionDto {
  id: number
  meetingId: number
  meetingDate: string
  text: string
  responsible: string
  doneAt: string | null
  doneMeetingId: number | null
}

export interface MeetingDto {
  id: number
  groupId: string
  groupName: string
  date: string
  fullDay: boolean
  chairOrganisation: OrganisationId
  notesOrganisation: OrganisationId | null
  agenda: string
  minutes: string
  status: MeetingStatusId
  /** The published lägesbild attached as the meeting's pack (GET /api/snapshots/:id/meeting?meetingId=). */
  snapshotId: number | null
  version: number
  actions: MeetingActionDto[]
  /** Open action items of the group's earlier meetings (and those closed at this one): they carry over until done. */
  carriedOver: MeetingActionDto[]
  /** The register's decisions taken at this meeting. */
  decisions: Array<{ id: number; date: string; text: string }>
}

export const RULE_IDS = ['minst_fyra_moten', 'heldagsmote', 'ordforande_vaxlar', 'anteckningar_motpart', 'natverk_tva_moten', 'forum_lagesbildsar'] as const
export type RuleId = (typeof RULE_IDS)[number]

export interface RuleResultDto {
  groupId: string
  groupName: string
  rule: RuleId
  /** The rule in Swedish, as the agreement says it. */
  text: string
  ok: boolean
  /** What is missing: a number of meetings or a short text; null when ok. */
  missing: number | string | null
}

export const arshjulQuery = rulesQuery

/** A meeting as the årshjul shows it: the group, the day, full day or not, planned or held. */
export interface ArshjulMeetingDto {
  id: number
  groupId: string
  groupName: string
  groupKind: GroupKindId
  date: string
  fullDay: boolean
  status: MeetingStatusId
}

/** A lägesbild cycle's step with a date in the year, for the city (areaId null) or one perspective. */
export interface ArshjulStepDto {
  cycleId: number
  cycleName: string
  stepId: number
  ordinal: number
  stepName: string
  areaId: number | null
  /** 'Staden' or the stadsområde's or lokalpolisområde's name. */
  perspective: string
  status: 'ej_paborjad' | 'pagar' | 'klar'
  date: string
}

/** One year of the cooperation: every group's meetings, the lägesbild cycle's dated steps, the forum and the rules not met. */
export interface ArshjulDto {
  year: number
  groups: Array<{ id: string; name: string; kind: GroupKindId }>
  meetings: ArshjulMeetingDto[]
  /** The cycles that run during the year (start year ≤ year ≤ end year). */
  cycles: Array<{ id: number; name: string; startYear: number; endYear: number; current: boolean }>
  steps: ArshjulStepDto[]
  forum: {
    /** The year is a lägesbild year: the forum is held then. */
    lagesbildsar: boolean
    meetings: ArshjulMeetingDto[]
  }
  /** The agreement's rules that the year's meetings do not meet. */
  missing: RuleResultDto[]
}
