import { sql, type Kysely, type Transaction } from 'kysely'
import { DISPLAY_GEOMETRY_VERSION, ownDisplayGeometry } from '../../../db/display-geometry'
import type { Database } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export interface NewArea {
  layerId: string
  code: string
  name: string
  validFrom: string
  validTo?: string | null
  /** GeoJSON Polygon or MultiPolygon in EPSG:3006. */
  geometry: string
  attributes?: Record<string, unknown>
  importId: number | null
  /**
   * The caller makes the display geometry of the whole set right after, in the same transaction
   * (refreshDisplayGeometry, db/display-geometry.ts): meanwhile the bounding box stands in (version 0),
   * rather than simplifying a polygon whose display geometry is about to be replaced.
   */
  displayLater?: boolean
}

/**
 * Inserts one area version. Invalid geometry is repaired with ST_MakeValid; the reason is returned so
 * the caller can report it. The display geometry made here is the area's alone (simplified by 3 m, reduced
 * to 1e-5° ≈ 1 m, outer rings counter-clockwise): right for a single drawn place; a layer's set of areas
 * that tile the ground gets its display geometry from refreshDisplayGeometry (db/display-geometry) once the
 * set is in (see displayLater).
 */
export async function insertArea(db: Executor, a: NewArea): Promise<{ id: number; repairedReason: string | null }> {
  const [display, version] = a.displayLater ? [sql`ST_Multi(ST_Transform(ST_Envelope(g), 4326))`, 0] : [ownDisplayGeometry(sql`g`), DISPLAY_GEOMETRY_VERSION]
  const { rows } = await sql<{ id: number; reason: string | null }>`
    WITH src AS (SELECT ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(${a.geometry})), 3006) AS g),
    chk AS (SELECT g, ST_IsValid(g) AS ok FROM src),
    fixed AS (
      SELECT CASE WHEN ok THEN NULL ELSE ST_IsValidReason(g) END AS reason,
             ST_Multi(ST_CollectionExtract(CASE WHEN ok THEN g ELSE ST_MakeValid(g) END, 3)) AS g
      FROM chk
    ),
    ins AS (
      INSERT INTO areas (layer_id, code, name, valid_from, valid_to, geom, geom_web, geom_web_version, attributes, import_id)
      SELECT ${a.layerId}, ${a.code}, ${a.name}, ${a.validFrom}::date, ${a.validTo ?? null}::date, g, ${display},
             ${version}, ${JSON.stringify(a.attributes ?? {})}::jsonb, ${a.importId}
      FROM fixed
      RETURNING id
    )
    SELECT ins.id, fixed.reason FROM ins, fixed`.execute(db)
  const row = rows[0]
  if (!row) throw new Error(`insertArea: nothing inserted for ${a.layerId}/${a.code}`)
  return { id: row.id, repairedReason: row.reason }
}

/**
 * Inserts many areas of geometry the application made itself (hexagons): valid by construction, so one
 * statement, no repair; neighbouring cells share their vertices exactly, so each is rounded alone. Returns
 * their ids by code.
 */
export async function insertGeneratedAreas(
  db: Executor,
  layerId: string,
  validFrom: string,
  importId: number | null,
  areas: Array<{ code: string; name: string; geometry: string }>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (let i = 0; i < areas.length; i += 1000) {
    const part = areas.slice(i, i + 1000)
    const { rows } = await sql<{ id: number; code: string }>`
      INSERT INTO areas (layer_id, code, name, valid_from, geom, geom_web, geom_web_version, import_id)
      SELECT ${layerId}, t.code, t.name, ${validFrom}::date, g,
             ST_ForcePolygonCCW(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_ReducePrecision(ST_Transform(g, 4326), 0.00001)), 3))),
             ${DISPLAY_GEOMETRY_VERSION}, ${importId}
      FROM (SELECT code, name, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geojson), 3006)) AS g
            FROM unnest(${part.map((a) => a.code)}::text[], ${part.map((a) => a.name)}::text[], ${part.map((a) => a.geometry)}::text[]) AS u(code, name, geojson)) t
      RETURNING id, code`.execute(db)
    for (const r of rows) out.set(r.code, r.id)
  }
  return out
}

/** The union of some areas as GeoJSON (EPSG:3006, full precision), for building derived layers. */
export async function unionGeoJSON(db: Executor, areaIds: number[]): Promise<string> {
  const { rows } = await sql<{ g: string }>`
    SELECT ST_AsGeoJSON(ST_Union(geom), 15) AS g FROM areas WHERE id = ANY(${areaIds}::int[])`.execute(db)
  const g = rows[0]?.g
  if (!g) throw new Error('unionGeoJSON: no geometry for the given areas')
  return g
}

/**
 * Records which child areas lie inside which parent areas (share of the child's area ≥ minShare), and
 * the layer pair as nesting when every child has such a parent. Returns the children that do not nest.
 */
export async function computeNesting(
  db: Executor,
  childLayer: string,
  parentLayer: string,
  minShare = 0.99,
): Promise<{ nested: boolean; orphans: string[] }> {
  const { rows } = await sql<{ child_id: number; code: string; parent_id: number | null; share: number | null }>`
    SELECT c.id AS child_id, c.code, best.parent_id, best.share
    FROM areas c
    LEFT JOIN LATERAL (
      SELECT p.id AS parent_id, ST_Area(ST_Intersection(c.geom, p.geom)) / ST_Area(c.geom) AS share
      FROM areas p
      WHERE p.layer_id = ${parentLayer} AND ST_Intersects(c.geom, p.geom)
        AND p.valid_from < coalesce(c.valid_to, 'infinity'::date) AND c.valid_from < coalesce(p.valid_to, 'infinity'::date)
      ORDER BY share DESC LIMIT 1
    ) best ON true
    WHERE c.layer_id = ${childLayer}`.execute(db)
  const nestedRows = rows.filter((r) => r.parent_id !== null && (r.share ?? 0) >= minShare)
  if (nestedRows.length > 0) {
    await db
      .insertInto('area_parents')
      .values(nestedRows.map((r) => ({ child_id: r.child_id, parent_id: r.parent_id!, share: Math.min(1, r.share!) })))
      .onConflict((oc) => oc.columns(['child_id', 'parent_id']).doNothing())
      .execute()
  }
  const orphans = rows.filter((r) => !nestedRows.includes(r)).map((r) => r.code)
  const nested = rows.length > 0 && orphans.length === 0
  if (nested) {
    await db
      .insertInto('layer_nesting')
      .values({ child_layer_id: childLayer, parent_layer_id: parentLayer })
      .onConflict((oc) => oc.columns(['child_layer_id', 'parent_layer_id']).doNothing())
      .execute()
  } else {
    // New boundaries can end a nesting that held before: summing through it would then be wrong.
    await db.deleteFrom('layer_nesting').where('child_layer_id', '=', childLayer).where('parent_layer_id', '=', parentLayer).execute()
  }
  return { nested, orphans }
}

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

export async function findLayer(db: Executor, id: string) {
  return db.selectFrom('area_layers').selectAll().where('id', '=', id).executeTakeFirst()
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
