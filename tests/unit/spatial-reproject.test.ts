import { describe, expect, it } from 'vitest'
import { SUPPORTED_CRS, inSweden3006, parseCrs, projectorFrom3006, projectorTo3006, type Crs } from '../../server/spatial/reproject'

// Reference values from PostGIS 3.3.2 (PROJ 9.1.1) ST_Transform, computed once with psql and pasted here:
//   SELECT ST_X(t), ST_Y(t) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3006) t …)
// [name, lon, lat, E 3006, N 3006, E 3007, N 3007]
const WGS84_POINTS = [
  ['Göteborg, Domkyrkan', 11.9668, 57.704, 319269.091550632, 6399801.637871623, 148020.61523004633, 6398316.1461925255],
  ['Hisingen', 11.9, 57.75, 315524.8692984745, 6405099.688516497, 144045.55906745192, 6403443.205979581],
  ['Stockholm', 18.0686, 59.3293, 674571.8664491447, 6580743.008330945, 495148.018048162, 6595096.463581597],
  ['Malmö', 13.0038, 55.605, 374243.758528557, 6163926.553424024, 213265.96862314345, 6165041.733180908],
  ['Kiruna', 20.2253, 67.8558, 719583.1230053491, 7536069.969924973, 495281.73656450526, 7552806.060398674],
  ['Smygehuk', 13.359, 55.337, 395914.30623270676, 6133519.622232228, 236234.73756979604, 6135588.636209517],
  ['Treriksröset', 20.548, 69.06, 721025.436599975, 7671056.546737196, 490131.51309866307, 7687869.941298529],
] as const

// [E 3006, N 3006, lon, lat, E 3007, N 3007]
const SWEREF_POINTS = [
  [319000, 6400000, 11.962141990790846, 57.70567108352358, 147743.00857945345, 6398502.404379029],
  [674000, 6580000, 18.05796533678305, 59.32287321764047, 494609.44136264484, 6594327.281520573],
  [500000, 7000000, 14.999999999999982, 63.129339712894044, 301304.61041526473, 7006335.716404024],
] as const

// [E 3007, N 3007, E 3006, N 3006]
const SWEREF_1200_POINTS = [
  [150000, 6400000, 321321.0569340874, 6401396.225930361],
  [120000, 6395000, 291127.4279380413, 6397728.606177906],
] as const

const MM = 1e-3
// 1 mm in degrees of latitude (and less than that of longitude this far north).
const MM_DEG = 1e-3 / 111_000

describe('projectorTo3006', () => {
  it.each(WGS84_POINTS)('%s: WGS84 → SWEREF99 TM and SWEREF99 12 00 within 1 mm of PostGIS', (_name, lon, lat, e, n, e7, n7) => {
    const [x, y] = projectorTo3006('EPSG:4326')(lon, lat)
    expect(Math.abs(x - e)).toBeLessThan(MM)
    expect(Math.abs(y - n)).toBeLessThan(MM)
    // And 3007 → 3006, starting from PostGIS's 3007 values.
    const [x2, y2] = projectorTo3006('EPSG:3007')(e7, n7)
    expect(Math.abs(x2 - e)).toBeLessThan(MM)
    expect(Math.abs(y2 - n)).toBeLessThan(MM)
  })

  it.each(SWEREF_1200_POINTS)('SWEREF99 12 00 (%f, %f) → SWEREF99 TM within 1 mm', (e7, n7, e, n) => {
    const [x, y] = projectorTo3006('EPSG:3007')(e7, n7)
    expect(Math.abs(x - e)).toBeLessThan(MM)
    expect(Math.abs(y - n)).toBeLessThan(MM)
  })

  it('passes SWEREF99 TM through unchanged', () => {
    expect(projectorTo3006('EPSG:3006')(319000.123, 6400000.456)).toEqual([319000.123, 6400000.456])
  })

  it('rejects an unknown CRS', () => {
    expect(() => projectorTo3006('EPSG:3857' as Crs)).toThrow('projectorTo3006: unsupported CRS "EPSG:3857"; expected one of EPSG:4326, EPSG:3006, EPSG:3007')
  })
})

describe('projectorFrom3006', () => {
  it.each(SWEREF_POINTS)('(%f, %f) → WGS84 and SWEREF99 12 00 within 1 mm of PostGIS', (e, n, lon, lat, e7, n7) => {
    const [x, y] = projectorFrom3006('EPSG:4326')(e, n)
    expect(Math.abs(x - lon)).toBeLessThan(MM_DEG)
    expect(Math.abs(y - lat)).toBeLessThan(MM_DEG)
    const [x7, y7] = projectorFrom3006('EPSG:3007')(e, n)
    expect(Math.abs(x7 - e7)).toBeLessThan(MM)
    expect(Math.abs(y7 - n7)).toBeLessThan(MM)
  })

  it('round-trips WGS84 → SWEREF99 TM → WGS84 to well under a millimetre', () => {
    const to = projectorTo3006('EPSG:4326')
    const from = projectorFrom3006('EPSG:4326')
    for (const [, lon, lat] of WGS84_POINTS) {
      const [x, y] = from(...to(lon, lat))
      expect(Math.abs(x - lon)).toBeLessThan(MM_DEG / 100)
      expect(Math.abs(y - lat)).toBeLessThan(MM_DEG / 100)
    }
  })
})

describe('parseCrs', () => {
  it.each([
    ['EPSG:3006', 'EPSG:3006'],
    ['epsg:3006', 'EPSG:3006'],
    ['3006', 'EPSG:3006'],
    ['SWEREF99 TM', 'EPSG:3006'],
    ['sweref99tm', 'EPSG:3006'],
    [' Sweref 99 TM ', 'EPSG:3006'],
    ['WGS84', 'EPSG:4326'],
    ['wgs 84', 'EPSG:4326'],
    ['EPSG:4326', 'EPSG:4326'],
    ['4326', 'EPSG:4326'],
    ['SWEREF99 12 00', 'EPSG:3007'],
    ['sweref99 1200', 'EPSG:3007'],
    ['EPSG:3007', 'EPSG:3007'],
  ])('%j → %s', (text, crs) => {
    expect(parseCrs(text)).toBe(crs)
  })

  it.each(['EPSG:3857', 'RT90', '', 'SWEREF99 13 30', 'EPSG:30061'])('%j → null', (text) => {
    expect(parseCrs(text)).toBeNull()
  })

  it('lists every CRS it parses', () => {
    expect([...SUPPORTED_CRS].sort()).toEqual(['EPSG:3006', 'EPSG:3007', 'EPSG:4326'])
  })
})

describe('inSweden3006', () => {
  it('accepts Swedish coordinates, including the extremes', () => {
    for (const [, , , e, n] of WGS84_POINTS) expect(inSweden3006(e, n)).toBe(true)
    expect(inSweden3006(917771, 7331549)).toBe(true) // Haparanda
  })

  it('rejects swapped axes, other CRSs and non-numbers', () => {
    expect(inSweden3006(6399801, 319269)).toBe(false) // axes swapped
    expect(inSweden3006(1271000, 6404000)).toBe(false) // RT90 2.5 gon V, Göteborg
    expect(inSweden3006(11.97, 57.7)).toBe(false) // degrees
    expect(inSweden3006(Number.NaN, 6400000)).toBe(false)
  })
})
