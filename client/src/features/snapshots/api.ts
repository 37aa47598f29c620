import type { SnapshotDto, SnapshotSummaryDto } from '../../../../server/features/snapshots/snapshots.schema'

export type { SnapshotDto, SnapshotSummaryDto }

export const snapshotPaths = {
  list: () => '/api/snapshots',
  one: (id: number) => `/api/snapshots/${id}`,
  publish: (id: number) => `/api/snapshots/${id}/publish`,
}
