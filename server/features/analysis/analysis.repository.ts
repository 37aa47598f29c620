import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * Population of a layer's current areas from the primärområden's latest figures: summed where the layer
 * holds whole primärområden (nesting), otherwise apportioned by the share of each primärområde's surface
 * inside the area — an estimate, and marked as one.
 */
export async function populationByArea(db: Executor, layerId: string) {
  const { rows } = await sql<{ id: number; population: number | null; year: number | null }>`
    WITH pop AS (
      SELECT DISTINCT ON (area_id) area_id, population, year FROM area_population ORDER BY area_id, year DESC),
    prim AS (
      SELECT a.id, a.geom, pop.population, pop.year FROM areas a JOIN pop ON pop.area_id = a.id
      WHERE a.layer_id = 'primaromrade' AND a.valid_to IS NULL)
    SELECT t.id,
      sum(prim.population * CASE WHEN ST_CoveredBy(prim.geom, t.geom) THEN 1
                                 ELSE ST_Area(ST_Intersection(prim.geom, t.geom)) / NULLIF(ST_Area(prim.geom), 0) END) AS population,
      max(prim.year) AS year
    FROM areas t JOIN prim ON prim.geom && t.geom AND ST_Intersects(prim.geom, t.geom)
    WHERE t.layer_id = ${layerId} AND t.valid_to IS NULL
    GROUP BY t.id`.execute(db)
  return rows.map((r) => ({ id: r.id, population: r.population === null ? null : Number(r.population), year: r.year }))
}

/** Does the layer hold whole primärområden (so its population is a sum, not an estimate)? */
export async function nestsPrimaromraden(db: Executor, layerId: string): Promise<boolean> {
  if (layerId === 'primaromrade') return true
  const row = await db
    .selectFrom('layer_nesting')
    .select('parent_layer_id')
    .where('child_layer_id', '=', 'primaromrade')
    .where('parent_layer_id', '=', layerId)
    .executeTakeFirst()
  return Boolean(row)
}

/** Population of a layer that holds whole primärområden: the exact sum over the nesting table. */
export async function nestedPopulation(db: Executor, layerId: string) {
  const { rows } = await sql<{ id: number; population: number }>`
    WITH pop AS (SELECT DISTINCT ON (area_id) area_id, population FROM area_population ORDER BY area_id, year DESC)
    SELECT ap.parent_id AS id, sum(pop.population)::float8 AS population
    FROM area_parents ap JOIN areas c ON c.id = ap.child_id AND c.layer_id = 'primaromrade' AND c.valid_to IS NULL
    JOIN areas p ON p.id = ap.parent_id AND p.layer_id = ${layerId} AND p.valid_to IS NULL
    JOIN pop ON pop.area_id = c.id
    GROUP BY ap.parent_id`.execute(db)
  return rows.map((r) => ({ id: r.id, population: Number(r.population) }))
}
