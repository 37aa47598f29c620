import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { SamverkansformDto, SamverkansformPatch, SamverkansformSummaryDto } from '../../../../server/features/samverkansformer/samverkansformer.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'

export type { SamverkansformDto, SamverkansformPatch, SamverkansformSummaryDto }

export const useSamverkansformList = () => useApiQuery<SamverkansformSummaryDto[]>('/api/samverkansformer')
export const useSamverkansform = (id: string) => useApiQuery<SamverkansformDto>(`/api/samverkansformer/${encodeURIComponent(id)}`)
/** Ledningsgrupp Trygg i Göteborg's decisions: the ones that may start, revise or end a samverkansform. */
export const useCityDecisions = (enabled: boolean) =>
  useApiQuery<Array<{ id: number; date: string; text: string }>>(enabled ? '/api/decisions?group=trygg_i_goteborg' : null)

/** Saves a revision at the version read (the server refuses a stale version with 409). */
export function useSaveSamverkansform(id: string) {
  const qc = useQueryClient()
  return useMutation<SamverkansformDto, ApiError, SamverkansformPatch>({
    mutationFn: (patch) => api.patch<SamverkansformDto>(`/api/samverkansformer/${encodeURIComponent(id)}`, patch),
    // A linked decision now names the samverkansform in the register too.
    onSuccess: () => invalidate(qc, 'samverkansformer', 'decisions'),
  })
}

export function useSaveAdaptation(id: string, code: string) {
  const qc = useQueryClient()
  return useMutation<SamverkansformDto, ApiError, string>({
    mutationFn: (text) => api.put<SamverkansformDto>(`/api/samverkansformer/${encodeURIComponent(id)}/adaptations/${encodeURIComponent(code)}`, { text }),
    onSuccess: () => invalidate(qc, 'samverkansformer'),
  })
}
