import type { SnapshotDto, SnapshotSummaryDto } from '../../../server/features/snapshots/snapshots.schema'

export type { SnapshotDto, SnapshotSummaryDto }

/** A problem area as frozen in a snapshot's priorities. */
export interface FrozenProblemArea {
  id: number
  parentId: number | null
  title: string
  goals: string
}

export const snapshotPaths = {
  list: () => '/api/snapshots',
  one: (id: number) => `/api/snapshots/${id}`,
  publish: (id: number) => `/api/snapshots/${id}/publish`,
}
