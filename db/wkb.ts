/**
 * GeoJSON (Multi)Polygons as EWKB hex text, the form PostGIS reads fastest: on the embedded engine a
 * boundary of 85 000 vertices is parsed in ~30 ms from hex, ~400 ms from GeoJSON text.
 */

type Ring = unknown[]

/**
 * The polygon or multipolygon in `geojson` as hex EWKB with the given SRID (2D: a third ordinate is dropped,
 * as ST_Force2D does), or null when it is anything else — another geometry type, a coordinate that is not a
 * finite number, a ring that is not closed or has fewer than four positions. The caller then passes the
 * text to ST_GeomFromGeoJSON, which repairs or refuses it as before.
 */
export function polygonHexEwkb(geojson: string, srid: number): string | null {
  let g: { type?: unknown; coordinates?: unknown }
  try {
    g = JSON.parse(geojson)
  } catch {
    return null
  }
  if (!g || !Array.isArray(g.coordinates)) return null
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : null
  if (!polygons || polygons.length === 0) return null
  let size = 1 + 4 + 4 + 4
  for (const p of polygons) {
    if (!Array.isArray(p) || p.length === 0) return null
    size += 1 + 4 + 4
    for (const r of p as Ring[]) {
      if (!closedRing(r)) return null
      size += 4 + r.length * 16
    }
  }
  const b = Buffer.alloc(size)
  let o = 0
  // Little-endian multipolygon with an SRID (the EWKB flag 0x20000000).
  o = b.writeUInt8(1, o)
  o = b.writeUInt32LE(6 | 0x20000000, o)
  o = b.writeUInt32LE(srid, o)
  o = b.writeUInt32LE(polygons.length, o)
  for (const p of polygons as Ring[][]) {
    o = b.writeUInt8(1, o)
    o = b.writeUInt32LE(3, o)
    o = b.writeUInt32LE(p.length, o)
    for (const r of p) {
      o = b.writeUInt32LE(r.length, o)
      for (const c of r as number[][]) {
        o = b.writeDoubleLE(c[0]!, o)
        o = b.writeDoubleLE(c[1]!, o)
      }
    }
  }
  return b.toString('hex')
}

function closedRing(r: unknown): r is number[][] {
  if (!Array.isArray(r) || r.length < 4) return false
  for (const c of r) {
    if (!Array.isArray(c) || c.length < 2 || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return false
  }
  const first = r[0] as number[]
  const last = r[r.length - 1] as number[]
  return first[0] === last[0] && first[1] === last[1]
}
