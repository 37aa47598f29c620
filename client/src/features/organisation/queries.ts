import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { GroupDto, GroupMandateDto, MeetingActionDto, MeetingDto, OrganisationId, RuleResultDto } from '../../../../server/features/organisation/organisation.schema'
import type { AlertDto, AlertsDto } from '../../../../server/features/alerts/alerts.schema'
import type { ReportableAreaDto } from '../../../../server/features/field-reports/field-reports.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'
import type { SessionUser } from '../../lib/session'

export type { AlertDto, GroupDto, GroupMandateDto, MeetingActionDto, MeetingDto, OrganisationId, RuleResultDto }

/** The open alerts of a layer (for the local groups' next meetings). */
export const useOpenAlerts = (layer: string, on: boolean) => useApiQuery<AlertsDto>(on ? `/api/alerts?layer=${encodeURIComponent(layer)}&status=open` : null)
/** The current primärområden with their stadsområde (a local group gets its own stadsområde's only). */
export const usePrimaryAreas = (on: boolean) => useApiQuery<ReportableAreaDto[]>(on ? '/api/field-reports/areas' : null)

export interface MeetingDraft {
  date: string
  fullDay: boolean
  chairOrganisation: OrganisationId
  notesOrganisation: OrganisationId | null
  agenda: string
  minutes: string
  status: MeetingDto['status']
}

export const ORG_LABELS: Record<OrganisationId, string> = { staden: 'Staden', polisen: 'Polisen' }
export const STATUS_LABELS: Record<MeetingDto['status'], string> = { planerad: 'Planerad', genomford: 'Genomförd' }

export const useGroups = () => useApiQuery<GroupDto[]>('/api/groups')
export const useMeetings = (query: string) => useApiQuery<MeetingDto[]>(`/api/meetings?${query}`)
export const useMeetingRules = (year: number) => useApiQuery<RuleResultDto[]>(`/api/meetings/rules?year=${year}`)

/** Analysts and admins keep every group's meetings; a local user only its own local group's. */
export const mayKeepMeetings = (user: SessionUser | null, groupId: string) =>
  Boolean(user) && (user!.role !== 'local' || groupId === `lokal:${user!.stadsomrade?.code ?? ''}`)

/** Meetings carry decisions and decisions name meetings: a write refreshes both. */
const afterWrite = (qc: ReturnType<typeof useQueryClient>) => invalidate(qc, 'meetings', 'decisions', 'arshjul')

export function useSaveMeeting() {
  const qc = useQueryClient()
  return useMutation<MeetingDto, ApiError, { id: number | null; version?: number; groupId: string; draft: MeetingDraft }>({
    mutationFn: ({ id, version, groupId, draft }) =>
      id === null ? api.post<MeetingDto>('/api/meetings', { groupId, ...draft }) : api.patch<MeetingDto>(`/api/meetings/${id}`, { version, ...draft }),
    onSuccess: () => afterWrite(qc),
  })
}

export function useAddAction(meetingId: number) {
  const qc = useQueryClient()
  return useMutation<MeetingDto, ApiError, { text: string; responsible: string }>({
    mutationFn: (b) => api.post<MeetingDto>(`/api/meetings/${meetingId}/actions`, b),
    onSuccess: () => afterWrite(qc),
  })
}

export function useMarkAction() {
  const qc = useQueryClient()
  return useMutation<MeetingDto, ApiError, { meetingId: number; actionId: number; done: boolean; doneMeetingId?: number }>({
    mutationFn: ({ meetingId, actionId, ...b }) => api.patch<MeetingDto>(`/api/meetings/${meetingId}/actions/${actionId}`, b),
    onSuccess: () => afterWrite(qc),
  })
}

export interface GroupDraft {
  name?: string
  members: GroupDto['members']
  mandate?: GroupMandateDto
}

/** Creates a working group (id null) or changes a group's members, and a working group's name and uppdragsdirektiv. */
export function useSaveGroup() {
  const qc = useQueryClient()
  return useMutation<GroupDto, ApiError, { id: string | null; version?: number; draft: GroupDraft }>({
    mutationFn: ({ id, version, draft }) => (id === null ? api.post<GroupDto>('/api/groups', draft) : api.patch<GroupDto>(`/api/groups/${encodeURIComponent(id)}`, { version, ...draft })),
    // Groups name meetings, the decision register's groups and the årshjul's lanes.
    onSuccess: () => invalidate(qc, 'groups', 'meetings', 'decision-groups', 'arshjul'),
  })
}
