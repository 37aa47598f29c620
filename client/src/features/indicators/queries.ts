import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { IndicatorDefinition, IndicatorVersionDto } from '../../../../server/features/indicators/indicators.catalogue.schema'
import { api, paths, type IndicatorDto } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { apiKey, invalidate, useApiQuery, type Scope } from '../../lib/queries'

export type { IndicatorDefinition, IndicatorVersionDto }
export type IndicatorDraft = IndicatorDefinition

const one = (id: string) => `/api/indicators/${encodeURIComponent(id)}`

/**
 * A definition changes the figures made with it (a threshold hides more, a name is on every map) and
 * the problem areas and measures that name it: everything an import changes but the import list.
 */
const CHANGED: Scope[] = ['data', 'cycles', 'measures']

/** The versions of an indicator's definition, newest first (null: none asked for). */
export const useIndicatorHistory = (id: string | null) => useApiQuery<IndicatorVersionDto[]>(id === null ? null : `${one(id)}/history`)

/** Creates an indicator, or updates one at the version read (the server refuses a stale version with 409 and what changed). */
export function useSaveIndicator(indicator: IndicatorDto | null) {
  const qc = useQueryClient()
  return useMutation<IndicatorDto, ApiError, IndicatorDraft>({
    mutationFn: (draft) => {
      if (!indicator) return api.post<IndicatorDto>(paths.indicators(), draft)
      const { id: _id, ...fields } = draft
      return api.patch<IndicatorDto>(one(indicator.id), { version: indicator.version, ...fields })
    },
    onSuccess: () => invalidate(qc, ...CHANGED),
  })
}

export function useDeleteIndicator() {
  const qc = useQueryClient()
  return useMutation<null, ApiError, IndicatorDto>({
    mutationFn: (i) => api.delete(`${one(i.id)}?version=${i.version}`),
    onSuccess: () => invalidate(qc, ...CHANGED),
  })
}

/** The catalogue read again (after a refused stale save): the indicator as it is now. */
export function useReloadIndicator() {
  const qc = useQueryClient()
  return async (id: string): Promise<IndicatorDto | undefined> => {
    await invalidate(qc, 'data')
    return qc.getQueryData<IndicatorDto[]>(apiKey(paths.indicators()))?.find((i) => i.id === id)
  }
}
