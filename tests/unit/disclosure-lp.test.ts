/**
 * The LP attacker as the audit: a planted table that only combining three sums breaks (the interval
 * heuristic alone passes it, an LP does not), the cube with the LP audit holding against an independent LP
 * attacker (tests/helpers/lp-attack.ts), merged interchangeable cells giving the same verdicts as unmerged
 * ones, identical areas as one cell, and the protection interval.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import loadHighs from 'highs'
import { cellKey, deriveCells } from '../../server/core/derivation'
import { cubeProblem, disclosureCube, overlayOf, protectCube, type CubeProblem, type Release } from '../../server/disclosure/cube'
import { lpAudit, type LpSolver } from '../../server/disclosure/lp-audit'
import { zerosHoldNobody } from '../../server/disclosure/primary'
import { attackIntervals, secondarySuppression, type Relation } from '../../server/disclosure/secondary'
import { seededRandom } from '../../geodata/demo'
import { lpBounds } from '../helpers/lp-attack'

let solver: LpSolver
beforeAll(async () => {
  solver = (await loadHighs()) as unknown as LpSolver
})

// The city and three areas (rows) × a quarter and its three months (columns); cell (a, p) = a * 4 + p.
//            Q   m1  m2  m3
// city      44   18   2  24
// area 1    26   12   0  14
// area 2     1    0   1   0
// area 3    17    6   1  10
const planted = {
  values: Float64Array.from([44, 18, 2, 24, 26, 12, 0, 14, 1, 0, 1, 0, 17, 6, 1, 10]),
  relations: [] as Relation[],
}
const at = (a: number, p: number) => a * 4 + p
for (let p = 0; p < 4; p++) planted.relations.push({ total: at(0, p), parts: [1, 2, 3].map((a) => at(a, p)) })
for (let a = 0; a < 4; a++) planted.relations.push({ total: at(a, 0), parts: [1, 2, 3].map((p) => at(a, p)) })
const primary = Uint8Array.from(planted.values, (v) => (v < 5 ? 1 : 0))

const names = (k: number) => `c${k}`
/** LP bounds of the hidden sensitive cells (below the threshold 5): those the protection rule is for. */
async function attack(values: Float64Array, hidden: Uint8Array, relations: readonly Relation[]) {
  const cells = new Map<string, number | null>()
  values.forEach((v, k) => cells.set(names(k), hidden[k] ? null : v))
  const rel = relations.map((r) => ({ total: names(r.total), parts: r.parts.map(names) }))
  const targets = [...values.keys()].filter((k) => hidden[k] && values[k]! < 5).map(names)
  return lpBounds(cells, rel, targets)
}

