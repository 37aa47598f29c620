import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'
import { snapshotPaths, type SnapshotSummaryDto } from '../../lib/snapshots'

export const useSnapshotList = () => useApiQuery<SnapshotSummaryDto[]>(snapshotPaths.list())

export interface NewSnapshot {
  title: string
  description: string
  settings: Record<string, unknown>
  indicators?: string[]
}

/** Every snapshot write changes the list, the snapshot and its presentation: the whole scope is asked again. */
function useSnapshotWrite<T, V>(write: (v: V) => Promise<T>) {
  const qc = useQueryClient()
  return useMutation<T, ApiError, V>({ mutationFn: write, onSuccess: () => invalidate(qc, 'snapshots') })
}

export const useCreateSnapshot = () => useSnapshotWrite((body: NewSnapshot) => api.post<{ id: number }>(snapshotPaths.list(), body))
export const usePublishSnapshot = () => useSnapshotWrite((id: number) => api.post(snapshotPaths.publish(id)))
export const useDeleteSnapshot = () => useSnapshotWrite((id: number) => api.delete(snapshotPaths.one(id)))
