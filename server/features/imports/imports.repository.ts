import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import { endDemoAccounts } from '../../../db/demo-accounts'
import { FIELD_REPORT_INDICATOR } from '../../core/field-report-indicator'
import type { AreaLayerTable, Database, ImportKind, NewObservation } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

/** An earlier, still active import of the same file. */
export async function findActiveImportByHash(db: Executor, kind: ImportKind, sha256: string) {
  return db
    .selectFrom('import_log')
    .select(['id', 'file_name', 'created_at', 'rows_accepted'])
    .where('kind', '=', kind)
    .where('file_sha256', '=', sha256)
    .where('replaced_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

export async function insertImportLog(
  db: Executor,
  row: { kind: ImportKind; fileName: string; sha256: string; rowsRead: number; rowsAccepted: number; details: Record<string, unknown>; actor: Actor; keepDemoAccounts?: boolean | undefined },
): Promise<number> {
  const r = await db
    .insertInto('import_log')
    .values({
      kind: row.kind,
      file_name: row.fileName,
      file_sha256: row.sha256,
      rows_read: row.rowsRead,
      rows_accepted: row.rowsAccepted,
      details: JSON.stringify(row.details),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // Every import is also a write in the audit log, in the same transaction.
  const { actor, keepDemoAccounts, ...what } = row
  await recordAudit(db, actor, {
    action: 'import',
    entity: 'import',
    entityId: r.id,
    summary: `Import (${row.kind}) av ${row.fileName}: ${row.rowsAccepted} av ${row.rowsRead} rader`,
    after: what,
  })
  // Real data has arrived: the demo accounts' published password must not guard it. Same transaction.
  if (!keepDemoAccounts) await endDemoAccounts(db, actor, `första riktiga import (import ${r.id}, ${row.fileName})`)
  return r.id
}

export async function markReplaced(db: Executor, oldIds: number[], newId: number) {
  if (oldIds.length === 0) return
  await db.updateTable('import_log').set({ replaced_at: sql`now()`, replaced_by: newId }).where('id', 'in', oldIds).execute()
}

export async function deleteObservationsOfImports(db: Executor, importIds: number[]) {
  if (importIds.length === 0) return 0
  await db.deleteFrom('time_profile').where('import_id', 'in', importIds).execute()
  const r = await db.deleteFrom('observations').where('import_id', 'in', importIds).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Existing observations that share (indicator, area, period) with the given keys. */
export async function findExistingObservations(db: Executor, keys: Array<{ indicatorId: string; areaId: number; period: string }>) {
  if (keys.length === 0) return []
  const { rows } = await sql<{ id: number; indicator_id: string; area_id: number; period: string; import_id: number }>`
    SELECT o.id, o.indicator_id, o.area_id, o.period, o.import_id
    FROM observations o
    JOIN unnest(${keys.map((k) => k.indicatorId)}::text[], ${keys.map((k) => k.areaId)}::int[], ${keys.map((k) => k.period)}::text[])
      AS k(indicator_id, area_id, period)
      ON o.indicator_id = k.indicator_id AND o.area_id = k.area_id AND o.period = k.period`.execute(db)
  return rows
}

export async function deleteObservations(db: Executor, ids: number[]) {
  for (let i = 0; i < ids.length; i += 5000) {
    await db.deleteFrom('observations').where('id', 'in', ids.slice(i, i + 5000)).execute()
  }
}

/** Column arrays through unnest: one statement of ten parameters per 20 000 rows instead of ten per row. */
export async function insertObservations(db: Executor, rows: NewObservation[]) {
  for (let i = 0; i < rows.length; i += 20_000) {
    const part = rows.slice(i, i + 20_000)
    const col = <K extends keyof NewObservation>(k: K) => part.map((r) => r[k] ?? null)
    await sql`
      INSERT INTO observations (indicator_id, area_id, period, period_start, period_end, value, numerator, denominator, ci_low, ci_high, import_id)
      SELECT * FROM unnest(
        ${col('indicator_id')}::text[], ${col('area_id')}::int[], ${col('period')}::text[], ${col('period_start')}::date[],
        ${col('period_end')}::date[], ${col('value')}::float8[], ${col('numerator')}::float8[], ${col('denominator')}::float8[],
        ${col('ci_low')}::float8[], ${col('ci_high')}::float8[], ${col('import_id')}::int[])`.execute(db)
  }
}

/** The weekday × hour counts of these indicators in these months (replaced as their observations are). */
export async function deleteTimeProfiles(db: Executor, indicatorIds: string[], months: string[]) {
  if (indicatorIds.length === 0 || months.length === 0) return
  await db.deleteFrom('time_profile').where('indicator_id', 'in', indicatorIds).where('period', 'in', months).execute()
}

/** The weekday × hour counts behind values another import replaces (per indicator, area and period). */
export async function deleteTimeProfilesAt(db: Executor, keys: ReadonlyArray<{ indicator_id: string; area_id: number; period: string }>) {
  const months = keys.filter((k) => /^\d{4}-\d{2}$/.test(k.period))
  for (let i = 0; i < months.length; i += 20_000) {
    const part = months.slice(i, i + 20_000)
    await sql`
      DELETE FROM time_profile t USING unnest(${part.map((k) => k.indicator_id)}::text[], ${part.map((k) => k.area_id)}::int[], ${part.map((k) => k.period)}::text[]) AS k(indicator_id, area_id, period)
      WHERE t.indicator_id = k.indicator_id AND t.area_id = k.area_id AND t.period = k.period`.execute(db)
  }
}

export async function insertTimeProfiles(db: Executor, rows: ReadonlyArray<Database['time_profile']>) {
  for (let i = 0; i < rows.length; i += 20_000) {
    const part = rows.slice(i, i + 20_000)
    const col = <K extends keyof Database['time_profile']>(k: K) => part.map((r) => r[k])
    await sql`
      INSERT INTO time_profile (indicator_id, layer_id, area_id, period, weekday, hour, count, import_id)
      SELECT * FROM unnest(${col('indicator_id')}::text[], ${col('layer_id')}::text[], ${col('area_id')}::int[], ${col('period')}::text[],
        ${col('weekday')}::smallint[], ${col('hour')}::smallint[], ${col('count')}::int[], ${col('import_id')}::int[])`.execute(db)
  }
}

/** Every area version with its layer and validity, for matching codes and dates. */
export async function listAreaVersions(db: Executor) {
  return db.selectFrom('areas').select(['id', 'layer_id', 'code', 'valid_from', 'valid_to']).execute()
}

// The field reports' indicator holds only the sums of the reports: no import may write it.
export async function listIndicatorUnits(db: Executor) {
  return db.selectFrom('indicators').select(['id', 'unit']).where('id', '!=', FIELD_REPORT_INDICATOR.id).execute()
}

export async function listLayerIds(db: Executor) {
  return (await db.selectFrom('area_layers').select('id').execute()).map((r) => r.id)
}

/**
 * The city's current stadsområden in WGS84, as the polygons of GeoJSON MultiPolygons: their display copy
 * (simplified by 3 m, already in WGS84), since a union and reprojection of the full coastline (1 600
 * islands) takes seconds and a grid cell is 900 m across. A grid over the parts is the grid over the whole.
 */
/**
 * Every version of the city's outline (the stadsområden), widened by 5 m and in WGS84 at full precision, so
 * that the hexagons overlapping it hold every point the import counts in the city, whatever its date. Area by
 * area: one union of the outline is more than PGlite's stack takes.
 */
export async function cityOutlineWgs84(db: Executor): Promise<number[][][][]> {
  const { rows } = await sql<{ g: string }>`
    SELECT ST_AsGeoJSON(ST_Transform(ST_Multi(ST_Buffer(geom, 5, 'quad_segs=2')), 4326), 9) AS g FROM areas WHERE layer_id = 'stadsomrade'`.execute(db)
  return rows.flatMap((r) => (JSON.parse(r.g) as { coordinates: number[][][][] }).coordinates)
}

export async function listImportLog(db: Executor, limit: number) {
  return db.selectFrom('import_log').selectAll().orderBy('id', 'desc').limit(limit).execute()
}

/** The import's details, rewritten once the write knows them (repairs, nesting). */
export async function setImportDetails(db: Executor, importId: number, details: Record<string, unknown>) {
  await db.updateTable('import_log').set({ details: JSON.stringify(details) }).where('id', '=', importId).execute()
}

/**
 * Every area version but those of one layer, with its geometry as GeoJSON in EPSG:3006. Fifteen decimals
 * print each stored double exactly (the shortest text that reads back as it): rounded to millimetres, a
 * vertex of the city's outline could fall just outside an index's outline and be lost.
 */
export async function listAreaGeometries(db: Executor, exceptLayer: string) {
  const { rows } = await sql<{ id: number; layer_id: string; valid_from: string; valid_to: string | null; g: string }>`
    SELECT id, layer_id, valid_from, valid_to, ST_AsGeoJSON(geom, 15) AS g FROM areas WHERE layer_id <> ${exceptLayer}`.execute(db)
  return rows
}

/** Observations of any of the indicators in any of the periods. */
export async function findObservationsIn(db: Executor, indicatorIds: string[], periods: string[]) {
  return db.selectFrom('observations').select(['id', 'indicator_id', 'period', 'import_id']).where('indicator_id', 'in', indicatorIds).where('period', 'in', periods).execute()
}

/** Creates a layer's row unless it is there already (the grid's appears with the first incident import). */
export async function ensureLayer(db: Executor, layer: Insertable<AreaLayerTable>) {
  await db.insertInto('area_layers').values(layer).onConflict((oc) => oc.column('id').doNothing()).execute()
}

/** A layer's area ids by code, for the codes given that exist. */
export async function areaIdsByCode(db: Executor, layerId: string, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map()
  const rows = await db.selectFrom('areas').select(['id', 'code']).where('layer_id', '=', layerId).where('code', 'in', codes).execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}

/** Versions of a layer that start on or after a date. */
export async function versionsFrom(db: Executor, layerId: string, validFrom: string) {
  return db.selectFrom('areas').select(['code', 'valid_from']).where('layer_id', '=', layerId).where('valid_from', '>=', validFrom).execute()
}

/** Ends the layer's versions in force on `validFrom` that day; returns how many. */
export async function closeVersions(db: Executor, layerId: string, validFrom: string): Promise<number> {
  const r = await db
    .updateTable('areas')
    .set({ valid_to: validFrom })
    .where('layer_id', '=', layerId)
    .where('valid_from', '<', validFrom)
    .where((w) => w.or([w('valid_to', 'is', null), w('valid_to', '>', validFrom)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function markLayerExact(db: Executor, layerId: string) {
  await db.updateTable('area_layers').set({ approximate: false, approximate_reason: null }).where('id', '=', layerId).execute()
}

export async function listLayerNesting(db: Executor) {
  return db.selectFrom('layer_nesting').selectAll().execute()
}

/** Every area version of the layers with their names, for matching a table's regions. */
export async function listAreasWithNames(db: Executor) {
  return db.selectFrom('areas').select(['id', 'layer_id', 'code', 'name', 'valid_from', 'valid_to']).orderBy('layer_id').orderBy('code').orderBy('valid_from').execute()
}

export async function listIndicatorRefs(db: Executor) {
  return db.selectFrom('indicators').select(['id', 'name', 'unit']).where('id', '!=', FIELD_REPORT_INDICATOR.id).orderBy('name').execute()
}

export async function listLayerRefs(db: Executor) {
  return db.selectFrom('area_layers').select(['id', 'name', 'kind']).orderBy('sort_order').orderBy('id').execute()
}

export async function listRecipes(db: Executor) {
  return db.selectFrom('import_recipes').selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc').execute()
}

export async function findRecipe(db: Executor, id: number) {
  return db.selectFrom('import_recipes').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findRecipeByName(db: Executor, name: string) {
  return db.selectFrom('import_recipes').selectAll().where('name', '=', name).executeTakeFirst()
}

/** Saves a recipe under its name, replacing one of the same name. */
export async function upsertRecipe(db: Executor, row: { name: string; kind: string; recipe: Record<string, unknown>; createdBy: string }) {
  return db
    .insertInto('import_recipes')
    .values({ name: row.name, kind: row.kind, recipe: JSON.stringify(row.recipe), created_by: row.createdBy })
    .onConflict((oc) => oc.column('name').doUpdateSet({ recipe: JSON.stringify(row.recipe), updated_at: sql`now()` }))
    .returning('id')
    .executeTakeFirstOrThrow()
}

export async function deleteRecipe(db: Executor, id: number) {
  const r = await db.deleteFrom('import_recipes').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Stored population figures for any of these (area, year) pairs. */
export async function findExistingPopulation(db: Executor, keys: Array<{ areaId: number; year: number }>) {
  if (keys.length === 0) return []
  const { rows } = await sql<{ area_id: number; year: number; source: string }>`
    SELECT p.area_id, p.year, p.source FROM area_population p
    JOIN unnest(${keys.map((k) => k.areaId)}::int[], ${keys.map((k) => k.year)}::int[]) AS k(area_id, year)
      ON p.area_id = k.area_id AND p.year = k.year`.execute(db)
  return rows
}

/** Writes population figures, replacing those of the same area and year. */
export async function writePopulation(db: Executor, rows: Array<{ areaId: number; year: number; population: number }>, source: string, importId: number) {
  for (let i = 0; i < rows.length; i += 20_000) {
    const part = rows.slice(i, i + 20_000)
    await sql`
      INSERT INTO area_population (area_id, year, population, source, import_id)
      SELECT k.area_id, k.year, k.population, ${source}, ${importId}
      FROM unnest(${part.map((r) => r.areaId)}::int[], ${part.map((r) => r.year)}::int[], ${part.map((r) => r.population)}::int[]) AS k(area_id, year, population)
      ON CONFLICT (area_id, year) DO UPDATE SET population = EXCLUDED.population, source = EXCLUDED.source, import_id = EXCLUDED.import_id`.execute(db)
  }
}
