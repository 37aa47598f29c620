import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function listIndicators(db: Executor) {
  return db.selectFrom('indicators').selectAll().orderBy('category').orderBy('name').execute()
}

export async function findIndicator(db: Executor, id: string) {
  return db.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Which periods each indicator has stored values for, per layer. */
export async function storedAvailability(db: Executor) {
  return db
    .selectFrom('observations as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.indicator_id', 'a.layer_id', 'o.period'])
    .distinct()
    .execute()
}

export { dataVersion } from '../../../db/data-version'

export async function listNesting(db: Executor) {
  return db.selectFrom('layer_nesting').selectAll().execute()
}

export async function storedValues(db: Executor, indicatorId: string, layerId: string, period: string) {
  return db
    .selectFrom('observations as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .select(['a.id', 'a.code', 'a.name', 'o.value', 'o.numerator', 'o.denominator', 'o.ci_low', 'o.ci_high'])
    .where('o.indicator_id', '=', indicatorId)
    .where('o.period', '=', period)
    .where('a.layer_id', '=', layerId)
    .orderBy('a.code')
    .execute()
}

/**
 * Sums a child layer's observations into the parent areas they nest in. `children` counts every child of
 * the parent so the caller can tell a complete sum from a partial one.
 */
export async function summedValues(db: Executor, indicatorId: string, childLayer: string, parentLayer: string, period: string) {
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    value_sum: number
    numerator_sum: number | null
    denominator_sum: number | null
    n: number
    n_numerator: number
    n_denominator: number
    children: number
  }>`
    SELECT p.id, p.code, p.name,
           sum(o.value) AS value_sum, sum(o.numerator) AS numerator_sum, sum(o.denominator) AS denominator_sum,
           count(o.id)::int AS n, count(o.numerator)::int AS n_numerator, count(o.denominator)::int AS n_denominator,
           (SELECT count(*)::int FROM area_parents ap2 JOIN areas c2 ON c2.id = ap2.child_id
             WHERE ap2.parent_id = p.id AND c2.layer_id = ${childLayer}) AS children
    FROM areas p
    JOIN area_parents ap ON ap.parent_id = p.id
    JOIN areas c ON c.id = ap.child_id AND c.layer_id = ${childLayer}
    LEFT JOIN observations o ON o.area_id = c.id AND o.indicator_id = ${indicatorId} AND o.period = ${period}
    WHERE p.layer_id = ${parentLayer}
    GROUP BY p.id, p.code, p.name
    HAVING count(o.id) > 0
    ORDER BY p.code`.execute(db)
  return rows
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
 * Sums monthly counts into a longer period per area. `n` counts the months present so the caller can tell
 * a complete quarter or year from a partial one.
 */
export async function monthSums(db: Executor, indicatorId: string, layerId: string, start: string, end: string) {
  const { rows } = await sql<{ id: number; code: string; name: string; value_sum: number; numerator_sum: number | null; n: number; n_numerator: number }>`
    SELECT a.id, a.code, a.name, sum(o.value) AS value_sum, sum(o.numerator) AS numerator_sum,
           count(o.id)::int AS n, count(o.numerator)::int AS n_numerator
    FROM observations o JOIN areas a ON a.id = o.area_id
    WHERE o.indicator_id = ${indicatorId} AND a.layer_id = ${layerId}
      AND o.period ~ '^[0-9]{4}-[0-9]{2}$' AND o.period_start >= ${start}::date AND o.period_end <= ${end}::date
    GROUP BY a.id, a.code, a.name
    ORDER BY a.code`.execute(db)
  return rows
}

/**
 * Primärområden as building blocks: for each, the area of `sourceLayer` and of `targetLayer` holding most
 * of it, and its latest population (null where unknown) and area.
 */
export async function crosswalkAtoms(db: Executor, sourceLayer: string, targetLayer: string) {
  const { rows } = await sql<{ pid: number; population: number | null; area: number; source_id: number | null; target_id: number | null }>`
    SELECT p.id AS pid,
      (SELECT ap.population FROM area_population ap WHERE ap.area_id = p.id ORDER BY ap.year DESC LIMIT 1) AS population,
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

export async function currentAreas(db: Executor, layerId: string) {
  return db.selectFrom('areas').select(['id', 'code', 'name']).where('layer_id', '=', layerId).where('valid_to', 'is', null).orderBy('code').execute()
}

/** Every stored value of one indicator with its area's layer: the input of the disclosure cube. */
export async function allObservations(db: Executor, indicatorId: string) {
  return db
    .selectFrom('observations as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.area_id', 'a.layer_id', 'o.period', 'o.value', 'o.numerator', 'o.denominator'])
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

/** The current cells of every grid layer. */
export async function currentGridAreas(db: Executor) {
  return db
    .selectFrom('areas as a')
    .innerJoin('area_layers as l', 'l.id', 'a.layer_id')
    .select(['a.id', 'a.layer_id'])
    .where('l.kind', '=', 'grid')
    .where('a.valid_to', 'is', null)
    .execute()
}
