import { describe, expect, it } from 'vitest'
import { cellKey, CITY, deriveCells, directParts, periodPartitions, sumFigures, type DerivationInput, type StoredCell } from '../../server/core/derivation'

// Two stadsområden (1, 2) of three primärområden (11, 12 in 1; 21 in 2); a grid of two cells (31, 32).
const AREAS: DerivationInput['areas'] = [
  { id: 1, layer: 'stad', current: true },
  { id: 2, layer: 'stad', current: true },
  { id: 11, layer: 'prim', current: true },
  { id: 12, layer: 'prim', current: true },
  { id: 21, layer: 'prim', current: true },
  { id: 31, layer: 'hex', current: true },
  { id: 32, layer: 'hex', current: true },
]
const LINKS = [
  { child: 11, parent: 1 },
  { child: 12, parent: 1 },
  { child: 21, parent: 2 },
]
const count = (area: number, period: string, value: number): StoredCell => ({ area, period, value, numerator: value, denominator: null, ciLow: null, ciHigh: null })
const months = (y: number) => Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`)

function derive(stored: StoredCell[], unit: DerivationInput['unit'] = 'count') {
  return deriveCells({ unit, stored, areas: AREAS, nesting: [{ child: 'prim', parent: 'stad' }], links: LINKS, grids: new Set(['hex']), cityLayer: 'stad' })
}
const value = (d: ReturnType<typeof derive>, area: number | typeof CITY, period: string) => d.cells.get(cellKey(area, period))?.value

describe('deriveCells', () => {
  it('decides per cell: months of a new year never hide the years before', () => {
    const stored = [
      ...[11, 12, 21].map((a) => count(a, '2024', a)),
      // A later import: months of 2025 on both layers.
      ...[11, 12, 21, 1, 2].flatMap((a) => months(2025).map((m) => count(a, m, 1))),
    ]
    const d = derive(stored)
    expect(value(d, 1, '2024')).toBe(23)
    expect(d.cells.get(cellKey(1, '2024'))!.how).toEqual({ kind: 'parts', fromLayer: 'prim' })
    expect(value(d, CITY, '2024')).toBe(44)
    expect(d.cells.get(cellKey(1, '2025-03'))!.how).toEqual({ kind: 'stored' })
    expect(value(d, 1, '2025')).toBe(24) // the stored months' sum equals the children's
    expect(value(d, CITY, '2025')).toBe(36)
  })

  it('prefers stored over parts over shorter periods', () => {
    const d = derive([
      count(1, '2024', 100),
      count(11, '2024', 3),
      count(12, '2024', 4),
      ...months(2024).map((m) => count(2, m, 2)),
      count(21, '2024', 30),
    ])
    expect(value(d, 1, '2024')).toBe(100) // stored wins over its parts (3 + 4)
    expect(value(d, 2, '2024')).toBe(30) // parts win over the area's own months (24)
    expect(d.cells.get(cellKey(2, '2024-Q1'))!.how).toEqual({ kind: 'periods' })
    expect(value(d, 2, '2024-Q1')).toBe(6)
  })

  it('sums only complete parts: a missing child or month leaves no figure', () => {
    const d = derive([count(11, '2024', 3), ...months(2024).slice(0, 11).map((m) => count(21, m, 1))])
    expect(d.cells.has(cellKey(1, '2024'))).toBe(false) // 12 has no value
    expect(value(d, 21, '2024-Q4')).toBeUndefined() // December is missing
    expect(value(d, 21, '2024-Q3')).toBe(3)
    expect(value(d, 21, '2024-H1')).toBe(6)
    expect(d.cells.has(cellKey(21, '2024'))).toBe(false)
    expect(value(d, 2, '2024-H1')).toBe(6) // from the child's derived half-year
    expect(d.cells.has(cellKey(CITY, '2024-H1'))).toBe(false) // stadsområde 1 has no months
  })

  it('builds quarters, halves and years from quarters alone', () => {
    const d = derive(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'].map((q, i) => count(21, q, i + 1)))
    expect(value(d, 21, '2024-H2')).toBe(7)
    expect(value(d, 21, '2024')).toBe(10)
    expect(value(d, 2, '2024')).toBe(10)
  })

  it('gives a grid cell without a stored count zero in the periods the grid has', () => {
    const d = derive(months(2024).map((m) => count(31, m, 2)))
    expect(value(d, 32, '2024-05')).toBe(0)
    expect(d.cells.get(cellKey(32, '2024-05'))!.how).toEqual({ kind: 'empty' })
    expect(value(d, 32, '2024')).toBe(0)
    expect(value(d, 31, '2024')).toBe(24)
    expect(d.cells.has(cellKey(32, '2023'))).toBe(false)
  })

  it('forms rates and shares from summed numerators and denominators, never from averaged shares, and never sums an index', () => {
    const share = (area: number, x: number, n: number): StoredCell => ({ area, period: '2024', value: (100 * x) / n, numerator: x, denominator: n, ciLow: 1, ciHigh: 2 })
    const d = derive([share(11, 1, 10), share(12, 45, 90), share(21, 50, 100)], 'percent')
    expect(value(d, 1, '2024')).toBeCloseTo(46) // 46 of 100, not the mean of 10 % and 50 %
    expect(d.cells.get(cellKey(1, '2024'))).toMatchObject({ numerator: 46, denominator: 100, ciLow: null, ciHigh: null })
    expect(value(d, CITY, '2024')).toBeCloseTo(48)
    const idx = derive([{ ...share(11, 1, 10), value: 3 }, { ...share(12, 1, 10), value: 4 }], 'index')
    expect(idx.cells.size).toBe(2)
    expect(sumFigures('index', [{ value: 1, numerator: null, denominator: null, ciLow: null, ciHigh: null }], 'areas')).toBeNull()
  })

  it('keeps a count’s population when summing areas, not when summing periods', () => {
    const withPop = (area: number, period: string, v: number, pop: number): StoredCell => ({ ...count(area, period, v), denominator: pop })
    const d = derive([withPop(11, '2024-H1', 1, 100), withPop(12, '2024-H1', 2, 200), withPop(11, '2024-H2', 1, 100), withPop(12, '2024-H2', 1, 200)])
    expect(d.cells.get(cellKey(1, '2024-H1'))!.denominator).toBe(300)
    expect(d.cells.get(cellKey(11, '2024'))!.denominator).toBeNull()
  })

  it('needs every current area of the city layer for the city', () => {
    const d = derive([count(1, '2024', 5)])
    expect(d.cells.has(cellKey(CITY, '2024'))).toBe(false)
  })
})

describe('period hierarchy', () => {
  it('splits each period into its direct parts and every partition below', () => {
    expect(directParts('2024')).toEqual(['2024-H1', '2024-H2'])
    expect(directParts('2024-H2')).toEqual(['2024-Q3', '2024-Q4'])
    expect(directParts('2024-Q4')).toEqual(['2024-10', '2024-11', '2024-12'])
    expect(directParts('2024-04')).toEqual([])
    expect(periodPartitions('2024').map((p) => p.length)).toEqual([2, 4, 12])
    // 1 January and 1 July 2024 are Mondays: the half-year is also exactly ISO weeks 1–26.
    expect(periodPartitions('2024-H1')).toEqual([
      ['2024-Q1', '2024-Q2'],
      ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'],
      Array.from({ length: 26 }, (_, i) => `2024-W${String(i + 1).padStart(2, '0')}`),
    ])
    expect(periodPartitions('2025-H1')).toHaveLength(2)
    expect(periodPartitions('2026-W10')).toEqual([])
  })
})

describe('weeks in the disclosure cube', () => {
  it('ties a quarter that runs Monday to Monday to its weeks, so one hidden week cannot be subtracted out', async () => {
    const { disclosureCube } = await import('../../server/disclosure/cube')
    // 2024-Q2 (1 April – 30 June 2024) is exactly weeks 14–26. Area 21 alone in stadsområde 2.
    const weeks = Array.from({ length: 13 }, (_, i) => `2024-W${14 + i}`)
    const weekly = weeks.map((w, i) => count(21, w, i === 4 ? 2 : 10)) // one week below the threshold
    const monthly = ['2024-04', '2024-05', '2024-06'].map((m, i) => count(21, m, [40, 40, 42][i]!))
    const d = derive([...weekly, ...monthly])
    expect(value(d, 21, '2024-Q2')).toBe(122) // summed from months, never from weeks
    expect(weekly.reduce((s, c) => s + c.value!, 0)).toBe(122)
    const cube = disclosureCube({ unit: 'count', threshold: 5, derived: d, links: [], layerOf: new Map(), partitionLayers: [] })
    const hidden = (p: string) => cube.hidden.has(cellKey(21, p))
    expect(hidden('2024-W18')).toBe(true)
    // Q2 and the twelve other weeks would give week 18 by subtraction: something else in that sum is hidden too.
    expect([...weeks.filter((w) => w !== '2024-W18'), '2024-Q2'].some(hidden)).toBe(true)
  })
})
