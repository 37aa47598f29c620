import { describe, expect, it } from 'vitest'
import { crosswalk, weightingOf, type Block } from '../../server/spatial/crosswalk'

// Two source areas (1, 2) and two targets (10, 20) cut differently through four blocks:
// block a: 1→10 (pop 100), b: 1→20 (pop 300), c: 2→20 (pop 200), d: 2→20 (pop 200).
const blocks: Block[] = [
  { sourceId: 1, targetId: 10, population: 100, area: 5 },
  { sourceId: 1, targetId: 20, population: 300, area: 1 },
  { sourceId: 2, targetId: 20, population: 200, area: 1 },
  { sourceId: 2, targetId: 20, population: 200, area: 1 },
]
const src = (a: number | null, b: number | null, hideB = false) =>
  new Map([
    [1, { value: a, suppressed: false }],
    [2, { value: b, suppressed: hideB }],
  ])

describe('crosswalk through building blocks', () => {
  it('weights shares by population', () => {
    const { estimates, weighting } = crosswalk(blocks, src(10, 40), 'share')
    expect(weighting).toBe('population')
    expect(estimates.get(10)).toEqual({ value: 10, suppressed: false })
    // (10·300 + 40·200 + 40·200) / 700
    expect(estimates.get(20)!.value).toBeCloseTo(19000 / 700, 12)
  })

  it('spreads counts by population share within each source and keeps the total', () => {
    const { estimates } = crosswalk(blocks, src(80, 30), 'count')
    expect(estimates.get(10)!.value).toBeCloseTo(80 * (100 / 400), 12)
    expect(estimates.get(20)!.value).toBeCloseTo(80 * (300 / 400) + 30, 12)
    expect(estimates.get(10)!.value! + estimates.get(20)!.value!).toBeCloseTo(110, 12)
  })

  it('falls back to area weights when any population is missing', () => {
    const noPop = blocks.map((b, i) => (i === 0 ? { ...b, population: null } : b))
    expect(weightingOf(noPop)).toBe('area')
    const { estimates } = crosswalk(noPop, src(80, 30), 'count')
    expect(estimates.get(10)!.value).toBeCloseTo(80 * (5 / 6), 12)
  })

  it('hides a target built on a hidden value and leaves out one with a missing value', () => {
    const { estimates } = crosswalk(blocks, src(10, null, true), 'share')
    expect(estimates.get(10)).toEqual({ value: 10, suppressed: false })
    expect(estimates.get(20)).toEqual({ value: null, suppressed: true })
    const missing = crosswalk(blocks, src(10, null), 'share').estimates
    expect(missing.get(20)).toEqual({ value: null, suppressed: false })
  })

  it('does not touch its input', () => {
    const copy = JSON.stringify(blocks)
    crosswalk(blocks, src(1, 2), 'count')
    expect(JSON.stringify(blocks)).toBe(copy)
  })
})
