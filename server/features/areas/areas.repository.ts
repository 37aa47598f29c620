import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import type { AreaLayerTable, Database } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function listLayers(db: Executor, at: string) {
  return db
    .selectFrom('area_layers as l')
    .select((eb) => [
      'l.id',
      'l.name',
      'l.kind',
      'l.description',
      'l.source',
      'l.licence',
      'l.approximate',
      'l.approximate_reason',
      eb
        .selectFrom('areas as a')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('a.layer_id', '=', 'l.id')
        .where('a.valid_from', '<=', at)
        .where((w) => w.or([w('a.valid_to', 'is', null), w('a.valid_to', '>', at)]))
        .as('area_count'),
      eb
        .selectFrom('layer_nesting as n')
        .select(sql<string[]>`coalesce(array_agg(n.parent_layer_id ORDER BY n.parent_layer_id), '{}')`.as('p'))
        .whereRef('n.child_layer_id', '=', 'l.id')
        .as('nests_in'),
    ])
    .orderBy('l.sort_order')
    .orderBy('l.id')
    .execute()
}

/** Areas of a layer valid on a date, geometry as WGS84 GeoJSON text (5 decimals ≈ 1 m). */
export async function listAreaFeatures(db: Executor, layerId: string, at: string) {
  return db
    .selectFrom('areas')
    .select([
      'id',
      'code',
      'name',
      'valid_from',
      'valid_to',
      'attributes',
      sql<string>`ST_AsGeoJSON(geom_web, 5)`.as('geometry'),
      sql<string>`ST_AsGeoJSON(ST_PointOnSurface(geom_web), 5)`.as('label_point'),
    ])
    .where('layer_id', '=', layerId)
    .where('valid_from', '<=', at)
    .where((w) => w.or([w('valid_to', 'is', null), w('valid_to', '>', at)]))
    .orderBy('code')
    .execute()
}

/** All areas valid on a date, without geometry: for pickers and search. */
export async function listAreas(db: Executor, at: string) {
  return db
    .selectFrom('areas as a')
    .innerJoin('area_layers as l', 'l.id', 'a.layer_id')
    .select(['a.id', 'a.layer_id', 'a.code', 'a.name', 'l.approximate'])
    .where('a.valid_from', '<=', at)
    .where((w) => w.or([w('a.valid_to', 'is', null), w('a.valid_to', '>', at)]))
    .orderBy('l.sort_order')
    .orderBy('a.name')
    .execute()
}

/**
 * Queen contiguity: pairs of a layer's areas valid on a date that share at least a point (a corner is
 * enough), found with the GiST index first and decided by PostGIS on the full-precision geometry.
 */
export async function queenPairs(db: Executor, layerId: string, at: string) {
  const { rows } = await sql<{ a: number; b: number }>`
    WITH live AS (
      SELECT id, geom FROM areas
      WHERE layer_id = ${layerId} AND valid_from <= ${at}::date AND (valid_to IS NULL OR valid_to > ${at}::date))
    SELECT x.id AS a, y.id AS b FROM live x JOIN live y ON x.id < y.id AND x.geom && y.geom AND ST_Intersects(x.geom, y.geom)
    ORDER BY 1, 2`.execute(db)
  return rows
}

export async function areaIdsAt(db: Executor, layerId: string, at: string) {
  return (
    await db
      .selectFrom('areas')
      .select('id')
      .where('layer_id', '=', layerId)
      .where('valid_from', '<=', at)
      .where((w) => w.or([w('valid_to', 'is', null), w('valid_to', '>', at)]))
      .orderBy('id')
      .execute()
  ).map((r) => r.id)
}

/**
 * Which candidate areas lie mostly in (or mostly cover) the target: their common part is at least half of
 * the smaller of the two. Used for "the area's measures" and "the primärområden of a stadsområde" across
 * layers that do not nest.
 */
export async function overlappingAreas(db: Executor, targetId: number, candidateIds: readonly number[]): Promise<number[]> {
  if (candidateIds.length === 0) return []
  const { rows } = await sql<{ id: number }>`
    SELECT c.id FROM areas c JOIN areas t ON t.id = ${targetId}
    WHERE c.id = ANY(${[...candidateIds]}::int[]) AND c.geom && t.geom
      AND ST_Area(ST_Intersection(c.geom, t.geom)) >= 0.5 * LEAST(ST_Area(c.geom), ST_Area(t.geom))
    ORDER BY c.id`.execute(db)
  return rows.map((r) => r.id)
}

/** Creates a layer's row unless it is there already (the `plats` layer appears with the first place). */
export async function ensureLayer(db: Executor, layer: Insertable<AreaLayerTable>) {
  await db.insertInto('area_layers').values(layer).onConflict((oc) => oc.column('id').doNothing()).execute()
}
