import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function listIndicators(db: Executor) {
  return db.selectFrom('indicators').selectAll().orderBy('category').orderBy('name').execute()
}

export async function findIndicator(db: Executor, id: string) {
  return db.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst()
}

export { dataAndReleases, dataVersion, type Versions } from '../../../db/data-version'

export async function listNesting(db: Executor) {
  return db.selectFrom('layer_nesting').selectAll().execute()
}

export async function findAreas(db: Executor, ids: number[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom('areas as a')
    .innerJoin('area_layers as l', 'l.id', 'a.layer_id')
    .select(['a.id', 'a.layer_id', 'a.code', 'a.name', 'l.approximate'])
    .where('a.id', 'in', ids)
    .execute()
}

/**
 * Primärområden as building blocks: for each, the area of `sourceLayer` and of `targetLayer` holding most
 * of it, and its area (its population, per year, comes from server/core/population.ts).
 */
export async function crosswalkAtoms(db: Executor, sourceLayer: string, targetLayer: string) {
  const { rows } = await sql<{ pid: number; area: number; source_id: number | null; target_id: number | null }>`
    SELECT p.id AS pid,
      ST_Area(p.geom) AS area,
      -- Known nesting first (cheap); the geometry only where there is none. COALESCE stops at the first value.
      coalesce(
        (SELECT ap.parent_id FROM area_parents ap JOIN areas s ON s.id = ap.parent_id
          WHERE ap.child_id = p.id AND s.layer_id = ${sourceLayer} AND s.valid_to IS NULL LIMIT 1),
        (SELECT s.id FROM areas s WHERE s.layer_id = ${sourceLayer} AND s.valid_to IS NULL AND ST_Intersects(s.geom, p.geom)
          ORDER BY ST_Area(ST_Intersection(s.geom, p.geom)) DESC LIMIT 1)) AS source_id,
      coalesce(
        (SELECT ap.parent_id FROM area_parents ap JOIN areas t ON t.id = ap.parent_id
          WHERE ap.child_id = p.id AND t.layer_id = ${targetLayer} AND t.valid_to IS NULL LIMIT 1),
        (SELECT t.id FROM areas t WHERE t.layer_id = ${targetLayer} AND t.valid_to IS NULL AND ST_Intersects(t.geom, p.geom)
          ORDER BY ST_Area(ST_Intersection(t.geom, p.geom)) DESC LIMIT 1)) AS target_id
    FROM areas p WHERE p.layer_id = 'primaromrade' AND p.valid_to IS NULL`.execute(db)
  return rows
}

/** Every area of every layer, any version: what the derivation and the answers need to know of each. */
export async function allAreas(db: Executor) {
  return db
    .selectFrom('areas')
    .select(['id', 'layer_id', 'code', 'name', sql<boolean>`valid_to IS NULL`.as('current')])
    .execute()
}

/** Every stored value of one indicator with its area's layer: the input of the disclosure cube. */
export async function allObservations(db: Executor, indicatorId: string) {
  return db
    .selectFrom('observations as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.area_id', 'o.period', 'o.value', 'o.numerator', 'o.denominator', 'o.ci_low', 'o.ci_high'])
    .where('o.indicator_id', '=', indicatorId)
    .execute()
}

/** Parent–child links between areas, with both layers. */
export async function areaLinks(db: Executor) {
  return db
    .selectFrom('area_parents as ap')
    .innerJoin('areas as c', 'c.id', 'ap.child_id')
    .innerJoin('areas as p', 'p.id', 'ap.parent_id')
    .select(['ap.child_id', 'ap.parent_id', 'c.layer_id as child_layer', 'p.layer_id as parent_layer'])
    .execute()
}

export async function layerKinds(db: Executor) {
  return db.selectFrom('area_layers').select(['id', 'kind']).execute()
}

/**
 * An indicator's frozen maps in published snapshots, with the true figures behind them (snapshot_values.basis,
 * never served): what earlier releases told the public, for the disclosure audit of the next. Maps frozen
 * before the basis was kept are left out.
 */
export async function publishedMaps(db: Executor, indicatorId: string) {
  return db
    .selectFrom('snapshot_values as v')
    .innerJoin('snapshots as s', 's.id', 'v.snapshot_id')
    .select(['v.snapshot_id', 'v.period', 'v.payload', 'v.basis'])
    .where('v.indicator_id', '=', indicatorId)
    .where('s.published_at', 'is not', null)
    .where('v.basis', 'is not', null)
    .orderBy('v.snapshot_id')
    .execute()
}
