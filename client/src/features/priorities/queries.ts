import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { DecisionDto } from '../../../../server/features/plans/decisions.schema'
import type { CauseDto, ProblemAreaVersionDto } from '../../../../server/features/priorities/priorities.schema'
import { api, type CycleDto, type ProblemAreaDto, type StepStatusDto } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { apiKey, invalidate, useApiQuery, type Scope } from '../../lib/queries'

export type { CauseDto, DecisionDto, ProblemAreaVersionDto }

const statusPath = (cycleId: number) => `/api/cycles/${cycleId}/status`
const causesPath = (problemAreaId: number) => `/api/problem-areas/${problemAreaId}/causes`

/** Cycles, their steps and problem areas live under two scopes: /api/cycles… and /api/problem-areas…. */
const PRIORITIES: Scope[] = ['cycles', 'problem-areas']
/** A problem area's change shows in the measures' choices too. */
const PROBLEM_AREA_CHANGED: Scope[] = [...PRIORITIES, 'measures']

export const useStepStatus = (cycleId: number | null) => useApiQuery<StepStatusDto[]>(cycleId === null ? null : statusPath(cycleId))

export type StepChange = Pick<StepStatusDto, 'stepId' | 'areaId' | 'status'> & Partial<Pick<StepStatusDto, 'date' | 'responsible' | 'note'>>

/** Sets one step's status (and its date, responsible and note) for one perspective; the list is updated in place. */
export function useSetStepStatus(cycleId: number | null) {
  const qc = useQueryClient()
  return useMutation<StepStatusDto, ApiError, StepChange>({
    mutationFn: (change) => api.put<StepStatusDto>(statusPath(cycleId!), change),
    onSuccess: (saved) =>
      qc.setQueryData<StepStatusDto[]>(apiKey(statusPath(cycleId!)), (list = []) => [...list.filter((s) => !(s.stepId === saved.stepId && s.areaId === saved.areaId)), saved]),
  })
}

export interface NewCycle {
  name: string
  startYear: number
  endYear: number
  copyFrom: number | null
  copyProblemAreas: boolean
  makeCurrent: boolean
}

export function useCreateCycle() {
  const qc = useQueryClient()
  return useMutation<CycleDto, ApiError, NewCycle>({
    mutationFn: (c) => api.post<CycleDto>('/api/cycles', c),
    onSuccess: () => invalidate(qc, ...PRIORITIES),
  })
}

export function useMakeCurrent() {
  const qc = useQueryClient()
  return useMutation<CycleDto, ApiError, number>({
    mutationFn: (id) => api.patch<CycleDto>(`/api/cycles/${id}`, { current: true }),
    onSuccess: () => invalidate(qc, ...PRIORITIES),
  })
}

/** Step edits of one cycle: rename or move, add, remove. Each answers with the cycle as it now is. */
export function useStepEdits(cycleId: number | null) {
  const qc = useQueryClient()
  const done = () => invalidate(qc, 'cycles')
  const steps = `/api/cycles/${cycleId}/steps`
  return {
    update: useMutation<CycleDto, ApiError, { stepId: number; name?: string; ordinal?: number }>({
      mutationFn: ({ stepId, ...change }) => api.patch<CycleDto>(`${steps}/${stepId}`, change),
      onSuccess: done,
    }),
    add: useMutation<CycleDto, ApiError, { name: string; ordinal?: number }>({
      mutationFn: (step) => api.post<CycleDto>(steps, step),
      onSuccess: done,
    }),
    remove: useMutation<CycleDto, ApiError, number>({
      mutationFn: (stepId) => api.delete<CycleDto>(`${steps}/${stepId}`),
      onSuccess: done,
    }),
  }
}

export type ProblemAreaDraft = Pick<ProblemAreaDto, 'cycleId' | 'parentId' | 'areaId' | 'title' | 'analysis' | 'goals' | 'indicatorIds' | 'targets'> & { decisionId: number | null }

/** Creates a problem area, or changes one at the version read (a stale version: 409 with what changed). */
export function useSaveProblemArea(problemArea: ProblemAreaDto | null) {
  const qc = useQueryClient()
  return useMutation<ProblemAreaDto, ApiError, ProblemAreaDraft>({
    mutationFn: (draft) => (problemArea ? api.patch<ProblemAreaDto>(`/api/problem-areas/${problemArea.id}`, { version: problemArea.version, ...draft }) : api.post<ProblemAreaDto>('/api/problem-areas', draft)),
    onSuccess: () => invalidate(qc, ...PROBLEM_AREA_CHANGED),
  })
}

/** Retires (or restores) a problem area at the version read. */
export function useRetireProblemArea() {
  const qc = useQueryClient()
  return useMutation<ProblemAreaDto, ApiError, { problemArea: ProblemAreaDto; retired: boolean }>({
    mutationFn: ({ problemArea, retired }) => api.patch<ProblemAreaDto>(`/api/problem-areas/${problemArea.id}`, { version: problemArea.version, retired }),
    onSuccess: () => invalidate(qc, ...PROBLEM_AREA_CHANGED),
  })
}

export const useProblemAreaHistory = (id: number | null) => useApiQuery<ProblemAreaVersionDto[]>(id === null ? null : `/api/problem-areas/${id}/history`)

export const useCauses = (problemAreaId: number) => useApiQuery<CauseDto[]>(causesPath(problemAreaId))

export type CauseDraft = Pick<CauseDto, 'kind' | 'title' | 'description' | 'sources'> & { evidence: Array<{ indicatorId: string; areaId: number | null; period: string }> }

export function useSaveCause(problemAreaId: number, cause: CauseDto | null) {
  const qc = useQueryClient()
  return useMutation<CauseDto, ApiError, CauseDraft>({
    mutationFn: (draft) => (cause ? api.patch<CauseDto>(`${causesPath(problemAreaId)}/${cause.id}`, { version: cause.version, ...draft }) : api.post<CauseDto>(causesPath(problemAreaId), draft)),
    onSuccess: () => invalidate(qc, 'problem-areas'),
  })
}

export function useDeleteCause(problemAreaId: number) {
  const qc = useQueryClient()
  return useMutation<null, ApiError, CauseDto>({
    mutationFn: (cause) => api.delete(`${causesPath(problemAreaId)}/${cause.id}?version=${cause.version}`),
    onSuccess: () => invalidate(qc, 'problem-areas'),
  })
}

/** The decision register, for naming the decision behind a change (empty where it cannot be read). */
export const useDecisions = () => useApiQuery<DecisionDto[]>('/api/decisions', { retry: false })
