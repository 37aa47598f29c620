/**
 * The boundary store: writing area versions (with their repair, display geometry and nesting) and reading
 * a layer's row. Shared by the areas feature, the boundary and incident imports and the first-start load,
 * so none of them reaches into another's repository.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import { DISPLAY_GEOMETRY_VERSION, ownDisplayGeometry } from './display-geometry'
import { polygonHexEwkb } from './wkb'
import type { Database } from './schema'

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
  const hex = polygonHexEwkb(a.geometry, 3006)
  const source = hex === null ? sql`ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(${a.geometry})), 3006)` : sql`${hex}::geometry`
  const { rows } = await sql<{ id: number; reason: string | null }>`
    WITH src AS (SELECT ${source} AS g),
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
  const orphans = rows.filter((r) => !nestedRows.includes(r)).map((r) => r.code)
  const nested = rows.length > 0 && orphans.length === 0
  await recordNesting(db, childLayer, parentLayer, nestedRows.map((r) => ({ childId: r.child_id, parentId: r.parent_id!, share: Math.min(1, r.share!) })), nested)
  return { nested, orphans }
}

/**
 * Stores which children lie in which parents, and the layer pair as nesting when `nested` (every child has
 * its parent) or no longer so when not. computeNesting finds the pairs by geometry; a layer built of whole
 * children (geodata/seed.ts) knows them by construction.
 */
export async function recordNesting(
  db: Executor,
  childLayer: string,
  parentLayer: string,
  pairs: ReadonlyArray<{ childId: number; parentId: number; share: number }>,
  nested: boolean,
): Promise<void> {
  if (pairs.length > 0) {
    await db
      .insertInto('area_parents')
      .values(pairs.map((r) => ({ child_id: r.childId, parent_id: r.parentId, share: r.share })))
      .onConflict((oc) => oc.columns(['child_id', 'parent_id']).doNothing())
      .execute()
  }
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
}

export async function findLayer(db: Executor, id: string) {
  return db.selectFrom('area_layers').selectAll().where('id', '=', id).executeTakeFirst()
}
