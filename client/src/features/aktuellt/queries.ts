import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query'
import type { AlertDto, AlertsDto } from '../../../../server/features/alerts/alerts.schema'
import type { OperationalCompareDto } from '../../../../server/features/operational/operational.schema'
import type { FieldReportDto } from '../../../../server/features/field-reports/field-reports.schema'
import type { GroupDto, MeetingDto } from '../../../../server/features/organisation/organisation.schema'
import type { TimeProfileLayersDto } from '../../../../server/features/time-profile/time-profile.schema'
import { api, type MeasureDto } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { apiKey, invalidate, useApiQuery } from '../../lib/queries'

export type { AlertDto, AlertsDto, FieldReportDto, OperationalCompareDto }

export const useAlerts = (layer: string | null) => useApiQuery<AlertsDto>(layer === null ? null : `/api/alerts?layer=${encodeURIComponent(layer)}`)

/** The 28-day comparison of each indicator on the layer, ending with the week's Sunday. */
export function useComparisons(indicators: string[], layer: string | null, end: string | null) {
  return useQueries({
    queries: indicators.map((id) => {
      const path = layer && end ? `/api/operational/compare?indicator=${encodeURIComponent(id)}&layer=${encodeURIComponent(layer)}&end=${end}&window=28d` : null
      return { queryKey: path ? apiKey(path) : ['idle', id], queryFn: ({ signal }: { signal: AbortSignal }) => api.get<OperationalCompareDto>(path!, signal), enabled: path !== null }
    }),
  })
}

export const useAreaReports = (stadsomrade: string | null, from: string | null, to: string | null) =>
  useApiQuery<FieldReportDto[]>(stadsomrade && from && to ? `/api/field-reports?stadsomrade=${encodeURIComponent(stadsomrade)}&from=${from}&to=${to}` : null)

export const useAreaMeasures = (areaId: number | null) => useApiQuery<MeasureDto[]>(areaId === null ? null : `/api/measures?areaId=${areaId}&status=pagaende`)
export const useTimeProfileLayers = () => useApiQuery<TimeProfileLayersDto>('/api/analysis/time-profile/layers')
export const useGroups = () => useApiQuery<GroupDto[]>('/api/groups')
export const useGroupMeetings = (group: string | null) => useApiQuery<MeetingDto[]>(group === null ? null : `/api/meetings?group=${encodeURIComponent(group)}`)

/** Marks an alert seen, handled or open again, at the version read. */
export function usePatchAlert() {
  const qc = useQueryClient()
  return useMutation<AlertDto, ApiError, { id: number; version: number; seen?: true; handled?: boolean; note?: string }>({
    mutationFn: ({ id, ...body }) => api.patch<AlertDto>(`/api/alerts/${id}`, body),
    onSuccess: () => invalidate(qc, 'alerts'),
  })
}
