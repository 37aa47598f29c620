import { keepPreviousData, useMutation, useQueryClient } from '@tanstack/react-query'
import type { CauseDto } from '../../../../server/features/priorities/priorities.schema'
import { api, type EvaluationDto, type MeasureDto } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'

export type MeasureDraft = Omit<MeasureDto, 'id' | 'version' | 'updatedAt'>

/** Measures matching a filter query string; the last list stays while another filter loads. */
export const useMeasures = (query: string) => useApiQuery<MeasureDto[]>(`/api/measures${query ? `?${query}` : ''}`, { placeholderData: keepPreviousData })
export const useSamverkansformer = () => useApiQuery<Array<{ id: string; name: string }>>('/api/samverkansformer')
/** A measure's evaluation, computed for the caller (hidden figures stay hidden). */
export const useEvaluation = (measureId: number | null) => useApiQuery<EvaluationDto>(measureId === null ? null : `/api/measures/${measureId}/evaluation`)
/** A problem area's causes (orsaksanalys), to link a measure to; none while they cannot be read. */
export const useCauses = (problemAreaId: number | null) => useApiQuery<CauseDto[]>(problemAreaId === null ? null : `/api/problem-areas/${problemAreaId}/causes`, { retry: false })
export type { CauseDto }

/** Creates a measure, or updates one at the version read (the server refuses a stale version with 409). */
export function useSaveMeasure(measure: MeasureDto | null) {
  const qc = useQueryClient()
  return useMutation<MeasureDto, ApiError, MeasureDraft>({
    mutationFn: (draft) => (measure ? api.patch<MeasureDto>(`/api/measures/${measure.id}`, { version: measure.version, ...draft }) : api.post<MeasureDto>('/api/measures', draft)),
    // A problem area's measure count is read with the cycle's problem areas.
    onSuccess: () => invalidate(qc, 'measures', 'cycles', 'problem-areas'),
  })
}
