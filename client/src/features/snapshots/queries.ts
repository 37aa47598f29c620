import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { AreaPageDto, StatementDto } from '../../../../server/features/snapshots/statement.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery, type Scope } from '../../lib/queries'
import { snapshotPaths, type SnapshotSummaryDto } from '../../lib/snapshots'

export type { AreaPageDto, StatementDto }

export const useSnapshotList = () => useApiQuery<SnapshotSummaryDto[]>(snapshotPaths.list())

export interface NewSnapshot {
  title: string
  description: string
  settings: Record<string, unknown>
  indicators?: string[]
}

/** Every snapshot write changes the list, the snapshot and its presentation: the whole scope is asked again. */
function useSnapshotWrite<T, V>(write: (v: V) => Promise<T>, ...also: Scope[]) {
  const qc = useQueryClient()
  return useMutation<T, ApiError, V>({ mutationFn: write, onSuccess: () => invalidate(qc, 'snapshots', ...also) })
}

export const useCreateSnapshot = () => useSnapshotWrite((body: NewSnapshot) => api.post<{ id: number }>(snapshotPaths.list(), body))
export const usePublishSnapshot = () => useSnapshotWrite((id: number) => api.post(snapshotPaths.publish(id)))
export const useDeleteSnapshot = () => useSnapshotWrite((id: number) => api.delete(snapshotPaths.one(id)))

const statementPath = (id: number) => `/api/snapshots/${id}/statement`

/** The joint statement: analysts get the draft; everyone else a 404 until both parties have approved it. */
export const useStatement = (id: number) => useApiQuery<StatementDto>(statementPath(id))
// The public pages of the stadsområden show the approved statement: they are asked again too.
export const useWriteStatement = (id: number) => useSnapshotWrite((body: { text: string; version: number }) => api.post<StatementDto>(statementPath(id), body), 'stadsomraden')
export const useApproveStatement = (id: number) => useSnapshotWrite((body: { version: number }) => api.post<StatementDto>(`${statementPath(id)}/approve`, body), 'stadsomraden')

/** A stadsområde's public page: the latest published lägesbild unless another is named. */
export const useAreaPage = (code: string, snapshot: number | null) =>
  useApiQuery<AreaPageDto>(`/api/stadsomraden/${encodeURIComponent(code)}${snapshot ? `?snapshot=${snapshot}` : ''}`)
