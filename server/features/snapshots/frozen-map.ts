import { AppError } from '../../errors'
import { frozenMapSchema, type FrozenMap } from './snapshots.schema'

/**
 * A frozen map read back from `snapshot_values`, parsed rather than cast. One that does not parse is
 * corrupted data: a 500 that says so (logged with zod's account of what is wrong), not a crash deeper
 * in the server or the client.
 */
export function frozenMapOf(snapshotId: number, row: { indicator_id?: string; layer_id?: string; period: string; payload: unknown }): FrozenMap {
  const parsed = frozenMapSchema.safeParse(row.payload)
  if (parsed.success) {
    // The payload as stored, not zod's copy: the values answer is served byte for byte as it was frozen.
    return row.payload as FrozenMap
  }
  const what = [row.indicator_id, row.layer_id, row.period].filter(Boolean).join(' / ')
  console.error(`[snapshot] ögonblicksbild ${snapshotId}: den frusna kartan ${what} går inte att läsa`, parsed.error)
  throw new AppError(500, 'internal', `Ögonblicksbild ${snapshotId} har skadade data: den frusna kartan ${what} går inte att läsa. Kontakta den som förvaltar Lägesbild.`)
}
