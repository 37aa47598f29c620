/** H3 hexagon binning for point data shown as a hexagon grid (lon/lat, EPSG:4326). */
import { cellToBoundary, isValidCell, latLngToCell, POLYGON_TO_CELLS_FLAGS, polygonToCellsExperimental } from 'h3-js'

/** H3 resolution 8: cells of ~0.74 km² on average (edge ~0.53 km) — about a few city blocks in Göteborg. */
export const DEFAULT_HEX_RESOLUTION = 8

/** The H3 cell (hex string) containing (lon, lat) at `resolution` (0–15). */
export function hexCell(lon: number, lat: number, resolution: number): string {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    throw new RangeError(`hexCell: need finite lon in −180…180 and lat in −90…90, got lon=${lon}, lat=${lat}`)
  }
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) {
    throw new RangeError(`hexCell: resolution must be an integer in 0…15, got ${resolution}`)
  }
  // h3-js takes latitude first.
  return latLngToCell(lat, lon, resolution)
}

/**
 * The cell's outline as GeoJSON Polygon coordinates: one closed ring of [lon, lat], counter-clockwise
 * as RFC 7946 asks for exterior rings.
 */
export function hexBoundary(cell: string): number[][][] {
  if (typeof cell !== 'string' || !isValidCell(cell)) throw new RangeError(`hexBoundary: not a valid H3 cell: ${JSON.stringify(cell)}`)
  // GeoJSON mode gives [lng, lat] pairs, closed, counter-clockwise.
  const ring = cellToBoundary(cell, true).map(([lon, lat]) => [lon, lat])
  if (signedArea(ring) < 0) ring.reverse()
  return [ring]
}

/** Shoelace sum: positive for a counter-clockwise ring in lon/lat (small cells, no antimeridian here). */
function signedArea(ring: number[][]): number {
  let s = 0
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return s
}

/**
 * Every cell that overlaps the polygons (GeoJSON MultiPolygon coordinates, [lon, lat]), not only those whose
 * centre lies in them: the whole grid over an area, so that every point in the area has its cell in it and a
 * cell's existence says nothing about whether anything happened in it.
 */
export function hexCover(multiPolygon: number[][][][], resolution: number): string[] {
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) {
    throw new RangeError(`hexCover: resolution must be an integer in 0…15, got ${resolution}`)
  }
  const cells = new Set<string>()
  for (const polygon of multiPolygon) {
    for (const c of polygonToCellsExperimental(polygon, resolution, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true)) cells.add(c)
  }
  return [...cells].sort()
}
