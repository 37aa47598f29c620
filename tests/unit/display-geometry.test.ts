/**
 * displayGeometries on small made-up layers near Göteborg, checked with Turf (an independent geometry
 * engine): no overlaps, no gaps, validity, RFC 7946 winding, neighbours by shared vertices.
 */
import * as turf from '@turf/turf'
import type { Feature, MultiPolygon, Polygon } from 'geojson'
import { describe, expect, it } from 'vitest'
import { displayGeometries, type DisplayFeature } from '../../server/spatial/display-geometry'

// Metres east/north of a point in Göteborg, as lon/lat (locally flat: the shapes are at most a few hundred metres).
const LON0 = 11.95
const LAT0 = 57.7
const M_PER_DEG_LAT = 111_132
const M_PER_DEG_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180)
const at = (x: number, y: number) => [LON0 + x / M_PER_DEG_LON, LAT0 + y / M_PER_DEG_LAT]
const ring = (pts: Array<[number, number]>) => [...pts, pts[0]!].map(([x, y]) => at(x, y))
const polygon = (...rings: Array<Array<[number, number]>>): Polygon => ({ type: 'Polygon', coordinates: rings.map(ring) })
const rect = (x0: number, y0: number, x1: number, y1: number): Array<[number, number]> => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]

const asFeature = (coordinates: number[][][][]): Feature<MultiPolygon> => turf.multiPolygon(coordinates)
const vertexKeys = (coordinates: number[][][][]) => new Set(coordinates.flat(2).map(([x, y]) => `${x},${y}`))
const sharesVertex = (a: number[][][][], b: number[][][][]) => [...vertexKeys(a)].some((k) => vertexKeys(b).has(k))
const vertexCount = (coordinates: number[][][][]) => coordinates.flat(2).length

/** Area (m²) two outputs have in common, by Turf. */
function overlapM2(a: number[][][][], b: number[][][][]): number {
  const common = turf.intersect(turf.featureCollection([asFeature(a), asFeature(b)]))
  return common ? turf.area(common) : 0
}

/** A boundary from (x, y0) to (x, y1) that zigzags ±0.8 m every 5 m: detail the display drops. */
function zigzag(x: number, y0: number, y1: number): Array<[number, number]> {
  const pts: Array<[number, number]> = []
  for (let y = y0, k = 0; y <= y1; y += 5, k++) pts.push([x + (k % 2 ? 0.8 : -0.8) * (y === y0 || y === y1 ? 0 : 1), y])
  return pts
}

