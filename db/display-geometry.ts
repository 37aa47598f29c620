/**
 * The display geometry (areas.geom_web) of a layer's areas that tile the ground, made from all of them at
 * once so that shared edges are simplified once and stay shared. The geometry itself is made by a pure
 * function the caller hands over (server/spatial/display-geometry.ts: db/ never imports the server); here
 * are its reading, PostGIS's check of the result and its storing. Only geom_web changes, never geom.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from './schema'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * How the display geometry is made now (areas.geom_web_version); sets made by an older version are made
 * anew at start. 0: a stand-in while a set's display geometry is being made; 1: each polygon simplified
 * alone, clockwise (before shared edges).
 */
export const DISPLAY_GEOMETRY_VERSION = 2

/** Visvalingam's effective area (m²) below which a boundary vertex is not drawn: about what a 3 m tolerance dropped. */
export const DISPLAY_MIN_AREA_M2 = 30

/** Where PostGIS still finds a problem, vertices are kept within this radius, growing fourfold a round. */
const KEEP_RADIUS_M = 25
const MAX_ROUNDS = 3

/** An area's display geometry from its own geometry (EPSG:3006) alone: simplified by 3 m, on the 1e-5° grid, RFC 7946 winding. */
export const ownDisplayGeometry = (g: RawBuilder<unknown>) =>
  sql<string>`ST_ForcePolygonCCW(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_ReducePrecision(ST_Transform(ST_SimplifyPreserveTopology(${g}, 3), 4326), 0.00001)), 3)))`

export interface KeepNear {
  lon: number
  lat: number
  metres: number
}

/** The pure maker (displayGeometries of server/spatial/display-geometry.ts): WGS84 areas in, MultiPolygon coordinates out. */
export type MakeDisplayGeometry = (
  features: ReadonlyArray<{ id: number; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: any } }>,
  options: { minAreaM2: number; keep?: ReadonlyArray<KeepNear> },
) => Map<number, number[][][][]>

export interface DisplayRefresh {
  layer: string
  validFrom: string
  areas: number
  /** Places where PostGIS found a problem and vertices were kept around it. */
  kept: number
  /** Areas split by ST_Buffer(g, 0) (a ring pinched at a neck narrower than the grid) or that kept their display geometry. */
  repaired: number[]
  /** Problems left after the last round, other than pinched rings. */
  unresolved: string[]
}

/**
 * Makes the display geometry of a layer's areas loaded together (one valid_from): for a layer that tiles
 * the ground, from all of them at once with `make`; PostGIS checks the result, and where it finds an area
 * invalid or overlapping a neighbour (other than a pinched ring, which writeDisplayGeometry splits), the
 * vertices around that place are kept and the set is made again. Drawn places and hexagons get each their
 * own display geometry, as insertArea makes it.
 */
export async function refreshDisplayGeometry(db: Executor, layerId: string, validFrom: string, make: MakeDisplayGeometry): Promise<DisplayRefresh> {
  const layer = await db.selectFrom('area_layers').select('kind').where('id', '=', layerId).executeTakeFirst()
  if (!layer) throw new Error(`refreshDisplayGeometry: no layer ${layerId}`)
  const base = { layer: layerId, validFrom, kept: 0, repaired: [], unresolved: [] }
  if (layer.kind === 'drawn' || layer.kind === 'grid') return { ...base, areas: await remakeOwnDisplayGeometry(db, layerId, validFrom) }

  const features = (await setGeometryWgs84(db, layerId, validFrom)).map((r) => ({ id: r.id, geometry: JSON.parse(r.geometry) }))
  let keep: KeepNear[] = []
  let candidates: Array<{ id: number; geometry: string }> = []
  let fixable: Problem[] = []
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const made = make(features, { minAreaM2: DISPLAY_MIN_AREA_M2, keep })
    candidates = [...made].map(([id, coordinates]) => ({ id, geometry: JSON.stringify({ type: 'MultiPolygon', coordinates }) }))
    // A ring pinched where two of its stretches met in one grid cell is split at the write; keeping more
    // vertices would not help it.
    fixable = (await displayGeometryProblems(db, candidates)).filter((p) => p.problem !== 'Ring Self-intersection')
    if (fixable.length === 0 || round === MAX_ROUNDS) break
    keep = widen(keep, fixable)
  }
  const written = await writeDisplayGeometry(db, candidates)
  return {
    ...base,
    areas: candidates.length,
    kept: keep.length,
    repaired: [...written.repaired, ...written.kept],
    unresolved: fixable.map((p) => `${p.id}: ${p.problem} (${p.lon.toFixed(5)}, ${p.lat.toFixed(5)})`),
  }
}

/**
 * At start: every set of areas (layer, valid_from) whose display geometry an older version made — an
 * existing data directory or server database — is made anew, one set per transaction.
 */
export async function refreshStaleDisplayGeometry(db: Kysely<Database>, make: MakeDisplayGeometry): Promise<DisplayRefresh[]> {
  const stale = await db
    .selectFrom('areas')
    .select(['layer_id', 'valid_from'])
    .where('geom_web_version', '<', DISPLAY_GEOMETRY_VERSION)
    .groupBy(['layer_id', 'valid_from'])
    .orderBy('layer_id')
    .orderBy('valid_from')
    .execute()
  const out: DisplayRefresh[] = []
  for (const s of stale) out.push(await db.transaction().execute((trx) => refreshDisplayGeometry(trx, s.layer_id, s.valid_from, make)))
  return out
}