describe('the LP attacker', () => {
  it('breaks the planted table that the interval heuristic passes: cells are proven below 5 only by sums combined', async () => {
    for (const protection of [0, 5]) {
      const { suppressed } = secondarySuppression({ values: planted.values, primary, relations: planted.relations, threshold: 5, protection })
      // The interval attacker (the heuristic's own audit) sees nothing below the threshold ...
      const { hi } = attackIntervals(planted.values, suppressed, planted.relations)
      for (let k = 0; k < 16; k++) if (suppressed[k]) expect(hi[k]!, `interval bound of c${k}`).toBeGreaterThanOrEqual(5)
      // ... but an LP over the row and column sums at once does.
      const bounds = await attack(planted.values, suppressed, planted.relations)
      const broken = [...bounds].filter(([, b]) => b.hi < 5 - 1e-6).map(([id]) => id).sort()
      expect(broken.length, `protection ${protection}`).toBeGreaterThan(0)
      // The audit finds exactly those.
      const audit = lpAudit(solver, { values: planted.values, suppressed, relations: planted.relations, threshold: 5, protection: 1 })
      expect(audit.violations.map((v) => names(v.cell)).sort()).toEqual(broken)
    }
  })

  it('finds nothing the cube leaves open once the LP audit is part of suppression', async () => {
    const problem: CubeProblem = {
      keys: [...planted.values.keys()].map(names),
      tables: 1,
      values: planted.values,
      primary,
      relations: planted.relations,
      mergeKey: new Array<string>(16).fill(''),
      cellArea: Int32Array.from({ length: 16 }, (_, k) => Math.floor(k / 4)),
    }
    const cube = protectCube(problem, 5, { solver })
    expect(cube.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
    expect((cube.audit as { added: number }).added).toBeGreaterThan(0)
    const hidden = Uint8Array.from(problem.keys, (k) => (cube.hidden.has(k) ? 1 : 0))
    const bounds = await attack(planted.values, hidden, planted.relations)
    expect(bounds.size).toBeGreaterThan(0)
    for (const [id, b] of bounds) {
      expect(b.hi, `${id} proven below the threshold`).toBeGreaterThanOrEqual(5 - 1e-6)
      expect(b.hi - b.lo, `${id} narrowed below the protection interval`).toBeGreaterThanOrEqual(5 - 1e-6)
    }
  })

  it('gives the same verdicts with interchangeable hidden areas merged as without', () => {
    // A parent of eight leaves over a quarter and its months; leaves 5-8 hold only small counts (all hidden).
    const rand = seededRandom(11)
    for (let trial = 0; trial < 20; trial++) {
      const areas = 9, periods = 4
      const at2 = (a: number, p: number) => a * periods + p
      const values = new Float64Array(areas * periods)
      for (let a = 1; a < areas; a++) for (let p = 1; p < periods; p++) values[at2(a, p)] = a >= 5 ? Math.floor(rand() * 3) : Math.floor(rand() * 12)
      for (let a = 1; a < areas; a++) for (let p = 1; p < periods; p++) {
        values[at2(a, 0)]! += values[at2(a, p)]!
        values[at2(0, p)]! += values[at2(a, p)]!
        values[at2(0, 0)]! += values[at2(a, p)]!
      }
      const relations: Relation[] = []
      for (let p = 0; p < periods; p++) relations.push({ total: at2(0, p), parts: Array.from({ length: areas - 1 }, (_, a) => at2(a + 1, p)) })
      for (let a = 0; a < areas; a++) relations.push({ total: at2(a, 0), parts: [1, 2, 3].map((p) => at2(a, p)) })
      const prim = Uint8Array.from(values, (v) => (v < 5 ? 1 : 0))
      for (let a = 5; a < areas; a++) for (let p = 0; p < periods; p++) prim[at2(a, p)] = 1
      const { suppressed } = secondarySuppression({ values, primary: prim, relations, threshold: 5 })
      const merge = new Int32Array(values.length).fill(-1)
      for (let a = 5; a < areas; a++) for (let p = 0; p < periods; p++) merge[at2(a, p)] = p
      const plain = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5 })
      const merged = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5, merge })
      expect(merged.variables).toBeLessThan(plain.variables)
      const verdict = (r: typeof plain) => r.violations.map((v) => v.cell).sort((a, b) => a - b)
      expect(verdict(merged), `trial ${trial}`).toEqual(verdict(plain))
    }
  })

  it('shows a whole group of zeros short of the threshold with one exact LP: its duals bound the others', async () => {
    // The city and six areas × a quarter and its three months; every incident is in area 1, shown. Areas
    // 2–6 are zeros, hidden: the city's sums less area 1's pin all 20 of them to 0.
    const areas = 7
    const values = new Float64Array(areas * 4)
    const cell = (a: number, p: number) => a * 4 + p
    for (const a of [0, 1]) for (let p = 1; p < 4; p++) values[cell(a, p)] = 10 * p
    for (const a of [0, 1]) values[cell(a, 0)] = 60
    const relations: Relation[] = []
    for (let p = 0; p < 4; p++) relations.push({ total: cell(0, p), parts: [1, 2, 3, 4, 5, 6].map((a) => cell(a, p)) })
    for (let a = 0; a < areas; a++) relations.push({ total: cell(a, 0), parts: [1, 2, 3].map((p) => cell(a, p)) })
    const suppressed = Uint8Array.from(values, (_, c) => (Math.floor(c / 4) >= 2 ? 1 : 0))
    const audit = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5 })
    const bounds = await attack(values, suppressed, relations)
    const broken = [...bounds].filter(([, b]) => b.hi < 5 - 1e-6).map(([id]) => id).sort()
    expect(broken).toHaveLength(20)
    expect(audit.violations.map((v) => names(v.cell)).sort()).toEqual(broken)
    // Each reported bound holds (it is at least the independent attacker's) and is short of the threshold.
    for (const v of audit.violations) {
      expect(v.hi).toBeGreaterThanOrEqual(bounds.get(names(v.cell))!.hi - 1e-6)
      expect(v.hi).toBeLessThan(5)
    }
    // About one LP per period, not one per cell (20 without the duals).
    expect(audit.exactLps).toBeLessThanOrEqual(6)
  })

  it('proves sparse zeros by small LPs around each cell, moving what the last witness moved: verdicts as exact', async () => {
    // The city and 20 areas × a quarter and its months. Six incidents, all in area 1 in January; only
    // the city's quarter is shown. Each zero can reach 6 (the six moved to it), but one point holds only
    // one cell at 5: the rounds stall and, without near witnesses, each cell costs an exact LP over the
    // block. Area 2's months are pinned: its quarter is shown as 0.
    const areas = 21
    const values = new Float64Array(areas * 4)
    const cell = (a: number, p: number) => a * 4 + p
    values[cell(0, 0)] = values[cell(0, 1)] = values[cell(1, 0)] = values[cell(1, 1)] = 6
    const relations: Relation[] = []
    for (let p = 0; p < 4; p++) relations.push({ total: cell(0, p), parts: Array.from({ length: areas - 1 }, (_, a) => cell(a + 1, p)) })
    for (let a = 0; a < areas; a++) relations.push({ total: cell(a, 0), parts: [1, 2, 3].map((p) => cell(a, p)) })
    const suppressed = Uint8Array.from(values, (_, c) => (c !== cell(0, 0) && c !== cell(2, 0) ? 1 : 0))
    const audit = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5 })
    const bounds = await attack(values, suppressed, relations)
    const broken = [...bounds].filter(([, b]) => b.hi < 5 - 1e-6 || b.hi - b.lo < 5 - 1e-6).map(([id]) => id).sort()
    expect(broken, "area 2's months").toEqual([cell(2, 1), cell(2, 2), cell(2, 3)].map(names).sort())
    expect(audit.violations.map((v) => names(v.cell)).sort()).toEqual(broken)
    expect(audit.unfinished).toEqual([])
    // 76 zeros reach the threshold; near witnesses prove most of those the rounds leave (2 exact LPs and
    // 34 near witnesses here; 36 exact LPs without them).
    expect(audit.nearWitnesses).toBeGreaterThan(30)
    expect(audit.exactLps).toBeLessThan(10)
  })

  it('merges only cells that are interchangeable: a relation holding for one hidden area and not its sibling splits them', () => {
    // As above, but area 6's quarter is one more than its months (an official yearly figure beside imported
    // months): its quarter = Σ months relation does not hold and is not given, while areas 5, 7 and 8 have it.
    // Merged as one variable, their sum would be held to a row the data violate (an infeasible LP).
    const areas = 9, periods = 4
    const at2 = (a: number, p: number) => a * periods + p
    const values = new Float64Array(areas * periods)
    for (let a = 1; a < areas; a++) for (let p = 1; p < periods; p++) values[at2(a, p)] = a >= 5 ? 1 : 4 + a + p
    for (let a = 1; a < areas; a++) for (let p = 1; p < periods; p++) {
      values[at2(a, 0)]! += values[at2(a, p)]!
      values[at2(0, p)]! += values[at2(a, p)]!
    }
    values[at2(6, 0)]! += 1
    for (let a = 1; a < areas; a++) values[at2(0, 0)]! += values[at2(a, 0)]!
    const relations: Relation[] = []
    for (let p = 0; p < periods; p++) relations.push({ total: at2(0, p), parts: Array.from({ length: areas - 1 }, (_, a) => at2(a + 1, p)) })
    for (let a = 1; a < areas; a++) if (a !== 6) relations.push({ total: at2(a, 0), parts: [1, 2, 3].map((p) => at2(a, p)) })
    const suppressed = Uint8Array.from(values, (_, k) => (Math.floor(k / periods) >= 4 ? 1 : 0))
    const merge = new Int32Array(values.length).fill(-1)
    for (let a = 5; a < areas; a++) for (let p = 0; p < periods; p++) merge[at2(a, p)] = p
    const plain = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5 })
    const merged = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5, merge })
    expect(plain.unfinished).toEqual([])
    expect(merged.unfinished).toEqual([])
    const verdict = (r: typeof plain) => r.violations.map((v) => `${v.cell}:${v.lo}-${v.hi}`).sort()
    expect(verdict(merged)).toEqual(verdict(plain))
    expect(merged.variables).toBe(plain.variables)
  })
})

