import { describe, expect, it } from 'vitest'
import { cellKey, CITY, deriveCells, type StoredCell } from '../../server/core/derivation'
import { cubeProblem, disclosureCube } from '../../server/disclosure/cube'
import { disclose, needsSuppression } from '../../server/disclosure/primary'
import { recoverBySubtraction } from '../helpers/differencing-attack'

const cell = (value: number | null, numerator: number | null = value, denominator: number | null = null) => ({
  value,
  numerator,
  denominator,
  ciLow: value === null ? null : value - 1,
  ciHigh: value === null ? null : value + 1,
})

describe('primary suppression', () => {
  it('hides counts below the threshold, including zero, and keeps the population', () => {
    for (const n of [0, 1, 4]) {
      expect(disclose('count', 5, cell(n, n, 12000))).toEqual({ value: null, numerator: null, denominator: 12000, ciLow: null, ciHigh: null, suppressed: true })
    }
    expect(disclose('count', 5, cell(5, 5, 12000))).toMatchObject({ value: 5, suppressed: false })
  })

  it('honours a per-indicator threshold', () => {
    expect(needsSuppression('count', 10, cell(9))).toBe(true)
    expect(needsSuppression('count', 3, cell(3))).toBe(false)
  })

  it('hides a share built on a small numerator with its interval and its denominator, which would give the rest away', () => {
    const d = disclose('percent', 5, cell(3.2, 4, 125))
    expect(d).toEqual({ value: null, numerator: null, denominator: null, ciLow: null, ciHigh: null, suppressed: true })
  })

  it('hides a share whose group without the attribute is small: 39 of 40, and 40 of 40, are 1 and 0 people', () => {
    expect(needsSuppression('percent', 5, cell(97.5, 39, 40))).toBe(true)
    expect(needsSuppression('percent', 5, cell(100, 40, 40))).toBe(true)
    expect(needsSuppression('percent', 5, cell(87.5, 35, 40))).toBe(false)
    // A rate's denominator is the population: its complement is no group of anyone, and it stays shown.
    expect(needsSuppression('rate_per_1000', 5, cell(999, 999, 1000))).toBe(false)
    expect(disclose('rate_per_1000', 5, cell(2, 2, 1000))).toMatchObject({ suppressed: true, denominator: 1000 })
  })

  it('hides a share of a group smaller than the threshold, denominator too', () => {
    expect(disclose('percent', 5, cell(75, 3, 4))).toMatchObject({ suppressed: true, denominator: null })
    // 100 % of 4 people is 4 people.
    expect(needsSuppression('rate_per_1000', 5, cell(250, 1, 4))).toBe(true)
  })

  it('leaves index values and shares without a count basis alone', () => {
    expect(needsSuppression('index', 5, cell(1.2, 1, 2))).toBe(false)
    expect(needsSuppression('percent', 5, cell(12.5, null, null))).toBe(false)
  })

  it('does not touch missing values', () => {
    expect(disclose('count', 5, cell(null))).toMatchObject({ value: null, suppressed: false })
  })
})

describe('shares in the disclosure cube', () => {
  // Stadsområde 1 of primärområden 11, 12, 13; stadsområde 2 of 21, 22; the city of both.
  const areas = [1, 2, 11, 12, 13, 21, 22].map((id) => ({ id, layer: id < 10 ? 'stad' : 'prim', current: true }))
  const links = [11, 12, 13, 21, 22].map((child) => ({ child, parent: child < 20 ? 1 : 2 }))
  const share = (area: number, x: number, n: number): StoredCell => ({ area, period: '2024', value: (100 * x) / n, numerator: x, denominator: n, ciLow: null, ciHigh: null })
  // 39 of 40 and 12 of 14: one and two people without the attribute. Suppressed on the numerators alone, the
  // pair of them would be hidden together and the parent would give their complements' sum, 3.
  const stored = [share(11, 16, 22), share(12, 39, 40), share(13, 12, 14), share(21, 27, 33), share(22, 27, 38)]
  const derived = deriveCells({ unit: 'percent', stored, areas, nesting: [{ child: 'prim', parent: 'stad' }], links, grids: new Set(), cityLayer: 'stad' })
  const layerOf = new Map(areas.map((a) => [a.id, a.layer]))

  it('hides shares on their numerators, denominators and complements as counts, so none is recovered by subtraction', () => {
    const cube = disclosureCube({ unit: 'percent', threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'prim'] })
    const hidden = (a: number | typeof CITY) => cube.hidden.get(cellKey(a, '2024'))
    expect(hidden(12)).toBe('primary')
    expect(hidden(13)).toBe('primary')
    // A share's zero says it of everyone in the group: the LP audit holds it too (a count's zero holds nobody).
    expect(cubeProblem({ unit: 'percent', threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'prim'], category: 'brott' }).zerosSafe).toBe(false)
    expect(cube.secondary).toBeGreaterThan(0)
    // The attacker on the three tables, with every sum and each cell's d = n + c.
    const keys = [...derived.cells.keys()]
    const cells = new Map<string, number | null>()
    for (const k of keys) {
      const c = derived.cells.get(k)!
      const shown = !cube.hidden.has(k)
      cells.set(`n:${k}`, shown ? c.numerator : null)
      cells.set(`d:${k}`, shown ? c.denominator : null)
      cells.set(`c:${k}`, shown ? c.denominator! - c.numerator! : null)
    }
    const sums = [
      { total: cellKey(1, '2024'), parts: [11, 12, 13].map((a) => cellKey(a, '2024')) },
      { total: cellKey(2, '2024'), parts: [21, 22].map((a) => cellKey(a, '2024')) },
      { total: cellKey(CITY, '2024'), parts: [1, 2].map((a) => cellKey(a, '2024')) },
      { total: cellKey(CITY, '2024'), parts: [11, 12, 13, 21, 22].map((a) => cellKey(a, '2024')) },
    ]
    const relations = [
      ...['n', 'd', 'c'].flatMap((t) => sums.map((r) => ({ total: `${t}:${r.total}`, parts: r.parts.map((p) => `${t}:${p}`) }))),
      ...keys.map((k) => ({ total: `d:${k}`, parts: [`n:${k}`, `c:${k}`] })),
    ]
    for (const [id, iv] of recoverBySubtraction(cells, relations)) {
      expect(iv.lo === iv.hi, `${id} pinned to ${iv.lo}`).toBe(false)
      expect(iv.hi < 5, `${id} proven below the threshold`).toBe(false)
    }
  })

  it('leaves counts as they were: one table, the same verdicts', () => {
    const counts = stored.map((c) => ({ ...c, value: c.numerator, denominator: null }))
    const d = deriveCells({ unit: 'count', stored: counts, areas, nesting: [{ child: 'prim', parent: 'stad' }], links, grids: new Set(), cityLayer: 'stad' })
    const cube = disclosureCube({ unit: 'count', threshold: 5, derived: d, links, layerOf, partitionLayers: ['stad', 'prim'] })
    // No count is small: 39 is no problem as a count, only as 39 of 40.
    expect(cube.hidden.size).toBe(0)
    const small = deriveCells({ unit: 'count', stored: [...counts.slice(1), { ...counts[0]!, value: 1, numerator: 1 }], areas, nesting: [{ child: 'prim', parent: 'stad' }], links, grids: new Set(), cityLayer: 'stad' })
    const one = disclosureCube({ unit: 'count', threshold: 5, derived: small, links, layerOf, partitionLayers: ['stad', 'prim'] })
    expect([...one.hidden].filter(([, why]) => why === 'primary').map(([k]) => k)).toEqual([cellKey(11, '2024')])
  })
})
