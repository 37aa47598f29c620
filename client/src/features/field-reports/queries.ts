import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { FieldReportCategoryDto, FieldReportDto, ReportableAreaDto, ReportablePlaceDto } from '../../../../server/features/field-reports/field-reports.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { DATA_DERIVED, invalidate, useApiQuery } from '../../lib/queries'

export type { FieldReportCategoryDto, FieldReportDto, ReportableAreaDto, ReportablePlaceDto }

export interface ReportDraft {
  areaId: number
  /** A drawn place: the server then takes the primärområde holding most of it. */
  placeId: number | null
  week: string
  category: string
  count: number
  text: string
}

export const useReportAreas = () => useApiQuery<ReportableAreaDto[]>('/api/field-reports/areas')
export const useReportPlaces = () => useApiQuery<ReportablePlaceDto[]>('/api/field-reports/places')
export const useCategories = () => useApiQuery<FieldReportCategoryDto[]>('/api/field-reports/categories')
export const useReports = (areaId: number | null) => useApiQuery<FieldReportDto[]>(areaId === null ? null : `/api/field-reports?area=${areaId}`)

/** Records a report, or saves one at the version read; the indicator's figures change with it. */
export function useSaveReport() {
  const qc = useQueryClient()
  return useMutation<FieldReportDto, ApiError, { id: number | null; version?: number; draft: ReportDraft }>({
    mutationFn: ({ id, version, draft }) => (id === null ? api.post<FieldReportDto>('/api/field-reports', draft) : api.patch<FieldReportDto>(`/api/field-reports/${id}`, { version, ...draft })),
    onSuccess: () => invalidate(qc, 'field-reports', ...DATA_DERIVED),
  })
}

export function useDeleteReport() {
  const qc = useQueryClient()
  return useMutation<null, ApiError, { id: number; version: number }>({
    mutationFn: ({ id, version }) => api.delete(`/api/field-reports/${id}?version=${version}`),
    onSuccess: () => invalidate(qc, 'field-reports', ...DATA_DERIVED),
  })
}

/** The ISO week of a date (YYYY-MM-DD) as 2026-W10: the week belongs to the year of its Thursday. */
export function isoWeekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7))
  const year = d.getUTCFullYear()
  const jan4 = new Date(Date.UTC(year, 0, 4))
  const week = 1 + Math.round((d.getTime() - jan4.getTime()) / 86_400_000 / 7 - 3 / 7 + ((jan4.getUTCDay() + 6) % 7) / 7)
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** This week in Göteborg. */
export const thisWeek = () => isoWeekOf(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date()))

/** 2026-W10 → "vecka 10, 2026". */
export const weekLabel = (w: string) => (/^\d{4}-W\d{2}$/.test(w) ? `vecka ${Number(w.slice(6))}, ${w.slice(0, 4)}` : w)