describe('the cube', () => {
  // Stadsområde 1 and lokalpolisområde 2 are the same primärområden 11, 12, 13 (as Hisingen is); the city is both.
  const areas = [1, 2, 11, 12, 13].map((id) => ({ id, layer: id === 1 ? 'stad' : id === 2 ? 'polis' : 'prim', current: true }))
  const links = [11, 12, 13].flatMap((child) => [{ child, parent: 1 }, { child, parent: 2 }])
  const layerOf = new Map(areas.map((a) => [a.id, a.layer]))
  const nesting = [{ child: 'prim', parent: 'stad' }, { child: 'prim', parent: 'polis' }]
  const stored = [
    { area: 11, period: '2024', value: 3, numerator: 3, denominator: null, ciLow: null, ciHigh: null },
    { area: 12, period: '2024', value: 40, numerator: 40, denominator: null, ciLow: null, ciHigh: null },
    { area: 13, period: '2024', value: 17, numerator: 17, denominator: null, ciLow: null, ciHigh: null },
  ]
  const derived = deriveCells({ unit: 'count', stored, areas, nesting, links, grids: new Set(), cityLayer: 'stad' })

  it('takes a zero as safe in the LP audit only where it holds nobody: a count of crimes or actions, never a share', () => {
    const input = { unit: 'count' as const, threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'polis', 'prim'] }
    expect(cubeProblem({ ...input, category: 'brott' }).zerosSafe).toBe(true)
    expect(cubeProblem({ ...input, category: 'riskfaktor' }).zerosSafe).toBe(false)
    expect(cubeProblem(input).zerosSafe).toBe(false)
    expect(zerosHoldNobody('count', 'aktivitet')).toBe(true)
    expect(zerosHoldNobody('rate_per_1000', 'brott')).toBe(true)
    // People with an attribute (a risk or protective factor), and shares: 0 says it of everyone there.
    expect(zerosHoldNobody('count', 'riskfaktor')).toBe(false)
    expect(zerosHoldNobody('count', 'skyddsfaktor')).toBe(false)
    expect(zerosHoldNobody('percent', 'brott')).toBe(false)
  })

  it('treats identical areas in two layers as one cell: hidden in one, hidden in its twin', () => {
    const cube = disclosureCube({ unit: 'count', threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'polis', 'prim'] }, { solver })
    expect(cube.hidden.has(cellKey(11, '2024'))).toBe(true)
    expect(cube.hidden.has(cellKey(1, '2024'))).toBe(cube.hidden.has(cellKey(2, '2024')))
  })

  it('holds every hidden cell to the protection interval: no [17, 18]', () => {
    const cube = disclosureCube({ unit: 'count', threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'polis', 'prim'] })
    const keys = [...derived.cells.keys()]
    const values = Float64Array.from(keys, (k) => derived.cells.get(k)!.value ?? 0)
    const hidden = Uint8Array.from(keys, (k) => (cube.hidden.has(k) ? 1 : 0))
    const index = new Map(keys.map((k, i) => [k, i]))
    const relations: Relation[] = [1, 2].map((p) => ({ total: index.get(cellKey(p, '2024'))!, parts: [11, 12, 13].map((c) => index.get(cellKey(c, '2024'))!) }))
    relations.push({ total: index.get(cellKey('city', '2024'))!, parts: [index.get(cellKey(1, '2024'))!] })
    const { lo, hi } = attackIntervals(values, hidden, relations)
    for (let k = 0; k < keys.length; k++) if (hidden[k]) expect(hi[k]! - lo[k]!, keys[k]).toBeGreaterThanOrEqual(5)
  })
})

describe('a zero of a count', () => {
  // The planted table's shape (the city and three areas × a quarter and its months) with the figures given.
  const table = (rows: number[][]) => {
    const values = new Float64Array(16)
    rows.forEach((r, a) => r.forEach((v, m) => {
      for (const c of [at(a + 1, m + 1), at(a + 1, 0), at(0, m + 1), at(0, 0)]) values[c]! += v
    }))
    return values
  }
  const cube = (values: Float64Array, zerosSafe: boolean) => {
    const problem: CubeProblem = {
      keys: [...values.keys()].map(names),
      tables: 1,
      values,
      primary: Uint8Array.from(values, (v) => (v < 5 ? 1 : 0)),
      relations: planted.relations,
      mergeKey: new Array<string>(16).fill(''),
      cellArea: Int32Array.from({ length: 16 }, (_, k) => Math.floor(k / 4)),
      zerosSafe,
    }
    return protectCube(problem, 5, { solver })
  }
  /** The independent attacker's verdict on every hidden small cell: those it proves below the rule. */
  const broken = async (values: Float64Array, c: ReturnType<typeof cube>) => {
    const hidden = Uint8Array.from(values, (_, k) => (c.hidden.has(names(k)) ? 1 : 0))
    const bounds = await attack(values, hidden, planted.relations)
    return [...bounds].filter(([, b]) => b.hi < 5 - 1e-6 || b.hi - b.lo < 5 - 1e-6).map(([id]) => `${id}=${values[Number(id.slice(1))]}`).sort()
  }

  it("holds nobody: the audit lets zeros be pinned (tau-Argus's empty cells safe), and fewer cells are hidden for them", async () => {
    //          Q   m1  m2  m3
    // area 1  28   12   2  14
    // area 2   1    0   0   1
    // area 3  16    6   0  10     (area 2's January and February and area 3's February: 0)
    const values = table([[12, 2, 14], [0, 0, 1], [6, 0, 10]])
    const safe = cube(values, true)
    // The three zeros the sums pin are left pinned; every hidden count of 1 to 4 still holds.
    expect(await broken(values, safe)).toEqual(['c10=0', 'c14=0', 'c9=0'])
    // As a share's table (0 with the attribute says it of everyone): one more cell hidden, nothing pinned.
    const held = cube(values, false)
    expect(await broken(values, held)).toEqual([])
    expect(held.hidden.size).toBe(safe.hidden.size + 1)
  })

  it('leaves every count from 1 to the threshold held against the LP attacker', async () => {
    // The sums pin area 2's February (1) and area 3's (1) with area 2's January (0).
    const values = table([[12, 0, 14], [0, 1, 0], [6, 1, 10]])
    const safe = cube(values, true)
    expect((safe.audit as { added: number }).added).toBeGreaterThan(0)
    expect(await broken(values, safe)).toEqual([])
  })
})

