/**
 * The incident import's area indexes (every layer but the grid, one per stretch of time with the same
 * boundary versions), built once per boundary version and kept: building them costs about a second, and
 * boundaries change far more rarely than incidents arrive. The version is read from the database on every
 * use, so a boundary import, a drawn place or another instance's change is seen by the next import.
 */
import type { Kysely } from 'kysely'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { boundaryVersion } from '../../../db/data-version'
import type { Database } from '../../../db/schema'
import { versionedCache } from '../../core/versioned-cache'
import { buildEpochs, type AreaVersion, type LayerEpoch } from '../../spatial/aggregate'
import { listAreaGeometries } from './imports.repository'

/** How many times the indexes were built in this process (tests count rebuilds with it). */
export const areaIndexStats = { builds: 0 }

const cache = versionedCache<LayerEpoch[]>()

async function build(db: Kysely<Database>, exceptLayer: string): Promise<LayerEpoch[]> {
  areaIndexStats.builds++
  const rows = await listAreaGeometries(db, exceptLayer)
  const byLayer = new Map<string, typeof rows>()
  for (const r of rows) (byLayer.get(r.layer_id) ?? byLayer.set(r.layer_id, []).get(r.layer_id)!).push(r)
  const epochs: LayerEpoch[] = []
  // A layer at a time, letting other requests in between: the whole build is about a second of CPU.
  for (const list of byLayer.values()) {
    await nextTurn()
    const versions: AreaVersion[] = list.map((r) => ({ id: r.id, layerId: r.layer_id, validFrom: r.valid_from, validTo: r.valid_to, geometry: JSON.parse(r.g) }))
    epochs.push(...buildEpochs(versions))
  }
  return epochs
}

/** The indexes of every layer but `exceptLayer` (the grid) for the boundaries now in the database. */
export async function areaIndexes(db: Kysely<Database>, exceptLayer: string): Promise<LayerEpoch[]> {
  return cache(db, await boundaryVersion(db), exceptLayer, () => build(db, exceptLayer))
}
