import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { DecisionDto, DecisionGroupDto } from '../../../../server/features/plans/decisions.schema'
import type { PlanDto, PlanFollowUpDto, PlanRowDto, PlanVersionDto } from '../../../../server/features/plans/plans.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'
import type { SessionUser } from '../../lib/session'

export type { DecisionDto, DecisionGroupDto, PlanDto, PlanFollowUpDto, PlanRowDto, PlanVersionDto }
export type AffectKind = DecisionDto['affects'][number]['kind']
export type TrafficLight = PlanFollowUpDto['status']

export interface DecisionDraft {
  date: string
  group: string
  meetingId: number | null
  text: string
  affects: Array<{ kind: AffectKind; id: number | string }>
}

/** A draft's row as PUT takes it. */
export interface RowDraft {
  causeId: number | null
  cause: string
  measureId: number | null
  action: string
  goal: string
  timing: string
  responsible: string
  followup: string
}

export const CITY_GROUP = 'trygg_i_goteborg'

/** A group's registered meetings, for naming the one a decision was taken at. */
export const useGroupMeetings = (group: string) => useApiQuery<Array<{ id: number; date: string; status: 'planerad' | 'genomford' }>>(group ? `/api/meetings?group=${encodeURIComponent(group)}` : null)
export const useDecisionGroups = () => useApiQuery<DecisionGroupDto[]>('/api/decision-groups')
export const useDecisions = (query = '') => useApiQuery<DecisionDto[]>(`/api/decisions${query ? `?${query}` : ''}`)
export const usePlans = (cycleId: number | null) => useApiQuery<PlanDto[]>(cycleId === null ? null : `/api/plans?cycleId=${cycleId}`)
export const useAllPlans = () => useApiQuery<PlanDto[]>('/api/plans')
export const usePlan = (id: number | null) => useApiQuery<PlanDto>(id === null ? null : `/api/plans/${id}`)
export const useSamverkansformer = () => useApiQuery<Array<{ id: string; name: string }>>('/api/samverkansformer')
export const useMeasureTitles = (problemAreaId?: number) =>
  useApiQuery<Array<{ id: number; title: string; problemAreaId: number }>>(`/api/measures${problemAreaId ? `?problemAreaId=${problemAreaId}` : ''}`)

/**
 * The problem area's causes (orsaksanalysen). The endpoint may be missing on an older server: then the
 * editor offers free text only (retry off: a 404 is an answer, not a hiccup).
 */
export const useCauses = (problemAreaId: number | null) =>
  useApiQuery<Array<{ id: number; title: string; kind?: string }>>(problemAreaId === null ? null : `/api/problem-areas/${problemAreaId}/causes`, { retry: false })

/** The groups whose decisions this user may register: analysts and admins all, a local group its own. */
export function groupsFor(user: SessionUser | null, groups: DecisionGroupDto[]): DecisionGroupDto[] {
  if (!user) return []
  if (user.role !== 'local') return groups
  return groups.filter((g) => g.id === `lokal:${user.stadsomrade?.code ?? ''}`)
}

/** May this user change the plan? A local group only the plans of its own stadsområde's problem areas. */
export function mayEditPlan(user: SessionUser | null, plan: Pick<PlanDto, 'areaId'>, areas: Array<{ id: number; layer: string; code: string }>): boolean {
  if (!user) return false
  if (user.role !== 'local') return true
  const area = areas.find((a) => a.id === plan.areaId)
  return Boolean(area && area.layer === 'stadsomrade' && area.code === user.stadsomrade?.code)
}

/** Writes that change plans also change the decision register (an adoption names the plan) and back. */
const afterWrite = (qc: ReturnType<typeof useQueryClient>) => invalidate(qc, 'plans', 'decisions', 'meetings')

export function useCreateDecision() {
  const qc = useQueryClient()
  return useMutation<DecisionDto, ApiError, DecisionDraft>({ mutationFn: (d) => api.post<DecisionDto>('/api/decisions', d), onSuccess: () => afterWrite(qc) })
}

export function useDeleteDecision() {
  const qc = useQueryClient()
  return useMutation<null, ApiError, number>({ mutationFn: (id) => api.delete(`/api/decisions/${id}`), onSuccess: () => afterWrite(qc) })
}

export function useCreatePlan() {
  const qc = useQueryClient()
  return useMutation<PlanDto, ApiError, { problemAreaId: number; title: string }>({ mutationFn: (b) => api.post<PlanDto>('/api/plans', b), onSuccess: () => afterWrite(qc) })
}

export function useDeletePlan() {
  const qc = useQueryClient()
  return useMutation<null, ApiError, number>({ mutationFn: (id) => api.delete(`/api/plans/${id}`), onSuccess: () => afterWrite(qc) })
}

export function useSaveDraft(planId: number, version: number) {
  const qc = useQueryClient()
  return useMutation<PlanDto, ApiError, { revision: number; rows: RowDraft[] }>({
    mutationFn: (b) => api.put<PlanDto>(`/api/plans/${planId}/versions/${version}`, b),
    onSuccess: () => afterWrite(qc),
  })
}

export function useNewVersion(planId: number) {
  const qc = useQueryClient()
  return useMutation<PlanDto, ApiError, void>({ mutationFn: () => api.post<PlanDto>(`/api/plans/${planId}/versions`), onSuccess: () => afterWrite(qc) })
}

export function useAdopt(planId: number, version: number) {
  const qc = useQueryClient()
  return useMutation<PlanDto, ApiError, { decisionId: number; revision: number }>({
    mutationFn: (b) => api.post<PlanDto>(`/api/plans/${planId}/versions/${version}/adopt`, b),
    onSuccess: () => afterWrite(qc),
  })
}

export function useAddFollowUp(planId: number) {
  const qc = useQueryClient()
  return useMutation<PlanFollowUpDto, ApiError, { rowId: number; status: TrafficLight; date: string; comment: string }>({
    mutationFn: ({ rowId, ...b }) => api.post<PlanFollowUpDto>(`/api/plans/${planId}/rows/${rowId}/followups`, b),
    onSuccess: () => afterWrite(qc),
  })
}

export const LIGHT_LABELS: Record<TrafficLight, string> = { gron: 'Grön', gul: 'Gul', rod: 'Röd' }
export const LIGHT_MEANINGS: Record<TrafficLight, string> = { gron: 'enligt plan', gul: 'delvis, risk för avvikelse', rod: 'avviker, åtgärd krävs' }
export const AFFECT_LABELS: Record<AffectKind, string> = { problem_area: 'Problemområde', plan: 'Åtgärdsplan', measure: 'Åtgärd', samverkansform: 'Samverkansform', cycle: 'Cykel' }

/** Today as the user's calendar says (the date inputs' default). */
export const todayIso = () => new Date().toLocaleDateString('sv-SE')