describe('containment between layers that do not nest', () => {
  // Primärområden 11, 12, 13 (3, 9, 20) and DeSO 21, 22, 23 (8, 8, 16), both covering the city (stadsområde 1).
  // DeSO 22 lies within primärområde 12, so 12 ≥ 8, and with the city's sum 11 = 12 − 12's share ≤ 4: a
  // small count that no sum alone gives away.
  const areas = [1, 11, 12, 13, 21, 22, 23].map((id) => ({ id, layer: id === 1 ? 'stad' : id < 20 ? 'prim' : 'deso', current: true }))
  const links = [11, 12, 13].map((child) => ({ child, parent: 1 }))
  const layerOf = new Map(areas.map((a) => [a.id, a.layer]))
  const nesting = [{ child: 'prim', parent: 'stad' }]
  const counts: Array<[number, number]> = [[11, 3], [12, 9], [13, 20], [21, 8], [22, 8], [23, 16]]
  const stored = counts.map(([area, v]) => ({ area, period: '2024', value: v, numerator: v, denominator: null, ciLow: null, ciHigh: null }))
  const derived = deriveCells({ unit: 'count', stored, areas, nesting, links, grids: new Set(), cityLayer: 'stad' })
  // Land (m²) of each primärområde, and the share of it lying in each DeSO: DeSO 21 is all of 11 and a quarter
  // of 13, DeSO 22 six tenths of 12 (and nothing else), DeSO 23 the rest.
  const land = new Map([[11, 10], [12, 10], [13, 20]])
  const shares = [
    { target: 21, source: 11, share: 1 },
    { target: 21, source: 13, share: 0.25 },
    { target: 22, source: 12, share: 0.6 },
    { target: 23, source: 12, share: 0.4 },
    { target: 23, source: 13, share: 0.75 },
  ]
  const overlay = overlayOf(shares, land)
  const input = { unit: 'count' as const, threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'prim', 'deso'] }
  const key = (id: number) => cellKey(id, '2024')

  it('reads within and meets off the land shares, both ways', () => {
    const of = new Map(overlay.map((o) => [o.area, o]))
    expect(of.get(21)).toEqual({ area: 21, within: [11], meets: [11, 13] })
    expect(of.get(22)).toEqual({ area: 22, within: [], meets: [12] })
    expect(of.get(12)).toEqual({ area: 12, within: [22], meets: [22, 23] })
    expect(of.get(11)).toEqual({ area: 11, within: [], meets: [21] })
  })

  /** The independent attacker's bounds on the hidden primärområde 11, knowing the overlay or not. */
  async function attack11(hidden: ReadonlySet<string>, withOverlay: boolean) {
    const problem = cubeProblem({ ...input, overlay })
    const cells = new Map(problem.keys.map((k, i) => [k, hidden.has(k) ? null : problem.values[i]!]))
    const name = (i: number) => problem.keys[i]!
    const relations = problem.relations.map((r) => ({ total: name(r.total), parts: r.parts.map(name) }))
    const inequalities = withOverlay ? problem.inequalities!.map((q) => ({ lesser: q.lesser.map(name), greater: q.greater.map(name) })) : []
    expect(problem.inequalities!.length).toBeGreaterThan(0)
    return (await lpBounds(cells, relations, [key(11)], inequalities)).get(key(11))!
  }

  it('breaks the sums-only pattern, and the cube that knows it holds', async () => {
    const plain = disclosureCube(input, { solver })
    expect(plain.hidden.get(key(11))).toBe('primary')
    const sumsOnly = await attack11(new Set(plain.hidden.keys()), false)
    expect(sumsOnly.hi).toBeGreaterThanOrEqual(5)
    const withOverlay = await attack11(new Set(plain.hidden.keys()), true)
    expect(withOverlay.hi, 'the overlay must break the sums-only pattern, or this test tests nothing').toBeLessThan(5)

    const cube = disclosureCube({ ...input, overlay }, { solver })
    expect(cube.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
    const b = await attack11(new Set(cube.hidden.keys()), true)
    expect(b.hi).toBeGreaterThanOrEqual(5 - 1e-6)
    expect(b.hi - b.lo).toBeGreaterThanOrEqual(5 - 1e-6)
  })

  it('counts, and does not fight, a small count an earlier release audited without the overlay already gave away', async () => {
    // Released with the sums-only pattern: with the overlay, 11 ≤ 4 follows from its shown figures alone.
    const plain = disclosureCube(input, { solver })
    const release: Release = { cells: [...derived.cells].map(([key, c]) => ({ key, shown: !plain.hidden.has(key), basis: c })) }
    expect((await attack11(new Set(plain.hidden.keys()), true)).hi, 'the release alone gives 11 away').toBeLessThan(5)
    const cube = disclosureCube({ ...input, overlay, releases: [release] }, { solver })
    // Nothing it hides or withholds could take that back: no cell hidden in vain, none withheld.
    expect(cube.audit).toMatchObject({ kind: 'lp', added: 0, unfinished: 0, disclosed: 1 })
    expect(cube.withheld).toBe(0)
    expect([...cube.hidden.keys()].sort()).toEqual([...plain.hidden.keys()].sort())
  })

  it('leaves out of the LP the inequalities the sums already imply, and keeps those that narrow', () => {
    // x and y hidden, x + y = 10 shown; z shown. x ≤ z: implied when z = 20 (x ≤ 10 anyway), binding when z = 3.
    const relations: Relation[] = [{ total: 2, parts: [0, 1] }]
    const suppressed = Uint8Array.from([1, 1, 0, 0])
    const inequalities = [{ lesser: [0], greater: [3] }]
    const audit = (z: number) => lpAudit(solver, { values: Float64Array.from([2, 8, 10, z]), suppressed, relations, inequalities, threshold: 5, protection: 5 })
    const implied = audit(20)
    expect(implied.rows).toBe(1)
    expect(implied.violations).toEqual([])
    const binding = audit(3)
    expect(binding.rows).toBe(2)
    expect(binding.violations.map((v) => v.cell)).toContain(0)
  })
})