/** A new place to keep vertices around each problem; a place already kept grows fourfold instead (once a round). */
function widen(keep: readonly KeepNear[], problems: ReadonlyArray<{ lon: number; lat: number }>): KeepNear[] {
  const next = keep.map((k) => ({ ...k }))
  const touched = new Set<KeepNear>()
  for (const p of problems) {
    const near = next.find((k) => metresBetween(k, p) <= k.metres)
    if (!near) {
      const k = { lon: p.lon, lat: p.lat, metres: KEEP_RADIUS_M }
      next.push(k)
      touched.add(k)
    } else if (!touched.has(near)) {
      near.metres *= 4
      touched.add(near)
    }
  }
  return next
}

function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180
  const dx = (a.lon - b.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad)
  const dy = (a.lat - b.lat) * rad
  return 6_371_008.8 * Math.hypot(dx, dy)
}

/** The full geometry of a set in WGS84 (9 decimals, ~0.1 mm). */
async function setGeometryWgs84(db: Executor, layerId: string, validFrom: string) {
  const { rows } = await sql<{ id: number; geometry: string }>`
    SELECT id, ST_AsGeoJSON(ST_Transform(geom, 4326), 9) AS geometry FROM areas
    WHERE layer_id = ${layerId} AND valid_from = ${validFrom}::date ORDER BY id`.execute(db)
  return rows
}

type Problem = { id: number; lon: number; lat: number; problem: string }

/**
 * What PostGIS finds wrong with candidate display geometries (GeoJSON, WGS84): invalid ones, and where; and
 * neighbours whose interiors overlap where their full geometries do not, with a point in the overlap.
 */
async function displayGeometryProblems(db: Executor, candidates: ReadonlyArray<{ id: number; geometry: string }>): Promise<Problem[]> {
  const { rows } = await sql<Problem>`
    WITH c AS (
      SELECT u.id, ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326) AS g
      FROM unnest(${candidates.map((c) => c.id)}::int[], ${candidates.map((c) => c.geometry)}::text[]) AS u(id, g)),
    checked AS (SELECT c.id, c.g, ST_IsValidDetail(c.g) AS d FROM c),
    overlapping AS (
      SELECT x.id, ST_PointOnSurface(ST_CollectionExtract(ST_Intersection(x.g, y.g), 3)) AS p, y.id AS other
      FROM checked x JOIN checked y ON x.id < y.id AND x.g && y.g AND (x.d).valid AND (y.d).valid AND ST_Relate(x.g, y.g, '2********')
      JOIN areas fx ON fx.id = x.id JOIN areas fy ON fy.id = y.id
      WHERE NOT ST_Relate(fx.geom, fy.geom, '2********'))
    SELECT id, ST_X((d).location) AS lon, ST_Y((d).location) AS lat, (d).reason AS problem FROM checked WHERE NOT (d).valid
    UNION ALL
    SELECT id, ST_X(p), ST_Y(p), 'overlaps area ' || other FROM overlapping WHERE NOT ST_IsEmpty(p)
    ORDER BY 1, 2, 3`.execute(db)
  return rows
}

/**
 * Stores display geometries (GeoJSON, WGS84) as the current version. One still invalid — a ring pinched
 * where two of its stretches met in one grid cell — is split there by ST_Buffer(g, 0), which keeps what
 * winds the right way (a lobe, or a hole touching the shell) and moves no vertex, so shared edges stay
 * shared (and is faster than ST_MakeValid); failing that ST_MakeValid; one that cannot be an area keeps the
 * display geometry it had. Returns the ids split or kept.
 */
async function writeDisplayGeometry(db: Executor, rows: ReadonlyArray<{ id: number; geometry: string }>) {
  const out = { repaired: [] as number[], kept: [] as number[] }
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500)
    const { rows: done } = await sql<{ id: number; how: 'ok' | 'repaired' | 'kept' }>`
      WITH c AS MATERIALIZED (
        SELECT u.id, g, ST_IsValid(g) AS ok
        FROM unnest(${part.map((r) => r.id)}::int[], ${part.map((r) => r.geometry)}::text[]) AS u(id, text),
             ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(u.text), 4326)) AS g),
      -- Materialized, so each (costly) function runs once per row, not once per mention.
      buffered AS MATERIALIZED (SELECT id, g, ok, CASE WHEN NOT ok THEN ST_Multi(ST_Buffer(g, 0)) END AS b FROM c),
      fixed AS MATERIALIZED (
        SELECT id, ok, CASE
          WHEN ok THEN g
          WHEN ST_IsValid(b) AND NOT ST_IsEmpty(b) THEN ST_ForcePolygonCCW(b)
          ELSE ST_ForcePolygonCCW(ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3))) END AS g
        FROM buffered)
      UPDATE areas a SET geom_web = CASE WHEN ST_IsEmpty(f.g) THEN a.geom_web ELSE f.g END, geom_web_version = ${DISPLAY_GEOMETRY_VERSION}
      FROM fixed f WHERE a.id = f.id
      RETURNING a.id, CASE WHEN f.ok THEN 'ok' WHEN ST_IsEmpty(f.g) THEN 'kept' ELSE 'repaired' END AS how`.execute(db)
    for (const r of done) if (r.how !== 'ok') out[r.how].push(r.id)
  }
  return out
}

/** Each area's display geometry from its own geometry (drawn places, hexagons: nothing to share, or shared exactly already). */
async function remakeOwnDisplayGeometry(db: Executor, layerId: string, validFrom: string): Promise<number> {
  const r = await db
    .updateTable('areas')
    .set({ geom_web: ownDisplayGeometry(sql`geom`), geom_web_version: DISPLAY_GEOMETRY_VERSION })
    .where('layer_id', '=', layerId)
    .where('valid_from', '=', validFrom)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
