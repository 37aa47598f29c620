import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CommunicationPlanDto, CommunicationPlanRowDto } from '../../../../server/features/communication/communication.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'

export type { CommunicationPlanDto, CommunicationPlanRowDto }

const PATH = '/api/communication-plan'

export const useCommunicationPlan = () => useApiQuery<CommunicationPlanDto>(PATH)

export function useSaveCommunicationPlan() {
  const qc = useQueryClient()
  return useMutation<CommunicationPlanDto, ApiError, { version: number; rows: CommunicationPlanRowDto[] }>({
    mutationFn: (body) => api.put<CommunicationPlanDto>(PATH, body),
    onSuccess: () => invalidate(qc, 'communication-plan'),
  })
}
