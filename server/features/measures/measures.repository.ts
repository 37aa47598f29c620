import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/schema'
import type { MeasureDto, MeasureInput } from './measures.schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function loadMeasures(db: Executor, ids?: number[]): Promise<MeasureDto[]> {
  let q = db.selectFrom('measures').selectAll().orderBy('id')
  if (ids) {
    if (ids.length === 0) return []
    q = q.where('id', 'in', ids)
  }
  const rows = await q.execute()
  if (rows.length === 0) return []
  const measureIds = rows.map((r) => r.id)
  const [areas, followUps, causes] = await Promise.all([
    db.selectFrom('measure_areas').selectAll().where('measure_id', 'in', measureIds).orderBy('area_id').execute(),
    db.selectFrom('measure_followups').selectAll().where('measure_id', 'in', measureIds).orderBy('id').execute(),
    db.selectFrom('measure_causes').selectAll().where('measure_id', 'in', measureIds).orderBy('cause_id').execute(),
  ])
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    title: r.title,
    description: r.description,
    problemAreaId: r.problem_area_id,
    purpose: r.purpose,
    prevention: r.prevention,
    level: r.level,
    owners: r.owners,
    samverkansform: r.samverkansform as MeasureDto['samverkansform'],
    areaIds: areas.filter((a) => a.measure_id === r.id).map((a) => a.area_id),
    status: r.status,
    startDate: r.start_date,
    endDate: r.end_date,
    followUp: followUps
      .filter((f) => f.measure_id === r.id)
      .map((f) => ({ indicatorId: f.indicator_id, baselinePeriod: f.baseline_period, target: f.target, targetPeriod: f.target_period })),
    causeIds: causes.filter((c) => c.measure_id === r.id).map((c) => c.cause_id),
    comparisonAreaId: r.comparison_area_id,
    displacementBufferM: r.displacement_buffer_m,
    updatedAt: new Date(r.updated_at).toISOString(),
  }))
}

/** Writes the measure's own row, areas and follow-ups; the caller owns the transaction. */
export async function writeMeasure(trx: Transaction<Database>, m: MeasureInput, id: number | null, version: number): Promise<number> {
  const row = {
    title: m.title,
    description: m.description,
    problem_area_id: m.problemAreaId,
    purpose: m.purpose,
    prevention: m.prevention,
    level: m.level,
    owners: JSON.stringify(m.owners),
    samverkansform: m.samverkansform,
    status: m.status,
    start_date: m.startDate,
    end_date: m.endDate,
    comparison_area_id: m.comparisonAreaId,
    displacement_buffer_m: m.displacementBufferM,
    version,
  }
  let measureId: number
  if (id === null) {
    measureId = (await trx.insertInto('measures').values(row).returning('id').executeTakeFirstOrThrow()).id
  } else {
    measureId = id
    await trx.updateTable('measures').set({ ...row, updated_at: new Date() }).where('id', '=', id).execute()
    await trx.deleteFrom('measure_areas').where('measure_id', '=', id).execute()
    await trx.deleteFrom('measure_followups').where('measure_id', '=', id).execute()
    await trx.deleteFrom('measure_causes').where('measure_id', '=', id).execute()
  }
  if (m.causeIds.length) await trx.insertInto('measure_causes').values(m.causeIds.map((cause_id) => ({ measure_id: measureId, cause_id }))).execute()
  await trx.insertInto('measure_areas').values(m.areaIds.map((area_id) => ({ measure_id: measureId, area_id }))).execute()
  if (m.followUp.length) {
    await trx
      .insertInto('measure_followups')
      .values(m.followUp.map((f) => ({ measure_id: measureId, indicator_id: f.indicatorId, baseline_period: f.baselinePeriod, target: f.target, target_period: f.targetPeriod })))
      .execute()
  }
  return measureId
}

export async function saveHistory(trx: Transaction<Database>, measureId: number, version: number, data: MeasureDto) {
  await trx.insertInto('measure_history').values({ measure_id: measureId, version, data: JSON.stringify(data) }).execute()
}

