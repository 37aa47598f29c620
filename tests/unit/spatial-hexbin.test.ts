import * as turf from '@turf/turf'
import { booleanPointInPolygon } from '@turf/turf'
import { cellToLatLng, getHexagonAreaAvg, gridDisk } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { DEFAULT_HEX_RESOLUTION, hexBoundary, hexCell, hexCover } from '../../server/spatial/hexbin'

describe('hexCell / hexBoundary', () => {
  const places = [
    [11.9668, 57.704], // Domkyrkan
    [11.9, 57.75], // Hisingen
    [12.0454, 57.7765], // Hammarkullen
  ] as const

  it.each(places)('puts (%f, %f) in a cell whose outline contains it', (lon, lat) => {
    const cell = hexCell(lon, lat, DEFAULT_HEX_RESOLUTION)
    const polygon = hexBoundary(cell)
    expect(booleanPointInPolygon([lon, lat], { type: 'Polygon', coordinates: polygon })).toBe(true)
  })

  it('gives one closed, counter-clockwise lon/lat ring of a hexagon', () => {
    const rings = hexBoundary(hexCell(11.9668, 57.704, DEFAULT_HEX_RESOLUTION))
    expect(rings).toHaveLength(1)
    const ring = rings[0]!
    expect(ring).toHaveLength(7)
    expect(ring[0]).toEqual(ring[6])
    let twiceArea = 0
    for (let i = 0; i + 1 < ring.length; i++) twiceArea += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
    expect(twiceArea).toBeGreaterThan(0)
    for (const [lon, lat] of ring) {
      expect(lon).toBeCloseTo(11.97, 1)
      expect(lat).toBeCloseTo(57.70, 1)
    }
  })

  it('uses resolution 8, ~0.74 km² cells', () => {
    expect(DEFAULT_HEX_RESOLUTION).toBe(8)
    expect(getHexagonAreaAvg(DEFAULT_HEX_RESOLUTION, 'km2')).toBeCloseTo(0.737, 3)
  })

  it('returns fresh arrays on every call', () => {
    const cell = hexCell(11.9, 57.75, 8)
    const a = hexBoundary(cell)
    a[0]![0]![0] = 0
    expect(hexBoundary(cell)[0]![0]![0]).not.toBe(0)
  })

  it('rejects bad input precisely', () => {
    expect(() => hexCell(Number.NaN, 57, 8)).toThrow('hexCell: need finite lon in −180…180 and lat in −90…90, got lon=NaN, lat=57')
    expect(() => hexCell(57.7, 191.9, 8)).toThrow(/lat=191.9/)
    expect(() => hexCell(11.9, 57.7, 16)).toThrow('hexCell: resolution must be an integer in 0…15, got 16')
    expect(() => hexBoundary('nope')).toThrow('hexBoundary: not a valid H3 cell: "nope"')
  })
})

describe('hexCover', () => {
  // A 4 × 3 km box over central Göteborg, in lon/lat.
  const box = [[[11.93, 57.69], [11.996, 57.69], [11.996, 57.717], [11.93, 57.717], [11.93, 57.69]]]

  it('returns exactly the cells that overlap the polygon (checked with Turf, cell by cell), centre inside or not', () => {
    const cells = hexCover([box], 8)
    expect(cells.length).toBeGreaterThan(10)
    const poly = turf.polygon(box)
    const overlaps = (c: string) => turf.booleanIntersects(turf.polygon(hexBoundary(c)), poly)
    for (const c of cells) expect(overlaps(c), c).toBe(true)
    // Cells whose centre lies outside but which reach into the box are in: every point of the box has its cell.
    expect(cells.some((c) => { const [lat, lon] = cellToLatLng(c); return !turf.booleanPointInPolygon([lon, lat], poly) })).toBe(true)
    // Every neighbour not returned lies wholly outside: nothing at the edge is left out.
    const chosen = new Set(cells)
    for (const c of cells) {
      for (const n of gridDisk(c, 1)) if (!chosen.has(n)) expect(overlaps(n), n).toBe(false)
    }
  })

  it('merges the cells of several polygons without duplicates and refuses a bad resolution', () => {
    const shifted = [box[0]!.map(([lon, lat]) => [lon! + 0.03, lat!])]
    const a = hexCover([box], 8)
    const both = hexCover([box, shifted], 8)
    expect(new Set(both).size).toBe(both.length)
    expect(both.length).toBeGreaterThan(a.length)
    expect(() => hexCover([box], 16)).toThrow(RangeError)
  })
})
