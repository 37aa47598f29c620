import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import type { Crs, DateWindow } from './ogc.schema'

/**
 * The boundaries' public rows and every area's stored geometry (areas.geom, EPSG:3006, never simplified),
 * read from the shared tables: the figures come only through the sources the app composes.
 */

export interface BoundaryRow {
  id: number
  code: string
  name: string
  valid_from: string
  valid_to: string | null
}

/** A layer's areas valid on some day of the window (valid_to is exclusive), or every version ('any'). */
export async function boundaryRows(db: Kysely<Database>, layer: string, window: DateWindow | 'any'): Promise<BoundaryRow[]> {
  const w = window === 'any' ? { from: null, to: null } : window
  const { rows } = await sql<BoundaryRow>`
    SELECT id, code, name, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
    FROM areas
    WHERE layer_id = ${layer}
      ${window === 'any' ? sql`` : sql`AND valid_from <= ${w.to ?? '9999-12-31'}::date AND (valid_to IS NULL OR valid_to > ${w.from ?? '0001-01-01'}::date)`}
    ORDER BY code, valid_from, id`.execute(db)
  return rows
}

/**
 * Which of the areas intersect the box (x/y order, in the box's CRS), decided by PostGIS on the full
 * geometry. The box is densified before it is transformed, so its edges stay edges in EPSG:3006.
 */
export async function idsInBox(db: Kysely<Database>, ids: readonly number[], box: readonly [number, number, number, number], crs: Crs): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const step = crs.srid === 4326 ? 0.005 : 250
  const { rows } = await sql<{ id: number }>`
    WITH b AS (SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(${box[0]}::float8, ${box[1]}::float8, ${box[2]}::float8, ${box[3]}::float8, ${crs.srid}::int), ${step}::float8), 3006) AS g)
    SELECT a.id FROM areas a, b WHERE a.id = ANY(${[...ids]}::int[]) AND a.geom && b.g AND ST_Intersects(a.geom, b.g)`.execute(db)
  return new Set(rows.map((r) => r.id))
}

/** The areas' full geometry as GeoJSON text in the CRS, in its axis order (ST_Transform from EPSG:3006). */
export async function geometries(db: Kysely<Database>, ids: readonly number[], crs: Crs): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const g = sql`ST_Transform(geom, ${crs.srid}::int)`
  const { rows } = await sql<{ id: number; geometry: string }>`
    SELECT id, ST_AsGeoJSON(${crs.northingFirst ? sql`ST_FlipCoordinates(${g})` : g}, ${crs.decimals}::int) AS geometry
    FROM areas WHERE id = ANY(${[...ids]}::int[])`.execute(db)
  return new Map(rows.map((r) => [r.id, r.geometry]))
}

/** The areas' extent in CRS84 (lon/lat), from their EPSG:3006 extent densified and transformed. */
export async function extent(db: Kysely<Database>, ids: readonly number[]): Promise<[number, number, number, number] | null> {
  if (ids.length === 0) return null
  const { rows } = await sql<{ x1: number | null; y1: number; x2: number; y2: number }>`
    WITH e AS (SELECT ST_Transform(ST_Segmentize(ST_SetSRID(ST_Extent(geom)::geometry, 3006), 500), 4326) AS g FROM areas WHERE id = ANY(${[...ids]}::int[]))
    SELECT ST_XMin(g) AS x1, ST_YMin(g) AS y1, ST_XMax(g) AS x2, ST_YMax(g) AS y2 FROM e`.execute(db)
  const r = rows[0]
  if (!r || r.x1 === null) return null
  const round = (n: number) => Math.round(Number(n) * 1e6) / 1e6
  return [round(r.x1), round(r.y1), round(r.x2), round(r.y2)]
}
