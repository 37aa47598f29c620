/**
 * Tables nearly all hidden are not published (server/disclosure/unpublished.ts): which tables, that their
 * cells are hidden whole and leave the problem, that the overlay's inequalities then fall on the quarter
 * still published, and that an independent LP attacker who knows every sum and inequality, the unpublished
 * tables' included, learns no small count from what is published.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import loadHighs from 'highs'
import { cellKey, deriveCells } from '../../server/core/derivation'
import { cubeProblem, overlayOf, protectCube } from '../../server/disclosure/cube'
import type { LpSolver } from '../../server/disclosure/lp-audit'
import { unpublishedTables, UNPUBLISHED_MIN_CELLS } from '../../server/disclosure/unpublished'
import { lpBounds } from '../helpers/lp-attack'

let solver: LpSolver
beforeAll(async () => {
  solver = (await loadHighs()) as unknown as LpSolver
})

// A city (stadsområde 1) of primärområden 11, 12, 13, and a grid of 120 hexagons (100–219) over it.
// Hexagon 100 is half of 11 (6 robberies in January), 101 and 103 are all of 12 (101: 3 in February and 3
// in March; 103: 1 in January and 1 in March), and 13 is spread over 102 and 104–219, with two robberies a
// month in each of 104–107 and one in each of 102 and 108–121. So each month's hexagon table has at most one
// cell of 5 or more (1 of 120: under 5 %) and is not published, and the quarter has six (100, 101 and
// 104–107: 6 each; 5 %) and is. Primärområde 12 is hexagons 101 and 103 exactly: with 12's quarter (8) and
// 101's (6) shown, 103's (2) follows.
const HEXES = Array.from({ length: 120 }, (_, i) => 100 + i)
const MONTHS = ['2026-01', '2026-02', '2026-03']
const areas = [
  { id: 1, layer: 'stad', current: true },
  ...[11, 12, 13].map((id) => ({ id, layer: 'prim', current: true })),
  ...HEXES.map((id) => ({ id, layer: 'hex', current: true })),
]
const links = [11, 12, 13].map((child) => ({ child, parent: 1 }))
const layerOf = new Map(areas.map((a) => [a.id, a.layer]))
const nesting = [{ child: 'prim', parent: 'stad' }]
const hexValue = (hex: number, month: string): number => {
  if (hex === 100) return month === '2026-01' ? 6 : 0
  if (hex === 101) return month === '2026-01' ? 0 : 3
  if (hex === 103) return month === '2026-02' ? 0 : 1
  return hex >= 104 && hex <= 107 ? 2 : hex <= 121 ? 1 : 0
}
const primValue = (prim: number, month: string) =>
  prim === 11 ? hexValue(100, month) : prim === 12 ? hexValue(101, month) + hexValue(103, month) : HEXES.filter((h) => h === 102 || h >= 104).reduce((a, h) => a + hexValue(h, month), 0)
const row = (area: number, period: string, value: number) => ({ area, period, value, numerator: value, denominator: null, ciLow: null, ciHigh: null })
const stored = MONTHS.flatMap((m) => [...[11, 12, 13].map((p) => row(p, m, primValue(p, m))), ...HEXES.map((h) => row(h, m, hexValue(h, m)))])
const derived = deriveCells({ unit: 'count', stored, areas, nesting, links, grids: new Set(['hex']), cityLayer: 'stad' })
// Land (m²): each primärområde 100.
const land = new Map([[11, 100], [12, 100], [13, 100]])
const shares = [
  { target: 100, source: 11, share: 0.5 },
  { target: 102, source: 11, share: 0.5 },
  { target: 101, source: 12, share: 0.5 },
  { target: 103, source: 12, share: 0.5 },
  ...HEXES.filter((h) => h === 102 || h >= 104).map((h) => ({ target: h, source: 13, share: 1 / 117 })),
]
const overlay = overlayOf(shares, land)
const input = { unit: 'count' as const, threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'prim', 'hex'], overlay }

describe('tables not published', () => {
  it('are the tables of at least 100 cells with under 5 % of them at or above the threshold', () => {
    expect(HEXES.length).toBeGreaterThanOrEqual(UNPUBLISHED_MIN_CELLS)
    expect(derived.byLayerPeriod.get('hex|2026-Q1')?.length, 'the quarter is derived from the months').toBe(120)
    expect([...unpublishedTables(input)].sort()).toEqual(['hex|2026-01', 'hex|2026-02', 'hex|2026-03'])
    // Fewer than 100 cells: never, however empty (the primärområden of February hold one cell of 5 or more in three).
    expect(unpublishedTables({ ...input, threshold: 100 }).has('prim|2026-02')).toBe(false)
  })

  it('stay published where an earlier release showed a cell of them', () => {
    const release = { cells: [{ key: cellKey(100, '2026-01'), shown: true, basis: { value: 6, numerator: 6, denominator: null } }] }
    expect([...unpublishedTables({ ...input, releases: [release] })].sort()).toEqual(['hex|2026-02', 'hex|2026-03'])
    const hid = { cells: [{ key: cellKey(100, '2026-01'), shown: false, basis: { value: 6, numerator: 6, denominator: null } }] }
    expect(unpublishedTables({ ...input, releases: [hid] }).has('hex|2026-01')).toBe(true)
  })

  it('are hidden whole and left out of the problem; the quarter still published gets the inequalities its months had', () => {
    const unpublished = unpublishedTables(input)
    const full = cubeProblem(input)
    const problem = cubeProblem({ ...input, unpublished })
    const monthCells = MONTHS.flatMap((m) => HEXES.map((h) => cellKey(h, m)))
    expect(problem.keys.length).toBe(full.keys.length - monthCells.length)
    expect(problem.keys.filter((k) => monthCells.includes(k))).toEqual([])
    expect([...(problem.unpublished ?? [])].sort()).toEqual([...monthCells].sort())
    // Without the months, the quarter's hexagons and primärområde 12 are bounded by each other directly.
    const quarter = (p: typeof problem, area: number) => {
      const i = p.keys.indexOf(cellKey(area, '2026-Q1'))
      return (p.inequalities ?? []).filter((q) => q.lesser.includes(i) || q.greater.includes(i)).length
    }
    expect(quarter(full, 101) + quarter(full, 12)).toBe(0)
    expect(quarter(problem, 101)).toBeGreaterThan(0)
    expect(quarter(problem, 12)).toBeGreaterThan(0)

    const cube = protectCube(problem, 5, { solver })
    for (const k of monthCells) expect(cube.hidden.get(k), k).toBe('unpublished')
    expect(cube.unpublished).toBe(monthCells.length)
    expect(cube.hidden.has(cellKey(100, '2026-Q1'))).toBe(false)
  })

  it('give an LP attacker who knows every sum and inequality, theirs included, no small count', async () => {
    const cube = protectCube(cubeProblem({ ...input, unpublished: unpublishedTables(input) }), 5, { solver })
    expect(cube.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
    // The attacker's system is the whole cube's, the unpublished tables' sums and inequalities included.
    const full = cubeProblem(input)
    const name = (i: number) => full.keys[i]!
    const cells = new Map(full.keys.map((k, i) => [k, cube.hidden.has(k) ? null : full.values[i]!]))
    const relations = full.relations.map((r) => ({ total: name(r.total), parts: r.parts.map(name) }))
    const inequalities = (full.inequalities ?? []).map((q) => ({ lesser: q.lesser.map(name), greater: q.greater.map(name) }))
    expect(inequalities.length).toBeGreaterThan(0)
    const sensitive = full.keys.filter((k, i) => cube.hidden.has(k) && full.values[i]! < 5)
    expect(sensitive.length).toBeGreaterThan(360)
    const bounds = await lpBounds(cells, relations, sensitive, inequalities)
    for (const k of sensitive) {
      const b = bounds.get(k)!
      expect(b.hi, k).toBeGreaterThanOrEqual(5 - 1e-6)
      expect(b.hi - b.lo, k).toBeGreaterThanOrEqual(5 - 1e-6)
    }
  })
})
