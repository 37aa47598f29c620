import { describe, expect, it } from 'vitest'
import { featureBounds } from '../../client/src/components/map/bounds'
import { labelPriority, placeLabels, type LabelBox } from '../../client/src/components/map/labels'

const VIEW = { width: 400, height: 300 }
const box = (id: number, x: number, y: number, o: Partial<LabelBox> = {}): LabelBox => ({
  id,
  x,
  y,
  width: 60,
  height: 14,
  priority: 1,
  areaWidth: 100,
  areaHeight: 100,
  ...o,
})

describe('placing area names', () => {
  it('keeps the larger area’s name where two would overlap, and both where they are apart', () => {
    expect([...placeLabels([box(1, 100, 100, { priority: 1 }), box(2, 120, 105, { priority: 5 })], VIEW)]).toEqual([2])
    expect([...placeLabels([box(1, 100, 100), box(2, 100, 140)], VIEW)].sort()).toEqual([1, 2])
  })

  it('leaves a gap between names', () => {
    // 60 px wide, 62 px apart: 2 px clear, less than the gap of 4.
    expect(placeLabels([box(1, 100, 100), box(2, 162, 100)], VIEW).size).toBe(1)
    expect(placeLabels([box(1, 100, 100), box(2, 165, 100)], VIEW).size).toBe(2)
  })

  it('shows no name of an area too small on screen to carry it, nor one running out of the view', () => {
    expect(placeLabels([box(1, 100, 100, { areaWidth: 30 })], VIEW).size).toBe(0)
    expect(placeLabels([box(1, 100, 100, { areaHeight: 10 })], VIEW).size).toBe(0)
    expect(placeLabels([box(1, 20, 100)], VIEW).size).toBe(0)
    expect(placeLabels([box(1, 100, 296)], VIEW).size).toBe(0)
  })

  it('keeps names clear of the "dolt" labels', () => {
    expect(placeLabels([box(1, 100, 100)], VIEW, [{ x: 100, y: 105, width: 30, height: 12 }]).size).toBe(0)
    expect(placeLabels([box(1, 100, 100)], VIEW, [{ x: 100, y: 125, width: 30, height: 12 }]).size).toBe(1)
  })

  it('chooses the same names for equal priorities whatever the order, and never piles up a dense layer', () => {
    const grid = Array.from({ length: 320 }, (_, i) => box(i + 1, 40 + (i % 20) * 16, 20 + Math.floor(i / 20) * 16, { width: 50 }))
    const a = placeLabels(grid, VIEW)
    expect(placeLabels([...grid].reverse(), VIEW)).toEqual(a)
    expect(a.size).toBeGreaterThan(0)
    expect(a.size).toBeLessThan(grid.length)
    const shown = grid.filter((b) => a.has(b.id))
    for (const p of shown) for (const q of shown) if (p !== q) expect(Math.abs(p.x - q.x) >= 50 + 4 || Math.abs(p.y - q.y) >= 14 + 4).toBe(true)
  })

  it('orders areas by their size, wider at the equator than at Göteborg’s latitude', () => {
    expect(labelPriority([11.9, 57.6, 12.0, 57.7])).toBeGreaterThan(labelPriority([11.9, 57.6, 11.95, 57.7]))
    expect(labelPriority([0, 0, 1, 1])).toBeGreaterThan(labelPriority([0, 57, 1, 58]))
  })
})

describe('featureBounds', () => {
  it('gives a feature’s extent as south-west and north-east corners, and null for an empty one', () => {
    const f = { type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [[[11.9, 57.6], [12.1, 57.6], [12, 57.8], [11.9, 57.6]]] } }
    expect(featureBounds(f)).toEqual([
      [11.9, 57.6],
      [12.1, 57.8],
    ])
    expect(featureBounds({ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [] } })).toBeNull()
    expect(featureBounds(null)).toBeNull()
  })
})