/**
 * Two layers over one city that do not nest, each area × P periods with its year, the city per period and
 * its year. Pieces of land (an A-area's part of a B-area) hold small random counts; an A-area lying in one
 * B-area gives A ≤ B, and a B-area is at most the A-areas it meets. B is published per period only (its
 * periods are pieces of their own).
 */
function twoLayers(aMeets: number[][], B: number, P: number, seed: number) {
  const rand = seededRandom(seed)
  const A = aMeets.length
  const cols = P + 1 // the periods, then the year
  const cityAt = (p: number) => p
  const aAt = (a: number, p: number) => cols * (1 + a) + p
  const bAt = (b: number, p: number) => cols * (1 + A + b) + p
  const values = new Float64Array(cols * (1 + A + B))
  for (let p = 0; p < P; p++) {
    for (let a = 0; a < A; a++) {
      for (const b of aMeets[a]!) {
        const v = Math.floor(rand() * rand() * 14)
        for (const c of [aAt(a, p), bAt(b, p), cityAt(p), aAt(a, P), bAt(b, P), cityAt(P)]) values[c]! += v
      }
    }
  }
  const relations: Relation[] = []
  for (let p = 0; p < cols; p++) {
    relations.push({ total: cityAt(p), parts: aMeets.map((_, a) => aAt(a, p)) })
    relations.push({ total: cityAt(p), parts: Array.from({ length: B }, (_, b) => bAt(b, p)) })
  }
  for (let a = 0; a < A; a++) relations.push({ total: aAt(a, P), parts: Array.from({ length: P }, (_, p) => aAt(a, p)) })
  relations.push({ total: cityAt(P), parts: Array.from({ length: P }, (_, p) => cityAt(p)) })
  const inequalities: Array<{ lesser: number[]; greater: number[] }> = []
  for (let p = 0; p < P; p++) {
    aMeets.forEach((bs, a) => bs.length === 1 && inequalities.push({ lesser: [aAt(a, p)], greater: [bAt(bs[0]!, p)] }))
    for (let b = 0; b < B; b++) inequalities.push({ lesser: [bAt(b, p)], greater: aMeets.flatMap((bs, a) => (bs.includes(b) ? [aAt(a, p)] : [])) })
  }
  const primary = Uint8Array.from(values, (v) => (v < 5 ? 1 : 0))
  const { suppressed } = secondarySuppression({ values, primary, relations, threshold: 5, protection: 5 })
  return { values, relations, inequalities, primary, suppressed }
}

describe('a block the overlay joins, proven piece by piece', () => {
  const { values, relations, inequalities, primary, suppressed } = twoLayers([[0], [0], [0, 1], [1], [1, 2], [2], [2, 3], [3], [3], [0, 3]], 4, 8, 15)
  const audit = (extra: object) => lpAudit(solver, { values, suppressed, relations, inequalities, threshold: 5, protection: 5, audit: primary, ...extra })

  it('names, with each violation, shown cells of the rows that hold it: hiding one loosens the bound', async () => {
    const { violations } = audit({})
    expect(violations.length).toBeGreaterThan(0)
    const name = (k: number) => `c${k}`
    const rels = relations.map((q) => ({ total: name(q.total), parts: q.parts.map(name) }))
    const ineqs = inequalities.map((q) => ({ lesser: q.lesser.map(name), greater: q.greater.map(name) }))
    let near = 0, loosening = 0
    for (const v of violations) {
      let any = false
      for (const c of v.near ?? []) {
        expect(suppressed[c], `${name(c)} is shown`).toBe(0)
        // The independent attacker, with that cell hidden too.
        const cells = new Map([...values].map((x, k) => [name(k), suppressed[k] || k === c ? null : x]))
        const b = (await lpBounds(cells, rels, [name(v.cell)], ineqs)).get(name(v.cell))!
        near++
        if (b.hi > v.hi + 1e-6 || b.hi - b.lo > v.hi - v.lo + 1e-6) (loosening++, (any = true))
      }
      expect(any, `hiding one of ${name(v.cell)}'s cells loosens it`).toBe(true)
    }
    // The rows that bind, not every row of the block (38 of 56 here; of all the block's shown cells 38 of 671).
    expect(loosening / near).toBeGreaterThan(0.5)
  })

  it('says how far hiding each of those cells can lift a bound short of the threshold: never further, and 0 where it cannot', async () => {
    const { violations } = audit({})
    const name = (k: number) => `c${k}`
    const rels = relations.map((q) => ({ total: name(q.total), parts: q.parts.map(name) }))
    const ineqs = inequalities.map((q) => ({ lesser: q.lesser.map(name), greater: q.greater.map(name) }))
    let none = 0, some = 0
    for (const v of violations.filter((x) => x.gain)) {
      expect(v.gain).toHaveLength(v.near!.length)
      for (const [x, c] of v.near!.entries()) {
        const gain = v.gain![x]!
        const cells = new Map([...values].map((y, k) => [name(k), suppressed[k] || k === c ? null : y]))
        const b = (await lpBounds(cells, rels, [name(v.cell)], ineqs)).get(name(v.cell))!
        expect(b.hi, `${name(c)} hidden lifts ${name(v.cell)} by at most ${gain}`).toBeLessThanOrEqual(v.hi + gain + 1e-6)
        if (gain === 0) none++
        else if (Number.isFinite(gain)) some++
      }
    }
    // Both kinds occur: the binding rows hold cells that cannot help (their duals cancel) and cells that can.
    expect(none).toBeGreaterThan(0)
    expect(some).toBeGreaterThan(0)
  })

  it('gives the verdicts of the whole block, with witnesses that hold in it', () => {
    const whole = audit({})
    const pieces = audit({ localFrom: 0 })
    const cells = (r: typeof whole) => r.violations.map((v) => v.cell).sort((a, b) => a - b)
    expect(cells(pieces)).toEqual(cells(whole))
    const bounds = new Map(whole.violations.map((v) => [v.cell, v]))
    for (const v of pieces.violations) {
      expect(v.hi).toBeCloseTo(bounds.get(v.cell)!.hi, 6)
      expect(v.lo).toBeCloseTo(bounds.get(v.cell)!.lo, 6)
    }
    // The instance is one the inequalities break (else the pieces could prove anything and still agree).
    const sumsOnly = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5, audit: primary })
    expect(whole.violations.length).toBeGreaterThan(sumsOnly.violations.length)
    // And the pieces prove cells on their own: fewer are left for the exact LPs.
    expect(pieces.exactLps).toBeLessThan(whole.exactLps)
  })
})