export async function historyAt(db: Executor, measureId: number, version: number) {
  const row = await db.selectFrom('measure_history').select('data').where('measure_id', '=', measureId).where('version', '=', version).executeTakeFirst()
  return (row?.data ?? null) as MeasureDto | null
}

export async function problemAreaExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom('problem_areas').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Those of the ids that are areas. */
export async function existingAreaIds(db: Executor, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return []
  return (await db.selectFrom('areas').select('id').where('id', 'in', ids).execute()).map((a) => a.id)
}

/** Those of the ids that are causes of the problem area. */
export async function causeIdsOf(db: Executor, problemAreaId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return []
  return (await db.selectFrom('causes').select('id').where('problem_area_id', '=', problemAreaId).where('id', 'in', ids).execute()).map((c) => c.id)
}

/** Id, name and layer of areas, in id order. */
export async function areaInfo(db: Executor, ids: number[]): Promise<Array<{ id: number; name: string; layer: string }>> {
  if (ids.length === 0) return []
  return db.selectFrom('areas').select(['id', 'name', 'layer_id as layer']).where('id', 'in', ids).orderBy('id').execute()
}

/**
 * The buffer zone for displacement: current areas of `layer` within `metres` of any of the treated areas
 * (geometry is stored in SWEREF99 TM, EPSG:3006, so the distance is in metres), the treated and excluded areas left out.
 */
export async function areasWithin(db: Executor, layer: string, treatedIds: number[], metres: number, excludeIds: number[]): Promise<Array<{ id: number; name: string }>> {
  if (treatedIds.length === 0) return []
  const leaveOut = [...treatedIds, ...excludeIds]
  const { rows } = await sql<{ id: number; name: string }>`
    SELECT b.id, b.name FROM areas b
    WHERE b.layer_id = ${layer} AND b.valid_to IS NULL
      AND NOT (b.id = ANY(${sql.val(leaveOut)}::int[]))
      AND EXISTS (SELECT 1 FROM areas t WHERE t.id = ANY(${sql.val(treatedIds)}::int[]) AND ST_DWithin(t.geom, b.geom, ${metres}))
    ORDER BY b.id`.execute(db)
  return rows
}

/** Whether the area lies within `metres` of any of the treated areas. */
export async function isWithin(db: Executor, areaId: number, treatedIds: number[], metres: number): Promise<boolean> {
  if (treatedIds.length === 0) return false
  const { rows } = await sql<{ near: boolean }>`
    SELECT EXISTS (SELECT 1 FROM areas t, areas c WHERE c.id = ${areaId} AND t.id = ANY(${sql.val(treatedIds)}::int[]) AND ST_DWithin(t.geom, c.geom, ${metres})) AS near`.execute(db)
  return Boolean(rows[0]?.near)
}

/** Those of the ids that are indicators. */
export async function existingIndicatorIds(db: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  return (await db.selectFrom('indicators').select('id').where('id', 'in', ids).execute()).map((r) => r.id)
}

/** The area, the areas it holds and the areas holding it. */
export async function areaWithParentsAndChildren(db: Executor, areaId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT ${areaId}::int AS id
    UNION SELECT child_id FROM area_parents WHERE parent_id = ${areaId}
    UNION SELECT parent_id FROM area_parents WHERE child_id = ${areaId}`.execute(db)
  return rows.map((r) => r.id)
}

/** Moves a measure from `version` to the next; false when it is no longer at `version` (a racing save). */
export async function bumpVersion(db: Executor, id: number, version: number): Promise<boolean> {
  const row = await db.updateTable('measures').set({ version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(row.numUpdatedRows) === 1
}

/** Deletes a measure still at `version`; false when it has moved on. */
export async function deleteMeasureAt(db: Executor, id: number, version: number): Promise<boolean> {
  const row = await db.deleteFrom('measures').where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(row.numDeletedRows) === 1
}
