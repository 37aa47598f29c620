import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, NewObservation } from '../../../db/schema'
import type { ReportFilters } from './field-reports.schema'

type Executor = Kysely<Database> | Transaction<Database>

/** A primärområde (or any area) with the code of the current stadsområde it lies in. */
export async function areaWithStadsomrade(db: Executor, areaId: number) {
  return db
    .selectFrom('areas as a')
    .leftJoin('area_parents as ap', 'ap.child_id', 'a.id')
    .leftJoin('areas as s', (j) => j.onRef('s.id', '=', 'ap.parent_id').on('s.layer_id', '=', 'stadsomrade'))
    .select(['a.id', 'a.layer_id', 'a.code', 'a.name', 'a.valid_to', 's.code as stadsomrade_code'])
    .where('a.id', '=', areaId)
    .orderBy('s.code')
    .execute()
    .then((rows) => {
      if (rows.length === 0) return undefined
      return { ...rows[0]!, stadsomrade_code: rows.find((r) => r.stadsomrade_code !== null)?.stadsomrade_code ?? null }
    })
}

export async function reportRows(db: Executor, f: ReportFilters & { id?: number; stadsomradeCode?: string }) {
  let q = db
    .selectFrom('field_reports as r')
    .innerJoin('areas as a', 'a.id', 'r.area_id')
    .innerJoin('field_report_categories as c', 'c.id', 'r.category')
    .leftJoin('areas as pl', 'pl.id', 'r.place_id')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .select([
      'r.id',
      'r.area_id',
      'a.code as area_code',
      'a.name as area_name',
      'r.place_id',
      'pl.name as place_name',
      'r.week',
      'r.category',
      'c.name as category_name',
      'r.count',
      'r.text',
      'r.created_at',
      'r.updated_at',
      'r.version',
      sql<string | null>`coalesce(nullif(u.name, ''), u.email)`.as('created_by'),
      sql<string | null>`(SELECT s.code FROM area_parents ap JOIN areas s ON s.id = ap.parent_id AND s.layer_id = 'stadsomrade' WHERE ap.child_id = r.area_id ORDER BY s.valid_to IS NULL DESC, s.code LIMIT 1)`.as('stadsomrade_code'),
    ])
  if (f.id !== undefined) q = q.where('r.id', '=', f.id)
  if (f.area !== undefined) q = q.where('r.area_id', '=', f.area)
  if (f.week !== undefined) q = q.where('r.week', '=', f.week)
  if (f.from !== undefined) q = q.where('r.week', '>=', f.from)
  if (f.to !== undefined) q = q.where('r.week', '<=', f.to)
  if (f.stadsomradeCode !== undefined) {
    const code = f.stadsomradeCode
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('area_parents as ap')
          .innerJoin('areas as s', 's.id', 'ap.parent_id')
          .select('ap.child_id')
          .whereRef('ap.child_id', '=', 'r.area_id')
          .where('s.layer_id', '=', 'stadsomrade')
          .where('s.code', '=', code),
      ),
    )
  }
  return q.orderBy('r.week', 'desc').orderBy('r.id', 'desc').execute()
}