describe('displayGeometries', () => {
  it('simplifies a shared boundary once: neighbours keep it exactly, without overlap or gap', () => {
    const edge = zigzag(100, 0, 200)
    const west: DisplayFeature = { id: 1, geometry: polygon([[0, 0], ...edge, [0, 200]]) }
    const east: DisplayFeature = { id: 2, geometry: polygon([...[...edge].reverse(), [200, 0], [200, 200]]) }
    const out = displayGeometries([west, east], { minAreaM2: 30 })
    const [a, b] = [out.get(1)!, out.get(2)!]
    expect(vertexCount(a)).toBeLessThan(edge.length) // the zigzag went …
    expect(overlapM2(a, b)).toBeLessThan(1e-6)
    const union = turf.union(turf.featureCollection([asFeature(a), asFeature(b)]))!
    expect(union.geometry.type).toBe('Polygon') // … on both sides alike: one piece, no sliver between
    expect((union.geometry as Polygon).coordinates).toHaveLength(1)
    expect(turf.area(union)).toBeCloseTo(turf.area(asFeature(a)) + turf.area(asFeature(b)), 3)
    expect(turf.area(union)).toBeCloseTo(200 * 200, -2)
    // The shared boundary's vertices are the same on both sides.
    const onEdge = (c: number[][][][]) => [...vertexKeys(c)].filter((k) => Math.abs(Number(k.split(',')[0]) - at(100, 0)[0]!) < 2 / M_PER_DEG_LON).sort()
    expect(onEdge(a)).toEqual(onEdge(b))
    expect(onEdge(a).length).toBeGreaterThanOrEqual(2)
  })

  it('puts a corner that lies on a neighbour’s edge (a T-junction) into that edge, so all three are neighbours by vertex', () => {
    const top: DisplayFeature = { id: 1, geometry: polygon(rect(0, 100, 200, 200)) }
    const left: DisplayFeature = { id: 2, geometry: polygon(rect(0, 0, 100, 100)) }
    const right: DisplayFeature = { id: 3, geometry: polygon(rect(100, 0, 200, 100)) }
    const out = displayGeometries([top, left, right], { minAreaM2: 30 })
    expect(sharesVertex(out.get(1)!, out.get(2)!)).toBe(true)
    expect(sharesVertex(out.get(1)!, out.get(3)!)).toBe(true)
    expect(sharesVertex(out.get(2)!, out.get(3)!)).toBe(true)
    const corner = at(100, 100).map((v) => Math.round(v * 1e5) / 1e5).join(',')
    expect(vertexKeys(out.get(1)!).has(corner)).toBe(true)
    for (const [i, j] of [[1, 2], [1, 3], [2, 3]] as const) expect(overlapM2(out.get(i)!, out.get(j)!)).toBeLessThan(1e-6)
  })

  it('does not let a simplified coast swallow another area’s islet in a narrow bay', () => {
    // A 4 × 4 m bay in the north coast (16 m², under the 30 m² threshold) holds a 1 × 1 m islet of area 2.
    const coast: DisplayFeature = { id: 1, geometry: polygon([[0, 0], [100, 0], [100, 100], [52, 100], [52, 96], [48, 96], [48, 100], [0, 100]]) }
    const islet: DisplayFeature = { id: 2, geometry: polygon(rect(49.5, 97, 50.5, 98)) }
    const out = displayGeometries([coast, islet], { minAreaM2: 30 })
    expect(turf.area(asFeature(out.get(2)!))).toBeGreaterThan(0)
    expect(overlapM2(out.get(1)!, out.get(2)!)).toBe(0)
    // Without the islet the bay is detail, and goes.
    expect(vertexCount(displayGeometries([coast], { minAreaM2: 30 }).get(1)!)).toBe(5)
  })

  it('folds a strip narrower than a grid cell away instead of letting it overlap its neighbour', () => {
    // Area 1 reaches east along area 2's north edge in a strip 0.3 m wide and 100 m long.
    const strip: DisplayFeature = { id: 1, geometry: polygon([[-100, 0], [0, 0], [100, 0], [100, 0.3], [0, 0.3], [-100, 100]]) }
    const below: DisplayFeature = { id: 2, geometry: polygon([[0, -100], [100, -100], [100, 0], [0, 0]]) }
    const out = displayGeometries([strip, below], { minAreaM2: 30 })
    expect(overlapM2(out.get(1)!, out.get(2)!)).toBeLessThan(1e-6)
    for (const c of out.values()) expect(turf.booleanValid(asFeature(c))).toBe(true)
    expect(turf.area(asFeature(out.get(1)!))).toBeGreaterThan(4000)
  })

  it('keeps every area non-empty: a tiny island stays a triangle at least, an area smaller than a cell becomes its cell', () => {
    const archipelago: DisplayFeature = {
      id: 1,
      geometry: { type: 'MultiPolygon', coordinates: [polygon(rect(0, 0, 100, 100)).coordinates, polygon(rect(150, 0, 153, 3)).coordinates] },
    }
    const speck: DisplayFeature = { id: 2, geometry: polygon(rect(300, 300, 300.2, 300.2)) }
    const out = displayGeometries([archipelago, speck], { minAreaM2: 30 })
    const islands = out.get(1)!
    expect(islands).toHaveLength(2)
    expect(turf.area(turf.polygon(islands[1]!))).toBeGreaterThan(1)
    const cell = out.get(2)!
    expect(cell).toHaveLength(1)
    expect(turf.area(asFeature(cell))).toBeGreaterThan(0.3)
    expect(turf.area(asFeature(cell))).toBeLessThan(1)
  })

  it('winds outer rings counter-clockwise and holes clockwise (RFC 7946), whatever the input did', () => {
    const clockwiseWithHole = polygon([...rect(0, 0, 100, 100)].reverse(), rect(40, 40, 60, 60))
    const out = displayGeometries([{ id: 7, geometry: clockwiseWithHole }], { minAreaM2: 30 }).get(7)!
    expect(out).toHaveLength(1)
    expect(out[0]).toHaveLength(2)
    expect(turf.booleanClockwise(out[0]![0]!)).toBe(false)
    expect(turf.booleanClockwise(out[0]![1]!)).toBe(true)
  })

  it('puts every coordinate on the 1e-5° grid, so 5 decimals print it exactly', () => {
    const out = displayGeometries([{ id: 1, geometry: polygon([[0, 0], [73.3, 1.7], [120.1, 88.8], [3.3, 99.9]]) }], { minAreaM2: 30 })
    for (const [x, y] of out.get(1)!.flat(2)) {
      expect(Number(x!.toFixed(5))).toBe(x)
      expect(Number(y!.toFixed(5))).toBe(y)
    }
  })

  it('keeps every vertex near a place it is asked to', () => {
    const wiggly: DisplayFeature = { id: 1, geometry: polygon([[0, 0], ...zigzag(100, 0, 200), [0, 200]]) }
    const plain = vertexCount(displayGeometries([wiggly], { minAreaM2: 30 }).get(1)!)
    const [lon, lat] = at(100, 100) as [number, number]
    const kept = vertexCount(displayGeometries([wiggly], { minAreaM2: 30, keep: [{ lon, lat, metres: 30 }] }).get(1)!)
    expect(kept).toBeGreaterThan(plain + 8)
  })

  it('leaves its input untouched, and checks its arguments by name', () => {
    const input: DisplayFeature[] = [{ id: 1, geometry: polygon(rect(0, 0, 10, 10)) }]
    const copy = structuredClone(input)
    displayGeometries(input, { minAreaM2: 30 })
    expect(input).toEqual(copy)
    expect(displayGeometries([], { minAreaM2: 30 })).toEqual(new Map())
    expect(() => displayGeometries(input, { minAreaM2: -1 })).toThrow(/minAreaM2/)
    expect(() => displayGeometries(input, { minAreaM2: 30, gridDegrees: 3e-5 })).toThrow(/gridDegrees/)
    expect(() => displayGeometries([...input, ...input], { minAreaM2: 30 })).toThrow(/distinct/)
    expect(() => displayGeometries([{ id: 1, geometry: { type: 'Point', coordinates: [0, 0] } as never }], { minAreaM2: 30 })).toThrow(/Point/)
    expect(() => displayGeometries(input, { minAreaM2: 30, keep: [{ lon: Number.NaN, lat: 0, metres: 1 }] })).toThrow(/keep/)
  })
})
