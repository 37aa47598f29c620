import { describe, expect, it } from 'vitest'
import { attackIntervals, secondarySuppression, type SuppressionResult } from '../../server/disclosure/secondary'
import { recoverBySubtraction, type Interval } from '../helpers/differencing-attack'
import { mulberry32, poisson } from '../helpers/random'

const T = 5

interface Table {
  ids: string[]
  values: Float64Array
  relations: Array<{ total: number; parts: number[] }>
}

/** A table from named cells and relations written as 'total = a + b + c'. */
function table(cells: Record<string, number>, relations: string[]): Table {
  const ids = Object.keys(cells)
  const index = new Map(ids.map((id, i) => [id, i]))
  const at = (id: string) => {
    const i = index.get(id.trim())
    if (i === undefined) throw new Error(`no cell ${id}`)
    return i
  }
  return {
    ids,
    values: Float64Array.from(ids.map((id) => cells[id]!)),
    relations: relations.map((r) => {
      const [total, parts] = r.split('=')
      return { total: at(total!), parts: parts!.split('+').map(at) }
    }),
  }
}

const primaryOf = (t: Table, threshold = T) => Uint8Array.from(t.values, (v) => (v < threshold ? 1 : 0))

function suppress(t: Table, primary = primaryOf(t), threshold = T): SuppressionResult {
  return secondarySuppression({ values: t.values, primary, relations: t.relations, threshold })
}

const hiddenIds = (t: Table, suppressed: Uint8Array) => t.ids.filter((_, i) => suppressed[i])

/** The independent attacker on what would be published. */
function attack(t: Table, suppressed: Uint8Array): Map<string, Interval> {
  const cells = new Map<string, number | null>(t.ids.map((id, i) => [id, suppressed[i] ? null : t.values[i]!]))
  return recoverBySubtraction(cells, t.relations.map((r) => ({ total: t.ids[r.total]!, parts: r.parts.map((p) => t.ids[p]!) })))
}

/**
 * The protection criterion, checked by the independent attacker: every hidden cell can be ≥ the
 * threshold and is not pinned, and the attacker's intervals hold the true values (else the check
 * would prove nothing). Returns the problems found, so that a failure names the cells.
 */
function breaches(t: Table, primary: Uint8Array, result: SuppressionResult, threshold = T): string[] {
  const problems: string[] = []
  const intervals = attack(t, result.suppressed)
  t.ids.forEach((id, i) => {
    if (primary[i] && !result.suppressed[i]) problems.push(`${id}: primary but shown`)
    if (result.secondary[i] !== (result.suppressed[i] && !primary[i] ? 1 : 0)) problems.push(`${id}: secondary flag wrong`)
    const iv = intervals.get(id)
    if (!result.suppressed[i]) return
    if (!iv) return void problems.push(`${id}: no interval`)
    const v = t.values[i]!
    if (iv.hi < threshold) problems.push(`${id} = ${v}: attacker proves ≤ ${iv.hi}`)
    if (!(iv.lo < iv.hi)) problems.push(`${id} = ${v}: pinned to [${iv.lo}, ${iv.hi}]`)
    if (v < iv.lo || v > iv.hi) problems.push(`${id} = ${v}: outside the attacker's [${iv.lo}, ${iv.hi}] (unsound attacker)`)
  })
  return problems
}

/** The per-relation rule alone: under a shown total, 0 or ≥ 2 hidden parts summing to ≥ threshold. */
function naiveRuleHolds(t: Table, suppressed: Uint8Array): boolean {
  return t.relations.every((r) => {
    if (suppressed[r.total]) return true
    const hidden = r.parts.filter((p) => suppressed[p])
    return hidden.length === 0 || (hidden.length >= 2 && hidden.reduce((s, p) => s + t.values[p]!, 0) >= T)
  })
}

