import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, FrozenBasis } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function listSnapshots(db: Executor, publishedOnly: boolean) {
  let q = db.selectFrom('snapshots').select(['id', 'title', 'description', 'created_at', 'created_by', 'published_at', 'data_version']).orderBy('id', 'desc')
  if (publishedOnly) q = q.where('published_at', 'is not', null)
  return q.execute()
}

export async function findSnapshot(db: Executor, id: number) {
  return db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function snapshotContents(db: Executor, ids: number[]) {
  if (ids.length === 0) return { indicators: [], layers: [] }
  const [indicators, layers] = await Promise.all([
    db.selectFrom('snapshot_indicators').select(['snapshot_id', 'indicator_id', 'info']).where('snapshot_id', 'in', ids).orderBy('indicator_id').execute(),
    db.selectFrom('snapshot_layers').select(['snapshot_id', 'layer_id', 'info']).where('snapshot_id', 'in', ids).orderBy('layer_id').execute(),
  ])
  return { indicators, layers }
}

export async function snapshotValues(db: Executor, id: number, indicatorId: string, layerId: string) {
  return db
    .selectFrom('snapshot_values')
    .select(['period', 'payload'])
    .where('snapshot_id', '=', id)
    .where('indicator_id', '=', indicatorId)
    .where('layer_id', '=', layerId)
    .execute()
}

export async function snapshotValuesOfIndicator(db: Executor, id: number, indicatorId: string) {
  return db.selectFrom('snapshot_values').select(['layer_id', 'period', 'payload']).where('snapshot_id', '=', id).where('indicator_id', '=', indicatorId).execute()
}

export async function snapshotAreas(db: Executor, id: number, layerId: string) {
  return db.selectFrom('snapshot_layers').select('areas').where('snapshot_id', '=', id).where('layer_id', '=', layerId).executeTakeFirst()
}

export async function findDeck(db: Executor, id: number) {
  return db.selectFrom('snapshot_decks').selectAll().where('snapshot_id', '=', id).executeTakeFirst()
}

export async function upsertDeck(db: Executor, id: number, slides: unknown[], version: number, by: string) {
  await db
    .insertInto('snapshot_decks')
    .values({ snapshot_id: id, slides: JSON.stringify(slides), version, updated_by: by })
    .onConflict((oc) => oc.column('snapshot_id').doUpdateSet({ slides: JSON.stringify(slides), version, updated_by: by, updated_at: new Date() }))
    .execute()
}

/** The (indicator, layer, period) views a snapshot holds. */
export async function snapshotViews(db: Executor, id: number) {
  return db.selectFrom('snapshot_values').select(['indicator_id', 'layer_id', 'period']).where('snapshot_id', '=', id).execute()
}

/** Every frozen map of some layers (all indicators, all periods). */
export async function snapshotValuesOnLayers(db: Executor, id: number, layers: string[]) {
  return db.selectFrom('snapshot_values').select(['indicator_id', 'layer_id', 'period', 'payload']).where('snapshot_id', '=', id).where('layer_id', 'in', layers).execute()
}

export async function insertSnapshot(
  db: Executor,
  s: { title: string; description: string; settings: Record<string, unknown>; priorities: Record<string, unknown>; dataVersion: number; createdBy: string },
): Promise<number> {
  const row = await db
    .insertInto('snapshots')
    .values({
      title: s.title,
      description: s.description,
      settings: JSON.stringify(s.settings),
      priorities: JSON.stringify(s.priorities),
      data_version: s.dataVersion,
      created_by: s.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertSnapshotIndicators(db: Executor, id: number, indicators: Array<{ id: string }>) {
  if (indicators.length === 0) return
  await db.insertInto('snapshot_indicators').values(indicators.map((i) => ({ snapshot_id: id, indicator_id: i.id, info: JSON.stringify(i) }))).execute()
}

/** A layer's catalogue entry and its areas (GeoJSON text) as they were. */
export async function insertSnapshotLayer(db: Executor, id: number, layer: { id: string }, areas: string) {
  await db.insertInto('snapshot_layers').values({ snapshot_id: id, layer_id: layer.id, info: JSON.stringify(layer), areas }).execute()
}

/** The frozen maps, 200 rows a statement. */
export async function insertSnapshotValues(db: Executor, id: number, values: Array<{ indicator: string; layer: string; period: string; payload: Record<string, unknown>; basis: FrozenBasis | null }>) {
  for (let i = 0; i < values.length; i += 200) {
    const batch = values.slice(i, i + 200).map((v) => ({ snapshot_id: id, indicator_id: v.indicator, layer_id: v.layer, period: v.period, payload: JSON.stringify(v.payload), basis: v.basis === null ? null : JSON.stringify(v.basis) }))
    await db.insertInto('snapshot_values').values(batch).execute()
  }
}

/** Returns the publication time the database set. */
export async function markPublished(db: Executor, id: number, by: string) {
  const row = await db.updateTable('snapshots').set({ published_at: new Date(), published_by: by }).where('id', '=', id).returning('published_at').executeTakeFirstOrThrow()
  return row.published_at
}

export async function deleteSnapshotRow(db: Executor, id: number) {
  await db.deleteFrom('snapshots').where('id', '=', id).execute()
}

/** The published snapshot shown to the public by default: the latest published. */
export async function latestPublished(db: Executor) {
  return db.selectFrom('snapshots').select('id').where('published_at', 'is not', null).orderBy('published_at', 'desc').orderBy('id', 'desc').executeTakeFirst()
}

/** A frozen layer's areas without their geometry: id, code and name from the GeoJSON's properties. */
export async function snapshotAreaList(db: Executor, id: number, layerId: string) {
  const { rows } = await sql<{ id: number; code: string; name: string }>`
    SELECT (f->'properties'->>'id')::int AS id, f->'properties'->>'code' AS code, f->'properties'->>'name' AS name
    FROM snapshot_layers, jsonb_array_elements(areas->'features') AS f
    WHERE snapshot_id = ${id} AND layer_id = ${layerId}
    ORDER BY name`.execute(db)
  return rows
}

/** A registered meeting and its group (the register is the organisation feature's; read here, never written). */
export async function registeredMeeting(db: Executor, id: number) {
  return db
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['m.id', 'm.date', 'm.group_id', 'g.name as group_name', 'g.kind as group_kind', 'g.stadsomrade_code'])
    .where('m.id', '=', id)
    .executeTakeFirst()
}

/** The group's meeting before this one (held or planned): by date, then by id on the same day. */
export async function meetingBefore(db: Executor, groupId: string, date: string, id: number) {
  return db
    .selectFrom('meetings')
    .select(['id', 'date'])
    .where('group_id', '=', groupId)
    .where((eb) => eb.or([eb('date', '<', date), eb.and([eb('date', '=', date), eb('id', '<', id)])]))
    .orderBy('date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

/** One frozen map of a layer (any indicator and period): every one lists the layer's areas. */
export async function anyValuesOnLayer(db: Executor, id: number, layer: string) {
  return db.selectFrom('snapshot_values').select(['indicator_id', 'layer_id', 'period', 'payload']).where('snapshot_id', '=', id).where('layer_id', '=', layer).limit(1).executeTakeFirst()
}
