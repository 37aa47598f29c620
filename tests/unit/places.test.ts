import { describe, expect, it } from 'vitest'
import { checkPlace, circleCorners, formatArea } from '../../client/src/lib/places'

// Near Brunnsparken: one metre north is 1/111 320 degree; one metre east 1/(111 320·cos 57.7°).
const LAT = 57.707
const M_LAT = 1 / 111_320
const M_LON = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180))
const at = (eastM: number, northM: number): [number, number] => [11.967 + eastM * M_LON, LAT + northM * M_LAT]

describe('a drawn place, checked with Turf before it is saved', () => {
  it('accepts a 100 m square and measures it as about 1 ha', () => {
    const c = checkPlace([at(0, 0), at(100, 0), at(100, 100), at(0, 100)])
    expect(c.problems).toEqual([])
    expect(c.areaM2! / 10_000).toBeCloseTo(1, 2)
    expect(c.ring).toHaveLength(5)
    expect(c.ring![4]).toEqual(c.ring![0])
  })

  it('refuses a bow tie: its edges cross', () => {
    const c = checkPlace([at(0, 0), at(100, 100), at(100, 0), at(0, 100)])
    expect(c.problems.join()).toMatch(/korsar varandra/)
  })

  it('asks for three corners, and refuses a place the size of a district', () => {
    expect(checkPlace([at(0, 0), at(10, 0)]).problems.join()).toMatch(/minst tre hörn \(2 hittills\)/)
    expect(checkPlace([at(0, 0), at(3000, 0), at(3000, 3000), at(0, 3000)]).problems.join()).toMatch(/för stor.*\(8,9\d km²/)
    expect(checkPlace([at(0, 0), at(2, 0), at(2, 2)]).problems.join()).toMatch(/för liten/)
  })

  it('names an area in m², hectares or km² as its size calls for', () => {
    expect(formatArea(640)).toBe('640 m²')
    expect(formatArea(12_500)).toBe('1,3 ha')
    expect(formatArea(2_345_000)).toBe('2,35 km²')
  })

  it('draws a point with a radius as a circle of that radius', () => {
    const ring = circleCorners(at(0, 0), 100)
    expect(ring).toHaveLength(64)
    const c = checkPlace(ring)
    expect(c.problems).toEqual([])
    // A 64-gon inscribed in the circle: area = 32·r²·sin(2π/64), 0.16 % under π r².
    expect(c.areaM2! / (32 * 100 * 100 * Math.sin((2 * Math.PI) / 64))).toBeCloseTo(1, 2)
  })
})