/** Stadsområde 1 made of primärområden 11 and 12, counts stored as months of 2025 (quarters, halves, year follow). */
const twoAreas = (() => {
  const areas = [1, 11, 12].map((id) => ({ id, layer: id === 1 ? 'stad' : 'prim', current: true }))
  const links = [11, 12].map((child) => ({ child, parent: 1 }))
  const layerOf = new Map(areas.map((a) => [a.id, a.layer]))
  const nesting = [{ child: 'prim', parent: 'stad' }]
  return {
    month: (area: number, m: string, v: number) => ({ area, period: `2025-${m}`, value: v, numerator: v, denominator: null, ciLow: null, ciHigh: null }),
    /** The cube's input (threshold 5) for these stored months. */
    input(stored: Parameters<typeof deriveCells>[0]['stored']) {
      const derived = deriveCells({ unit: 'count', stored, areas, nesting, links, grids: new Set(), cityLayer: 'stad' })
      return { unit: 'count' as const, threshold: 5, derived, links, layerOf, partitionLayers: ['stad', 'prim'] }
    },
  }
})()

describe('a large block the overlay joins', () => {
  // 400 A-areas in 100 B-areas (every fifth meets two) over 8 periods: one block of thousands of variables,
  // where the witness rounds cap the open cells once and change only the costs.
  const A = 400, B = 100
  const aMeets = Array.from({ length: A }, (_, a) => {
    const b = Math.floor((a * B) / A)
    return a % 5 === 4 && b + 1 < B ? [b, b + 1] : [b]
  })
  const { values, relations, inequalities, primary, suppressed } = twoLayers(aMeets, B, 8, 21)

  it('passes only cells the independent attacker cannot narrow beyond the rule, and fails only those it can', async () => {
    // The attacker's LPs over the whole system are dear: audited are the sensitive hidden cells that interval
    // propagation holds closest to the rule (at most 6), every third of them; the block is the same, every
    // hidden cell a variable.
    const { hi } = attackIntervals(values, suppressed, relations, false, inequalities)
    const sensitive = [...values.keys()].filter((k) => suppressed[k] && primary[k] && hi[k]! <= 6)
    const audited = sensitive.filter((_, x) => x % 3 === 0)
    const audit = lpAudit(solver, { values, suppressed, relations, inequalities, threshold: 5, protection: 5, audit: Uint8Array.from(values, (_, k) => (audited.includes(k) ? 1 : 0)) })
    expect(audit.variables).toBeGreaterThan(1500)
    expect(audit.rounds).toBeGreaterThan(0)
    const failed = new Set(audit.violations.map((v) => v.cell))
    const name = (k: number) => `c${k}`
    const cells = new Map([...values].map((x, k) => [name(k), suppressed[k] ? null : x]))
    const rels = relations.map((q) => ({ total: name(q.total), parts: q.parts.map(name) }))
    const ineqs = inequalities.map((q) => ({ lesser: q.lesser.map(name), greater: q.greater.map(name) }))
    const bounds = await lpBounds(cells, rels, audited.map(name), ineqs)
    const held = (k: number) => {
      const b = bounds.get(name(k))!
      return b.hi >= 5 - 1e-6 && b.hi - b.lo >= 5 - 1e-6
    }
    expect(audited.filter((k) => failed.has(k) === held(k)).map(name)).toEqual([])
    // The rule is not trivially met: the containment narrows some of them.
    expect(failed.size).toBeGreaterThan(0)
  })
})

