import { describe, expect, it } from 'vitest'
import { countByArea } from '../../server/spatial/aggregate'
import { AreaIndex } from '../../server/spatial/area-index'

const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]
const index = AreaIndex.build([
  { id: 1, coordinates: [square(0, 0, 10, 10)] },
  { id: 2, coordinates: [square(10, 0, 20, 10)] },
])

describe('countByArea', () => {
  it('counts per area and key, a shared-edge point once, and points in no area apart', () => {
    const batch = {
      xs: Float64Array.of(1, 2, 3, 15, 10, 10, 25, Number.NaN),
      ys: Float64Array.of(1, 2, 3, 5, 5, 5, 5, 5),
      keys: Int32Array.of(0, 0, 7, 7, 7, 0, 0, 0),
    }
    const copy = structuredClone(batch)
    const { counts, outside } = countByArea(index, batch)
    // (10, 5) lies on the shared edge: area 2, by the index's rule.
    expect(counts).toEqual(new Map([[1, new Map([[0, 2], [7, 1]])], [2, new Map([[7, 2], [0, 1]])]]))
    expect(outside).toBe(2)
    expect(batch).toEqual(copy)
  })

  it('returns nothing for an empty batch, and rejects mismatched keys', () => {
    expect(countByArea(index, { xs: new Float64Array(0), ys: new Float64Array(0), keys: new Int32Array(0) })).toEqual({ counts: new Map(), outside: 0 })
    expect(() => countByArea(index, { xs: new Float64Array(2), ys: new Float64Array(2), keys: new Int32Array(1) })).toThrow(
      'countByArea: 2 points but 1 keys',
    )
  })
})