describe('secondary suppression, hand-made cases', () => {
  it('hides a second child next to a single primary child: the smallest that covers the threshold', () => {
    const t = table({ parent: 32, a: 2, b: 10, c: 3, d: 17 }, ['parent = a + b + c + d'])
    // c = 3 is primary too; a + c = 5 reaches the threshold, nothing else is needed.
    let r = suppress(t)
    expect(hiddenIds(t, r.suppressed)).toEqual(['a', 'c'])
    expect(r.secondary.every((s) => s === 0)).toBe(true)

    const u = table({ parent: 32, a: 2, b: 10, c: 6, d: 14 }, ['parent = a + b + c + d'])
    r = suppress(u)
    expect(hiddenIds(u, r.suppressed)).toEqual(['a', 'c'])
    expect(Array.from(r.secondary)).toEqual([0, 0, 0, 1, 0])
    expect(breaches(u, primaryOf(u), r)).toEqual([])
    expect(attack(u, r.suppressed).get('a')).toEqual({ lo: 0, hi: 8 })
  })

  it('hides more when the hidden children sum to less than the threshold', () => {
    // a + b = 3: the attacker would bound both by 3. c brings the hidden sum to 9.
    const t = table({ parent: 39, a: 1, b: 2, c: 6, d: 30 }, ['parent = a + b + c + d'])
    const r = suppress(t)
    expect(hiddenIds(t, r.suppressed)).toEqual(['a', 'b', 'c'])
    expect(breaches(t, primaryOf(t), r)).toEqual([])
    expect(attack(t, r.suppressed).get('a')).toEqual({ lo: 0, hi: 9 })
  })

  it('handles zeros: primary, they add nothing to the hidden sum, so a positive part is hidden with them', () => {
    const t = table({ parent: 12, a: 0, b: 0, c: 12, empty: 0, x: 0, y: 0 }, ['parent = a + b + c', 'empty = x + y'])
    // a + b = 0 would be proven; c is the only shown part. All of 'empty' is primary and needs nothing.
    const r = suppress(t)
    expect(hiddenIds(t, r.suppressed)).toEqual(['a', 'b', 'c', 'empty', 'x', 'y'])
    expect(hiddenIds(t, r.secondary)).toEqual(['c'])
    expect(breaches(t, primaryOf(t), r)).toEqual([])
    expect(attack(t, r.suppressed).get('a')).toEqual({ lo: 0, hi: 12 })
  })

  it('hides the total when no shown part can cover the threshold (data that do not add up)', () => {
    // Only the structure is used: here the parts sum to 2, not 10, and only zeros are left to show.
    const t = table({ parent: 10, a: 2, z1: 0, z2: 0 }, ['parent = a + z1 + z2'])
    const r = suppress(t)
    expect(r.suppressed[0]).toBe(1)
    expect(r.suppressed[1]).toBe(1)
    const { lo, hi } = attackIntervals(t.values, r.suppressed, t.relations)
    expect(hi[1]).toBe(Infinity)
    expect(lo[0]).toBe(0)
  })

  it('a primary total: its parts are below the threshold too, and the total is protected one level up', () => {
    const t = table(
      { city: 44, p: 4, a: 1, b: 3, q: 20, c: 8, d: 12, s: 20, e: 9, f: 11 },
      ['city = p + q + s', 'p = a + b', 'q = c + d', 's = e + f'],
    )
    const primary = primaryOf(t)
    // Non-negative parts of a total below the threshold are below it too.
    for (const id of ['p', 'a', 'b']) expect(primary[t.ids.indexOf(id)]).toBe(1)
    const r = suppress(t, primary)
    // p needs a partner under the city, and that partner (a shown total) needs a hidden part of its own.
    expect(r.secondary.reduce((s, x) => s + x, 0)).toBeGreaterThanOrEqual(2)
    expect(breaches(t, primary, r)).toEqual([])
  })

  it('a total marked primary while its parts are shown gets a part hidden (else it is their sum)', () => {
    // primary says what is primary: here the caller's rule marked the total only.
    const t = table({ total: 13, a: 6, b: 7 }, ['total = a + b'])
    const primary = Uint8Array.from([1, 0, 0])
    const r = suppress(t, primary, 20)
    expect(hiddenIds(t, r.suppressed)).toEqual(['total', 'a'])
    const { lo, hi } = attackIntervals(t.values, r.suppressed, t.relations)
    expect([lo[0], hi[0]]).toEqual([7, Infinity])
  })

  it('an areas × months table where the per-relation rule leaves a cell pinned below the threshold, and the audit fixes it', () => {
    // Four areas in a district, three months and the quarter. Primary: A.m3 = 4, B.m3 = 0, D.m2 = 4.
    const cells: Record<string, number> = {}
    const rows: Record<string, number[]> = { A: [7, 5, 4], B: [7, 8, 0], C: [12, 9, 6], D: [14, 4, 14] }
    const relations: string[] = []
    for (const [area, months] of Object.entries(rows)) {
      months.forEach((v, m) => (cells[`${area}.m${m + 1}`] = v))
      cells[`${area}.q`] = months.reduce((s, v) => s + v, 0)
      relations.push(`${area}.q = ${area}.m1 + ${area}.m2 + ${area}.m3`)
    }
    for (const p of ['m1', 'm2', 'm3', 'q']) {
      cells[`district.${p}`] = Object.keys(rows).reduce((s, a) => s + cells[`${a}.${p}`]!, 0)
      relations.push(`district.${p} = ${Object.keys(rows).map((a) => `${a}.${p}`).join(' + ')}`)
    }
    relations.push('district.q = district.m1 + district.m2 + district.m3')
    const t = table(cells, relations)
    const primary = primaryOf(t)
    expect(hiddenIds(t, primary)).toEqual(['A.m3', 'B.m3', 'D.m2'])

    // Every relation has ≥ 2 hidden parts summing to ≥ 5 …
    const naive = Uint8Array.from(t.ids, (id) => (['A.m2', 'A.m3', 'B.m1', 'B.m3', 'C.m2', 'C.m3', 'D.m1', 'D.m2'].includes(id) ? 1 : 0))
    expect(naiveRuleHolds(t, naive)).toBe(true)
    // … yet D.m1 ≤ D.q − (shown D.m3) = 18 lifts B.m1 ≥ (B.m1 + D.m1 = 21) − 18 = 3, so B.m3 ≤ 7 − 3 = 4.
    const leaked = attack(t, naive)
    expect(leaked.get('B.m3')!.hi).toBeLessThan(T)
    expect(leaked.get('D.m2')!.hi).toBeLessThan(T)

    const r = suppress(t, primary)
    expect(r.rounds).toBeGreaterThanOrEqual(1)
    expect(breaches(t, primary, r)).toEqual([])
  })

  it('does nothing without primary cells, and keeps non-integer data protected too', () => {
    const t = table({ parent: 30, a: 10, b: 20 }, ['parent = a + b'])
    const r = suppress(t)
    expect(r.suppressed.every((s) => s === 0)).toBe(true)
    expect(r.rounds).toBe(0)

    // Weighted counts: no integer rounding for either attacker.
    const w = table({ parent: 30.5, a: 2.25, b: 8.25, c: 20 }, ['parent = a + b + c'])
    const rw = suppress(w)
    expect(hiddenIds(w, rw.suppressed)).toEqual(['a', 'b'])
    expect(attack(w, rw.suppressed).get('a')).toEqual({ lo: 0, hi: 10.5 })
    expect(breaches(w, primaryOf(w), rw)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------------
// Random area × period cubes.

interface CubeOptions {
  /** Subareas per district (the city has one district per entry). */
  subareas: number[]
  years: number
  /** Cells of a second partition of the city (a grid), 0 for none. */
  grid: number
  /** Mean monthly count of a subarea. */
  rate: (rnd: () => number) => number
}

/**
 * City → districts → subareas (and optionally a grid that also partitions the city) × years of
 * (year = 12 months = 4 quarters, quarter = 3 months). Incidents are drawn per subarea and month and
 * also placed in a grid cell near the subarea, so every layer adds up.
 */
function cube(seed: number, o: CubeOptions): Table {
  const rnd = mulberry32(seed)
  const areas = ['city']
  const districts: number[] = []
  const subareas: number[][] = []
  o.subareas.forEach((k, d) => {
    districts.push(areas.push(`d${d}`) - 1)
    subareas.push(Array.from({ length: k }, (_, s) => areas.push(`d${d}s${s}`) - 1))
  })
  const grid = Array.from({ length: o.grid }, (_, g) => areas.push(`g${g}`) - 1)
  const leaves = subareas.flat()
  const periods = ['Y', 'Q1', 'Q2', 'Q3', 'Q4', ...Array.from({ length: 12 }, (_, m) => `M${m + 1}`)]
  const P = periods.length
  const A = areas.length
  const id = (a: number, y: number, p: number) => (y * P + p) * A + a
  const month = (m: number) => 5 + m
  const quarter = (q: number) => 1 + q

  const values = new Float64Array(A * P * o.years)
  const rates = leaves.map(() => o.rate(rnd))
  for (let y = 0; y < o.years; y++) {
    for (let m = 0; m < 12; m++) {
      leaves.forEach((a, i) => {
        const n = poisson(rnd, rates[i]! * (0.75 + 0.5 * rnd()))
        values[id(a, y, month(m))] = n
        for (let k = 0; k < n && grid.length; k++) {
          const g = Math.floor(((i + rnd()) / leaves.length) * grid.length + (rnd() - 0.5) * 3)
          values[id(grid[Math.min(grid.length - 1, Math.max(0, g))]!, y, month(m))]! += 1
        }
      })
    }
  }
  const relations: Table['relations'] = []
  const sumInto = (total: number, parts: number[]) => {
    values[total] = parts.reduce((s, p) => s + values[p]!, 0)
    relations.push({ total, parts })
  }
  for (let y = 0; y < o.years; y++) {
    for (let m = 0; m < 12; m++) {
      districts.forEach((d, i) => sumInto(id(d, y, month(m)), subareas[i]!.map((s) => id(s, y, month(m)))))
      sumInto(id(0, y, month(m)), districts.map((d) => id(d, y, month(m))))
    }
    for (let a = 0; a < A; a++) {
      for (let q = 0; q < 4; q++) sumInto(id(a, y, quarter(q)), [0, 1, 2].map((m) => id(a, y, month(3 * q + m))))
      sumInto(id(a, y, 0), Array.from({ length: 12 }, (_, m) => id(a, y, month(m))))
      relations.push({ total: id(a, y, 0), parts: [0, 1, 2, 3].map((q) => id(a, y, quarter(q))) })
    }
    // Area relations for years and quarters too (their values are already consistent).
    for (const p of [0, 1, 2, 3, 4]) {
      districts.forEach((d, i) => relations.push({ total: id(d, y, p), parts: subareas[i]!.map((s) => id(s, y, p)) }))
      relations.push({ total: id(0, y, p), parts: districts.map((d) => id(d, y, p)) })
    }
    if (grid.length) for (let p = 0; p < P; p++) relations.push({ total: id(0, y, p), parts: grid.map((g) => id(g, y, p)) })
  }
  const ids = Array.from({ length: values.length }, (_, i) => `${areas[i % A]}/${Math.floor(i / A / P)}/${periods[Math.floor(i / A) % P]}`)
  return { ids, values, relations }
}

describe('secondary suppression that knows the overlay of layers that do not nest', () => {
  // The city = primärområden 11 + 12 + 13 = DeSO 21 + 22 + 23. DeSO 22 lies within 12, 11 within 21; each
  // area is at most the other layer's areas it meets.
  const t = table({ city: 40, p11: 3, p12: 9, p13: 28, d21: 8, d22: 8, d23: 24 }, ['city = p11 + p12 + p13', 'city = d21 + d22 + d23'])
  const at = (id: string) => t.ids.indexOf(id)
  const ineq = (lesser: string[], greater: string[]) => ({ lesser: lesser.map(at), greater: greater.map(at) })
  const inequalities = [
    ineq(['p11'], ['d21']), ineq(['d21'], ['p11', 'p13']),
    ineq(['d22'], ['p12']), ineq(['p12'], ['d22', 'd23']),
    ineq(['p13'], ['d21', 'd23']), ineq(['d23'], ['p12', 'p13']),
  ]
  const primary = Uint8Array.from(t.values, (v) => (v < T ? 1 : 0))
  const problem = { values: t.values, primary, relations: t.relations, threshold: T, protection: T }

  it('hides what the containment would give away, where the sums alone would not', () => {
    // Sums only: p11 and p12 hidden (3 + 9 = 12 open); but p12 ≥ d22 = 8, so p11 ≤ 4.
    const sumsOnly = secondarySuppression(problem)
    const broken = attackIntervals(t.values, sumsOnly.suppressed, t.relations, true, inequalities)
    expect(broken.hi[at('p11')], 'the containment must break the sums-only pattern, or this tests nothing').toBeLessThan(T)
    expect(attackIntervals(t.values, sumsOnly.suppressed, t.relations).hi[at('p11')]).toBeGreaterThanOrEqual(T)

    const knows = secondarySuppression({ ...problem, inequalities })
    const { lo, hi } = attackIntervals(t.values, knows.suppressed, t.relations, true, inequalities)
    t.ids.forEach((id, c) => {
      if (!knows.suppressed[c]) return
      expect(hi[c], id).toBeGreaterThanOrEqual(T)
      expect(hi[c]! - lo[c]!, id).toBeGreaterThanOrEqual(T)
    })
    expect(knows.suppressed[at('p11')]).toBe(1)
  })
})

describe('secondary suppression on random area × period cubes', () => {
  const seeds = Array.from({ length: 60 }, (_, i) => i + 1)

  it.each(seeds)('seed %i: the independent attacker can neither pin nor bound below the threshold any hidden cell', (seed) => {
    const r0 = mulberry32(seed * 7919)
    const subareas = [0, 1, 2, 3].map(() => 5 + Math.floor(r0() * 26))
    // From mostly tiny to mostly large counts; log-uniform spread between subareas.
    const base = [0.5, 2, 6, 20][seed % 4]!
    const t = cube(seed, { subareas, years: 1, grid: seed % 3 === 0 ? 10 + Math.floor(r0() * 40) : 0, rate: (rnd) => base * Math.exp(3 * rnd() - 1.5) })
    const threshold = [5, 3, 10][Math.floor(seed / 3) % 3]!
    const primary = primaryOf(t, threshold)
    const r = suppress(t, primary, threshold)
    expect(breaches(t, primary, r, threshold)).toEqual([])
    if (seed % 5 === 0) {
      // The server's attacker agrees with the independent one.
      const own = attackIntervals(t.values, r.suppressed, t.relations)
      const theirs = attack(t, r.suppressed)
      t.ids.forEach((id, i) => {
        if (r.suppressed[i]) expect([own.lo[i], own.hi[i]], id).toEqual([theirs.get(id)!.lo, theirs.get(id)!.hi])
      })
    }
  })

  it('hides far less than half of a cube of mostly large counts', () => {
    const t = cube(4242, { subareas: [20, 25, 15, 30], years: 2, grid: 0, rate: (rnd) => 25 * Math.exp(2 * rnd() - 1) })
    const primary = primaryOf(t)
    const r = suppress(t, primary)
    expect(breaches(t, primary, r)).toEqual([])
    const count = (a: Uint8Array) => a.reduce((s, x) => s + x, 0)
    expect(count(primary)).toBeGreaterThan(0)
    expect(count(r.secondary)).toBeGreaterThan(0)
    expect(count(r.secondary) / t.values.length).toBeLessThan(0.5)
  })

  it('protects a cube of ~200 000 cells', () => {
    // 4 × 250 subareas + 4 districts + the city, 12 years × 17 periods: 205 020 cells.
    const t = cube(77, { subareas: [250, 250, 250, 250], years: 12, grid: 0, rate: (rnd) => 4 * Math.exp(3 * rnd() - 1.5) })
    expect(t.values.length).toBe(205_020)
    const primary = primaryOf(t)
    const r = suppress(t, primary)
    expect(breaches(t, primary, r)).toEqual([])
  })
})