describe('releases audited together', () => {
  // Primärområde 11: July 2 (a small count), August 5, September 6; primärområde 12: 20 a month.
  const { month } = twoAreas
  const stored = [month(11, '07', 2), month(11, '08', 5), month(11, '09', 6), ...['07', '08', '09'].map((m) => month(12, m, 20))]
  const input = twoAreas.input(stored)
  const derived = input.derived
  const problem = cubeProblem(input)
  const released = (cube: { hidden: ReadonlyMap<string, unknown> }): Release => ({
    cells: problem.keys.map((key) => ({ key, shown: !cube.hidden.has(key), basis: derived.cells.get(key)! })),
  })
  /** An attacker holding both releases of the same figures: what either shows is known. */
  const both = (a: Release, b: Release) => Uint8Array.from(problem.keys, (_, i) => (a.cells[i]!.shown || b.cells[i]!.shown ? 0 : 1))

  it('keeps what an earlier release showed or hid, so that the two together give away no small count', async () => {
    const plain = disclosureCube(input, { solver })
    const jul = cellKey(11, '2025-07')
    expect(plain.hidden.get(jul)).toBe('primary')
    // An earlier release that chose September where this cube chooses August, in both primärområden (another
    // cube, other figures elsewhere): protected on its own ...
    for (const a of [11, 12]) expect([plain.hidden.has(cellKey(a, '2025-08')), plain.hidden.has(cellKey(a, '2025-09'))]).toEqual([true, false])
    const swap = (key: string) => (key.endsWith('-08') ? key.replace('-08', '-09') : key.endsWith('-09') ? key.replace('-09', '-08') : key)
    const first: Release = { cells: problem.keys.map((key) => ({ key, shown: !plain.hidden.has(swap(key)), basis: derived.cells.get(key)! })) }
    for (const [, b] of await attack(problem.values, both(first, first), problem.relations)) expect(b.hi).toBeGreaterThanOrEqual(5)
    // ... but with this cube's: July = Q3 − August − September.
    const naive = await attack(problem.values, both(first, released(plain)), problem.relations)
    expect(naive.get(`c${problem.keys.indexOf(jul)}`)).toEqual({ lo: 2, hi: 2 })

    const cube = disclosureCube({ ...input, releases: [first] }, { solver })
    expect(cube.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
    for (const c of first.cells) expect(cube.hidden.has(c.key), c.key).toBe(!c.shown)
    for (const [id, b] of await attack(problem.values, both(first, released(cube)), problem.relations)) {
      expect(b.hi, id).toBeGreaterThanOrEqual(5 - 1e-6)
      expect(b.hi - b.lo, id).toBeGreaterThanOrEqual(5 - 1e-6)
    }
  })

  it('hides a small correction of a value a release hid, and the two releases together do not show it to be small', async () => {
    const first = released(disclosureCube(input, { solver }))
    // One incident of August added in primärområde 11: 5 → 6, hidden then (to protect July), no longer small.
    const aug = cellKey(11, '2025-08')
    expect(first.cells.find((c) => c.key === aug)!.shown).toBe(false)
    const later = twoAreas.input(stored.map((r) => (r.area === 11 && r.period === '2025-08' ? { ...r, value: 6, numerator: 6 } : r))).derived
    const p2 = cubeProblem({ ...input, derived: later, releases: [first] })
    expect(p2.releases!.differences.length).toBeGreaterThan(0)
    const cube = disclosureCube({ ...input, derived: later, releases: [first] }, { solver })
    expect(cube.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
    expect(cube.withheld).toBe(0)
    expect(cube.hidden.get(aug)).toBe('release')
    // The attacker, written apart from the audit, holding both releases: a changed cell is two unknowns (then
    // and now), an unchanged one is one, known if either release shows it; `d` is now − then for August in 11.
    const then = new Map(first.cells.map((c) => [c.key, c]))
    const unchanged = (k: string) => then.get(k)!.basis.value === later.cells.get(k)!.value
    const name = (tag: string, k: string) => (unchanged(k) ? k : `${tag}:${k}`)
    const cells = new Map<string, number | null>()
    p2.keys.forEach((k, i) => {
      const old = then.get(k)!
      const now = cube.hidden.has(k) ? null : p2.values[i]!
      if (unchanged(k)) cells.set(k, old.shown ? old.basis.value : now)
      else {
        cells.set(`r1:${k}`, old.shown ? old.basis.value : null)
        cells.set(`r2:${k}`, now)
      }
    })
    cells.set('d', null)
    const relations = [
      ...problem.relations.map((r) => ({ total: name('r1', problem.keys[r.total]!), parts: r.parts.map((q) => name('r1', problem.keys[q]!)) })),
      ...p2.relations.map((r) => ({ total: name('r2', p2.keys[r.total]!), parts: r.parts.map((q) => name('r2', p2.keys[q]!)) })),
      { total: `r2:${aug}`, parts: [`r1:${aug}`, 'd'] },
    ]
    const b = (await lpBounds(cells, relations, ['d'])).get('d')!
    expect(b.lo).toBeLessThanOrEqual(1 + 1e-6)
    expect(b.hi).toBeGreaterThanOrEqual(5 - 1e-6)
  })
})

describe('a correction between releases', () => {
  // Primärområde 11: 20, 30, 40 a month in Q3; primärområde 12: 25, 35, 45; stadsområde 1 is both. All shown
  // in the first release. Then one incident of September in 11 is added: 40 → 41.
  const { month } = twoAreas
  const cubeInput = (sep11: number) =>
    twoAreas.input([month(11, '07', 20), month(11, '08', 30), month(11, '09', sep11), month(12, '07', 25), month(12, '08', 35), month(12, '09', 45)])
  const before = cubeInput(40), after = cubeInput(41)
  const first: Release = { cells: cubeProblem(before).keys.map((key) => ({ key, shown: true, basis: before.derived.cells.get(key)! })) }

  /** The attacker's bounds on today's September in 11, holding the first release (all shown) and the second. */
  async function sep11(hidden: ReadonlySet<string>) {
    const problem = cubeProblem(after)
    const name = (i: number) => problem.keys[i]!
    // Today's cells as they are published, and the first release's values, all shown, each under its own name.
    const cells = new Map<string, number | null>(problem.keys.map((k, i) => [k, hidden.has(k) ? null : problem.values[i]!]))
    for (const c of first.cells) cells.set(`r1:${c.key}`, c.basis.value)
    const relations = [
      ...problem.relations.map((r) => ({ total: name(r.total), parts: r.parts.map(name) })),
      ...problem.relations.map((r) => ({ total: `r1:${name(r.total)}`, parts: r.parts.map((p) => `r1:${name(p)}`) })),
    ]
    return (await lpBounds(cells, relations, [cellKey(11, '2025-09')])).get(cellKey(11, '2025-09'))!
  }

  it('is not published as a difference of one: the corrected cells are hidden so that the change may be as large as the threshold', async () => {
    // Without the releases every figure is large and shown: September went from 40 to 41, one incident.
    const naive = disclosureCube(after, { solver })
    expect(naive.hidden.size).toBe(0)
    const corrected = disclosureCube({ ...after, releases: [first] }, { solver })
    expect(corrected.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
    expect(corrected.withheld).toBe(0)
    const hidden = new Set(corrected.hidden.keys())
    expect(hidden.has(cellKey(11, '2025-09'))).toBe(true)
    // The attacker, written apart from the audit, may not rule out a change of 5 or more, and the cell is
    // not narrowed below the protection interval.
    const b = await sep11(hidden)
    expect(b.lo).toBeLessThanOrEqual(41)
    expect(b.hi).toBeGreaterThanOrEqual(40 + 5 - 1e-6)
    expect(b.hi - b.lo).toBeGreaterThanOrEqual(5 - 1e-6)
    // Nothing else changed: July and August of both primärområden stay as the first release showed them.
    for (const a of [11, 12]) for (const m of ['07', '08']) expect(hidden.has(cellKey(a, `2025-${m}`))).toBe(false)
  })

  it('publishes a correction by the threshold or more as it is', () => {
    const large = disclosureCube({ ...cubeInput(45), releases: [first] }, { solver })
    expect(large.hidden.size).toBe(0)
  })
})

describe('a correction of a value that was hidden and still is', () => {
  // Cells: a release's hidden 2 (then), today's hidden 3 (now: one incident added), a partner hidden in both
  // and unchanged (25), and the sum each release showed: 27 then, 28 now. Each hidden cell alone is protected;
  // the difference of the two sums is the correction, exactly.
  const values = Float64Array.from([2, 3, 25, 27, 28])
  const suppressed = Uint8Array.from([1, 1, 1, 0, 0])
  const relations: Relation[] = [
    { total: 3, parts: [0, 2] },
    { total: 4, parts: [1, 2] },
  ]
  it('audits the difference as a cell of its own: an addition of one is proven small only when it is audited', () => {
    const plain = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5 })
    expect(plain.violations).toEqual([])
    const audited = lpAudit(solver, { values, suppressed, relations, threshold: 5, protection: 5, differences: [{ now: 1, then: 0 }] })
    expect(audited.violations).toEqual([{ cell: 1, lo: 1, hi: 1 }])
    expect(audited.unfinished).toEqual([])
  })

  it('passes a difference the sums leave open as far as the threshold, and one of the threshold or more', () => {
    // The partner changed too (25 → 24 then 28 → 27 now is an unknown of its own): now − then may be anything.
    const apart = lpAudit(solver, {
      values: Float64Array.from([2, 3, 25, 24, 27, 27]),
      suppressed: Uint8Array.from([1, 1, 1, 1, 0, 0]),
      relations: [{ total: 4, parts: [0, 2] }, { total: 5, parts: [1, 3] }],
      threshold: 5,
      protection: 5,
      differences: [{ now: 1, then: 0 }],
    })
    expect(apart.violations).toEqual([])
    const large = lpAudit(solver, { values: Float64Array.from([2, 8, 25, 27, 33]), suppressed, relations, threshold: 5, protection: 5, differences: [{ now: 1, then: 0 }] })
    expect(large.violations).toEqual([])
  })
})

describe('an audit that does not finish', () => {
  /** HiGHS, except that every LP wider than `widest` columns stops at its time limit without an answer. */
  function slowBeyond(widest: number): LpSolver {
    return {
      constants: solver.constants,
      createModel(data) {
        const model = solver.createModel(data)
        if ((data as { numCols: number }).numCols <= widest) return model
        return new Proxy(model, {
          get(target, p) {
            if (p === 'run') return () => undefined
            if (p === 'getModelStatus') return () => (solver.constants.modelStatus as unknown as { timeLimit: number }).timeLimit
            const v = Reflect.get(target, p) as unknown
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
          },
        })
      },
    }
  }

  it('withholds exactly the parts of the cube holding an unproven cell; the rest is already final and proven', async () => {
    // Part A: the planted table. Part B: a parent of eight leaves over a quarter and its months, sharing no
    // sum with A; its hidden cells form a wider LP than any of A's.
    const rand = seededRandom(5)
    const areas = 9, periods = 4
    const b = new Float64Array(areas * periods)
    const atB = (a: number, p: number) => 16 + a * periods + p
    for (let a = 1; a < areas; a++) for (let p = 1; p < periods; p++) b[atB(a, p) - 16] = Math.floor(rand() * 9)
    for (let a = 1; a < areas; a++) for (let p = 1; p < periods; p++) {
      b[atB(a, 0) - 16]! += b[atB(a, p) - 16]!
      b[atB(0, p) - 16]! += b[atB(a, p) - 16]!
      b[atB(0, 0) - 16]! += b[atB(a, p) - 16]!
    }
    const values = Float64Array.from([...planted.values, ...b])
    const relations: Relation[] = [...planted.relations]
    for (let p = 0; p < periods; p++) relations.push({ total: atB(0, p), parts: Array.from({ length: areas - 1 }, (_, a) => atB(a + 1, p)) })
    for (let a = 0; a < areas; a++) relations.push({ total: atB(a, 0), parts: [1, 2, 3].map((p) => atB(a, p)) })
    const problemOf = (vals: Float64Array, rels: Relation[]): CubeProblem => ({
      keys: [...vals.keys()].map(names),
      tables: 1,
      values: vals,
      primary: Uint8Array.from(vals, (v) => (v < 5 ? 1 : 0)),
      relations: rels,
      mergeKey: new Array<string>(vals.length).fill(''),
      cellArea: Int32Array.from({ length: vals.length }, (_, k) => Math.floor(k / 4)),
    })

    // The widest LP that auditing part A alone ever solves.
    let widest = 0
    protectCube(problemOf(planted.values, planted.relations), 5, {
      solver: { constants: solver.constants, createModel: (d) => ((widest = Math.max(widest, (d as { numCols: number }).numCols)), solver.createModel(d)) },
    })
    const problem = problemOf(values, relations)
    const interim = protectCube(problem, 5, { solver: slowBeyond(widest), budgetMs: 60_000 })
    const final = protectCube(problem, 5, { solver })

    expect(final.withheld).toBe(0)
    expect(final.audit).toMatchObject({ unfinished: 0 })
    expect((interim.audit as { unfinished: number }).unfinished).toBeGreaterThan(0)
    const inA = (k: number) => k < 16
    // B is withheld whole (what the audit hid there keeps its reason); nothing of A is.
    for (let k = 16; k < values.length; k++) expect(interim.hidden.has(names(k)), names(k)).toBe(true)
    expect(interim.withheld).toBe([...values.keys()].filter((k) => !inA(k) && interim.hidden.get(names(k)) === 'unaudited').length)
    expect(interim.withheld).toBeGreaterThan(0)
    for (let k = 0; k < 16; k++) expect(interim.hidden.get(names(k)), names(k)).not.toBe('unaudited')
    // A's verdicts are already the final ones: the finished part does not change when the rest is done.
    for (let k = 0; k < 16; k++) expect(interim.hidden.get(names(k)), names(k)).toBe(final.hidden.get(names(k)))
    // And what the interim answer shows protects every hidden cell against an LP attacker written apart.
    const hidden = Uint8Array.from(problem.keys, (key) => (interim.hidden.has(key) ? 1 : 0))
    for (const [id, bound] of await attack(values, hidden, relations)) {
      expect(bound.hi, `${id} proven below the threshold`).toBeGreaterThanOrEqual(5 - 1e-6)
      expect(bound.hi - bound.lo, `${id} narrowed below the protection interval`).toBeGreaterThanOrEqual(5 - 1e-6)
    }
  })
})