export async function insertReport(trx: Transaction<Database>, r: { areaId: number; placeId: number | null; week: string; category: string; count: number; text: string; createdBy: number | null }) {
  const row = await trx
    .insertInto('field_reports')
    .values({ area_id: r.areaId, place_id: r.placeId, week: r.week, category: r.category, count: r.count, text: r.text, created_by: r.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Writes over the report at `version`; false when it is no longer at it (a racing save). */
export async function updateReportAt(trx: Transaction<Database>, id: number, version: number, r: { areaId: number; placeId: number | null; week: string; category: string; count: number; text: string }) {
  const res = await trx
    .updateTable('field_reports')
    .set({ area_id: r.areaId, place_id: r.placeId, week: r.week, category: r.category, count: r.count, text: r.text, version: version + 1, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function deleteReport(trx: Transaction<Database>, id: number) {
  await trx.deleteFrom('field_reports').where('id', '=', id).execute()
}

/** Report writes wait for each other: each rewrites the sums of its weeks from every report, committed ones included. */
export async function lockReports(trx: Transaction<Database>) {
  await sql`LOCK TABLE field_reports IN SHARE ROW EXCLUSIVE MODE`.execute(trx)
}

export async function categoryRows(db: Executor) {
  return db
    .selectFrom('field_report_categories as c')
    .select(['c.id', 'c.name', 'c.active', sql<boolean>`EXISTS (SELECT 1 FROM field_reports r WHERE r.category = c.id)`.as('in_use')])
    .orderBy('c.ordinal')
    .orderBy('c.name')
    .execute()
}

export async function categoryRow(db: Executor, id: string) {
  return (await categoryRows(db)).find((c) => c.id === id)
}

export async function insertCategory(trx: Transaction<Database>, c: { id: string; name: string; active: boolean }) {
  const next = await trx.selectFrom('field_report_categories').select((e) => e.fn.max('ordinal').as('m')).executeTakeFirst()
  await trx.insertInto('field_report_categories').values({ ...c, ordinal: Number(next?.m ?? 0) + 1 }).execute()
}

export async function updateCategory(trx: Transaction<Database>, id: string, c: { name?: string; active?: boolean }) {
  await trx.updateTable('field_report_categories').set(c).where('id', '=', id).execute()
}

export async function deleteCategory(trx: Transaction<Database>, id: string) {
  await trx.deleteFrom('field_report_categories').where('id', '=', id).execute()
}

/** The indicator the reports become, created with its first version when missing (nothing else writes it). */
export async function ensureIndicator(
  trx: Transaction<Database>,
  d: { id: string; name: string; description: string; unit: 'count'; category: 'otrygghet'; polarity: 'higher_is_worse'; source: string; licence: string; minPublishCount: number; survey: boolean },
  savedBy: string,
) {
  const made = await trx
    .insertInto('indicators')
    .values({
      id: d.id,
      name: d.name,
      description: d.description,
      unit: d.unit,
      category: d.category,
      polarity: d.polarity,
      source: d.source,
      licence: d.licence,
      min_publish_count: d.minPublishCount,
      survey: d.survey,
      is_demo: false,
      version: 1,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (made) {
    await trx
      .insertInto('indicator_history')
      .values({ indicator_id: d.id, version: 1, data: JSON.stringify(d), saved_by: savedBy })
      .onConflict((oc) => oc.columns(['indicator_id', 'version']).doNothing())
      .execute()
  }
  return Boolean(made)
}

export async function insertImportLog(trx: Transaction<Database>, row: { fileName: string; rows: number; details: Record<string, unknown> }) {
  const r = await trx
    .insertInto('import_log')
    .values({ kind: 'field_reports', file_name: row.fileName, file_sha256: null, rows_read: row.rows, rows_accepted: row.rows, details: JSON.stringify(row.details) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** The reports' sums per area for the weeks, and how many reports each week holds. */
export async function weekSums(trx: Transaction<Database>, weeks: string[]) {
  return trx
    .selectFrom('field_reports')
    .select(['week', 'area_id', (e) => e.fn.sum<string>('count').as('total'), (e) => e.fn.countAll<string>().as('reports')])
    .where('week', 'in', weeks)
    .groupBy(['week', 'area_id'])
    .execute()
}

export async function currentAreaIds(trx: Transaction<Database>, layer: string): Promise<number[]> {
  const rows = await trx.selectFrom('areas').select('id').where('layer_id', '=', layer).where('valid_to', 'is', null).orderBy('id').execute()
  return rows.map((r) => r.id)
}

export async function replaceObservations(trx: Transaction<Database>, indicatorId: string, weeks: string[], rows: NewObservation[]) {
  await trx.deleteFrom('observations').where('indicator_id', '=', indicatorId).where('period', 'in', weeks).execute()
  for (let i = 0; i < rows.length; i += 2000) await trx.insertInto('observations').values(rows.slice(i, i + 2000)).execute()
}

/** The current primärområden with the current stadsområde each lies in. */
export async function reportableAreas(db: Executor, layer: string, stadsomradeCode?: string) {
  let q = db
    .selectFrom('areas as a')
    .innerJoin('area_parents as ap', 'ap.child_id', 'a.id')
    .innerJoin('areas as s', 's.id', 'ap.parent_id')
    .select(['a.id', 'a.code', 'a.name', 's.code as stadsomrade_code', 's.name as stadsomrade_name'])
    .where('a.layer_id', '=', layer)
    .where('a.valid_to', 'is', null)
    .where('s.layer_id', '=', 'stadsomrade')
    .where('s.valid_to', 'is', null)
  if (stadsomradeCode !== undefined) q = q.where('s.code', '=', stadsomradeCode)
  return q.orderBy('s.name').orderBy('a.name').execute()
}

/** Earlier report writes whose figures have all been rewritten are replaced by this one in the import log. */
export async function markRewrittenReplaced(trx: Transaction<Database>, importId: number) {
  await sql`UPDATE import_log SET replaced_at = now(), replaced_by = ${importId}
    WHERE kind = 'field_reports' AND replaced_at IS NULL AND id <> ${importId}
      AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.import_id = import_log.id)`.execute(trx)
}

/**
 * Current drawn places (all, or the ones named) with the current area of `layer` holding the largest part of
 * each (null when none overlaps it): where a report on the place is counted.
 */
export async function placesWithArea(db: Executor, placeLayer: string, layer: string, ids?: number[]) {
  const { rows } = await sql<{ id: number; name: string; layer_id: string; valid_to: string | null; area_id: number | null; shared: number | string | null }>`
    SELECT p.id, p.name, p.layer_id, p.valid_to,
      (SELECT a.id FROM areas a
        WHERE a.layer_id = ${layer} AND a.valid_to IS NULL AND ST_Intersects(a.geom, p.geom)
        ORDER BY ST_Area(ST_Intersection(a.geom, p.geom)) DESC, a.id LIMIT 1) AS area_id,
      (SELECT max(ST_Area(ST_Intersection(a.geom, p.geom))) FROM areas a
        WHERE a.layer_id = ${layer} AND a.valid_to IS NULL AND ST_Intersects(a.geom, p.geom)) AS shared
    FROM areas p
    WHERE ${ids === undefined ? sql`p.layer_id = ${placeLayer} AND p.valid_to IS NULL` : sql`p.id = ANY(${sql.val(ids)}::int[])`}
    ORDER BY p.name, p.id`.execute(db)
  // Touching a boundary shares no surface: not inside.
  return rows.map(({ shared, ...r }) => ({ ...r, area_id: r.area_id !== null && Number(shared ?? 0) > 0 ? r.area_id : null }))
}
