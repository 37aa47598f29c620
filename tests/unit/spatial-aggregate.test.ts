import { describe, expect, it } from 'vitest'
import { buildEpochs, dayNumber, PointTally, type AreaVersion } from '../../server/spatial/aggregate'
import { DEFAULT_HEX_RESOLUTION } from '../../server/spatial/hexbin'

// Ten-metre squares in Göteborg (EPSG:3006), so the points also fall in real H3 cells.
const X = 319_000
const Y = 6_400_000
const square = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [[[X + x0, Y + y0], [X + x1, Y + y0], [X + x1, Y + y1], [X + x0, Y + y1], [X + x0, Y + y0]]],
})
const version = (id: number, layerId: string, geometry: AreaVersion['geometry'], validFrom = '2000-01-01', validTo: string | null = null): AreaVersion => ({
  id,
  layerId,
  validFrom,
  validTo,
  geometry,
})
const day = dayNumber('2024-03-15')

/** Area id → count in a slot, for the layer's epoch holding on a day. */
function countsOf(tally: PointTally, layerId: string, slot: number, on = day): Map<number, number> {
  const e = tally.epochs.filter((x) => x.layerId === layerId).find((x) => x.fromDay <= on && x.toDay > on)!
  return new Map(e.areaIds.map((id, pos) => [id, tally.count(e, pos, slot)] as const).filter(([, c]) => c > 0))
}

describe('PointTally', () => {
  const city = [version(1, 'city', square(0, 0, 10, 10)), version(2, 'city', square(10, 0, 20, 10))]

  it('counts per area and slot, a shared-edge point once, and points in no area apart', () => {
    const tally = new PointTally(buildEpochs(city), 'city', DEFAULT_HEX_RESOLUTION)
    const points: Array<[number, number, number]> = [[1, 1, 0], [2, 2, 0], [3, 3, 7], [15, 5, 7], [10, 5, 7], [10, 5, 0], [25, 5, 0], [Number.NaN, 5, 0]]
    for (const [x, y, slot] of points) tally.add(X + x, Y + y, day, slot)
    tally.flush()
    // (10, 5) lies on the shared edge: area 2, by the index's rule.
    expect(countsOf(tally, 'city', 0)).toEqual(new Map([[1, 2], [2, 1]]))
    expect(countsOf(tally, 'city', 7)).toEqual(new Map([[1, 1], [2, 2]]))
    expect([tally.accepted, tally.outside]).toEqual([6, 2])
    // Every counted point is in one H3 cell, each slot summed over the cells.
    const perSlot = [0, 7].map((s) => [...tally.cells.values()].reduce((sum, t) => sum + (t[s] ?? 0), 0))
    expect(perSlot).toEqual([3, 3])
    expect(tally.areasTouched()).toBe(2 + tally.cells.size)
  })

  it('counts only points inside the clip layer, in every layer, each in the version valid on its day', () => {
    const epochs = buildEpochs([
      ...city,
      // A layer reaching past the city, redrawn on 2024-01-01: one wide area before, two halves after.
      version(10, 'wide', square(0, 0, 30, 10), '2000-01-01', '2024-01-01'),
      version(11, 'wide', square(0, 0, 15, 10), '2024-01-01'),
      version(12, 'wide', square(15, 0, 30, 10), '2024-01-01'),
    ])
    const tally = new PointTally(epochs, 'city', DEFAULT_HEX_RESOLUTION)
    const before = dayNumber('2023-06-01')
    const ancient = dayNumber('1990-01-01')
    tally.add(X + 5, Y + 5, day, 0)
    tally.add(X + 18, Y + 5, day, 0)
    tally.add(X + 25, Y + 5, day, 0) // in 'wide' only: outside the city, so nowhere
    tally.add(X + 18, Y + 5, before, 1)
    tally.add(X + 5, Y + 5, ancient, 2) // before every version: the first one holds
    tally.flush()
    expect(countsOf(tally, 'wide', 0)).toEqual(new Map([[11, 1], [12, 1]]))
    expect(countsOf(tally, 'wide', 1, before)).toEqual(new Map([[10, 1]]))
    expect(countsOf(tally, 'wide', 2, before)).toEqual(new Map([[10, 1]]))
    expect(countsOf(tally, 'city', 0)).toEqual(new Map([[1, 1], [2, 1]]))
    expect(tally.outside).toBe(1)
  })

  it('counts the second, sparse profile slot only in the profile layers, and only points it accepts', () => {
    const grid = [version(10, 'fine', square(0, 0, 5, 10)), version(11, 'fine', square(5, 0, 20, 10))]
    const tally = new PointTally(buildEpochs([...city, ...grid]), 'city', DEFAULT_HEX_RESOLUTION, new Set(['fine']))
    tally.add(X + 1, Y + 1, day, 0, 40)
    tally.add(X + 2, Y + 2, day, 0, 40)
    tally.add(X + 6, Y + 2, day, 1, 3)
    tally.add(X + 25, Y + 5, day, 0, 40) // outside the city: nowhere
    tally.add(X + 7, Y + 2, day, 1) // no profile slot
    tally.flush()
    const fine = tally.epochs.find((e) => e.layerId === 'fine')!
    const counts = [...tally.profileCounts(fine)].map(([pos, slot, n]) => [fine.areaIds[pos], slot, n])
    expect(counts.sort()).toEqual([[10, 40, 2], [11, 3, 1]])
    expect([...tally.profileCounts(tally.epochs.find((e) => e.layerId === 'city')!)]).toEqual([])
    expect(countsOf(tally, 'fine', 1)).toEqual(new Map([[11, 2]]))
  })

  it('keeps its counts when the slots outgrow the counters, and rejects a bad slot', () => {
    const tally = new PointTally(buildEpochs(city), 'city', DEFAULT_HEX_RESOLUTION)
    for (let slot = 0; slot < 100; slot++) tally.add(X + 5, Y + 5, day, slot)
    tally.flush()
    expect(Array.from({ length: 100 }, (_, s) => countsOf(tally, 'city', s).get(1))).toEqual(Array(100).fill(1))
    expect(tally.count(tally.epochs[0]!, 0, 500)).toBe(0)
    expect(() => tally.add(X + 5, Y + 5, day, -1)).toThrow('PointTally.add: slot must be an integer ≥ 0, got -1')
  })

  it('builds one epoch per stretch of time with the same versions', () => {
    const epochs = buildEpochs([version(1, 'a', square(0, 0, 10, 10), '2010-01-01', '2020-01-01'), version(2, 'a', square(0, 0, 10, 10), '2020-01-01')])
    expect(epochs.map((e) => [e.from, e.to, e.areaIds])).toEqual([
      ['2010-01-01', '2020-01-01', [1]],
      ['2020-01-01', null, [2]],
    ])
  })
})
