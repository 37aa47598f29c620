import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, type StepStatusDto } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { apiKey, useApiQuery } from '../../lib/queries'

const statusPath = (cycleId: number) => `/api/cycles/${cycleId}/status`

export const useStepStatus = (cycleId: number | null) => useApiQuery<StepStatusDto[]>(cycleId === null ? null : statusPath(cycleId))

type StepChange = Pick<StepStatusDto, 'stepId' | 'areaId' | 'status'>

/** Sets one step's status for one perspective; the list is updated in place rather than fetched again. */
export function useSetStepStatus(cycleId: number | null) {
  const qc = useQueryClient()
  return useMutation<StepStatusDto, ApiError, StepChange>({
    mutationFn: (change) => api.put<StepStatusDto>(statusPath(cycleId!), change),
    onSuccess: (saved) =>
      qc.setQueryData<StepStatusDto[]>(apiKey(statusPath(cycleId!)), (list = []) => [...list.filter((s) => !(s.stepId === saved.stepId && s.areaId === saved.areaId)), saved]),
  })
}
