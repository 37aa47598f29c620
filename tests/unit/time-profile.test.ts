import { describe, expect, it } from 'vitest'
import { localTime } from '../../server/core/local-time'
import {
  cellIndex,
  COLUMNS,
  colTotalIndex,
  discloseTimeTables,
  rowTotalIndex,
  TABLE_SIZE,
  TOTAL_INDEX,
  UNTIMED,
  type TimeTable,
} from '../../server/disclosure/time-table'
import { recoverBySubtraction } from '../helpers/differencing-attack'
import { rangeOf } from '../../server/features/time-profile/time-profile.service'
import { rangeOptions } from '../../client/src/features/time-profile/ranges'
import { mulberry32, poisson } from '../helpers/random'

const T = 5

describe('localTime: Stockholm weekday and hour', () => {
  it('reads wall-clock time as written and a date alone as no hour', () => {
    expect(localTime('2026-03-02 14:05')).toEqual({ date: '2026-03-02', weekday: 1, hour: 14 })
    expect(localTime('2026-03-08T00:00:00')).toEqual({ date: '2026-03-08', weekday: 7, hour: 0 })
    expect(localTime('2026-03-08')).toEqual({ date: '2026-03-08', weekday: 7, hour: null })
    expect(localTime('2026-03-08 24:00')).toBeNull()
    expect(localTime('2026-03-08 12:61')).toBeNull()
    expect(localTime('2026-03-08 noon')).toBeNull()
  })

  it('converts instants across the spring change (CET → CEST at 01:00 UTC, 29 March 2026)', () => {
    expect(localTime('2026-03-29T00:30:00Z')).toEqual({ date: '2026-03-29', weekday: 7, hour: 1 })
    // 02:00–02:59 local does not exist that night: 01:30 UTC is 03:30 summer time.
    expect(localTime('2026-03-29T01:30:00Z')).toEqual({ date: '2026-03-29', weekday: 7, hour: 3 })
    expect(localTime('2026-03-29T01:30:00+00:00')?.hour).toBe(3)
  })

  it('converts instants across the autumn change (CEST → CET at 01:00 UTC, 25 October 2026): hour 2 twice', () => {
    expect(localTime('2026-10-25T00:30:00Z')?.hour).toBe(2)
    expect(localTime('2026-10-25T01:30:00Z')?.hour).toBe(2)
    expect(localTime('2026-10-25T02:30:00Z')?.hour).toBe(3)
  })

  it('moves an instant to the Stockholm date, weekday and month', () => {
    // Tuesday 31 March 23:30 UTC is Wednesday 1 April 01:30 in Stockholm.
    expect(localTime('2026-03-31T23:30:00Z')).toEqual({ date: '2026-04-01', weekday: 3, hour: 1 })
    expect(localTime('2026-01-01T00:15:00+0100')).toEqual({ date: '2026-01-01', weekday: 4, hour: 0 })
    expect(localTime('2025-12-31T23:15:00-01:00')).toEqual({ date: '2026-01-01', weekday: 4, hour: 1 })
  })
})

/** The relations as named cells, for the independent attacker in tests/helpers. */
function attack(d: ReturnType<typeof discloseTimeTables>) {
  const name = (i: number) => String(i)
  const cells = new Map<string, number | null>()
  for (const [range, o] of d.offsets) {
    const v = d.values.get(range)!
    const h = d.hidden.get(range)!
    for (let k = 0; k < TABLE_SIZE; k++) cells.set(name(o + k), h[k] ? null : v[k]!)
  }
  return recoverBySubtraction(cells, d.relations.map((r) => ({ total: name(r.total), parts: r.parts.map(name) })))
}

function expectNothingRecovered(d: ReturnType<typeof discloseTimeTables>) {
  const bounds = attack(d)
  let hiddenCells = 0
  for (const [range, o] of d.offsets) {
    const h = d.hidden.get(range)!
    for (let k = 0; k < TABLE_SIZE; k++) {
      if (!h[k]) continue
      hiddenCells++
      const b = bounds.get(String(o + k))!
      expect(b.lo, `${range} cell ${k} pinned`).toBeLessThan(b.hi)
      expect(b.hi, `${range} cell ${k} proven small`).toBeGreaterThanOrEqual(T)
    }
  }
  return hiddenCells
}

const table = (range: string, fill: (w: number, c: number) => number): TimeTable => {
  const counts = new Array<number>(7 * COLUMNS).fill(0)
  for (let w = 1; w <= 7; w++) for (let c = 0; c < COLUMNS; c++) counts[cellIndex(w, c)] = fill(w, c)
  return { range, counts }
}

describe('discloseTimeTables', () => {
  it('hides small cells and small margins, and never a lone hidden cell behind a shown margin', () => {
    // Every cell 10 but Monday 03:00 = 2: primary; its row and column margins are ≥ 5 and would give it away.
    const d = discloseTimeTables([table('2026-03', (w, c) => (c === UNTIMED ? 0 : w === 1 && c === 3 ? 2 : 10))], T)
    const h = d.hidden.get('2026-03')!
    expect(h[cellIndex(1, 3)]).toBe(1)
    let inRow = 0
    for (let c = 0; c < 24; c++) inRow += h[cellIndex(1, c)]!
    expect(inRow === 1 ? h[rowTotalIndex(1)] : 1).toBe(1)
    let inCol = 0
    for (let w = 1; w <= 7; w++) inCol += h[cellIndex(w, 3)]!
    expect(inCol === 1 ? h[colTotalIndex(3)] : 1).toBe(1)
    expect(d.untimed.get('2026-03')).toBe(false)
    expect(h[cellIndex(1, UNTIMED)]).toBe(0) // known empty, not a hiding place
    expect(expectNothingRecovered(d)).toBeGreaterThanOrEqual(4)
  })

  it('a small table total is hidden, and so is a total its values hide', () => {
    const small = discloseTimeTables([table('2026-03', (w, c) => (w === 2 && c === 10 ? 3 : 0))], T)
    expect(small.hidden.get('2026-03')![TOTAL_INDEX]).toBe(1)
    expectNothingRecovered(small)
    const forced = discloseTimeTables([{ ...table('2026-03', () => 20), hideTotal: true }], T)
    expect(forced.hidden.get('2026-03')![TOTAL_INDEX]).toBe(1)
    expectNothingRecovered(forced)
  })

  it('resists recovery from month, quarter and year tables together (random sparse data)', () => {
    const rnd = mulberry32(18)
    for (let round = 0; round < 3; round++) {
      const tables: TimeTable[] = []
      const months = Array.from({ length: 12 }, (_, m) => {
        const rate = (w: number, c: number) => (c === UNTIMED ? 0.3 : c >= 8 && c <= 22 ? 1.5 + w * 0.2 : 0.4)
        const t = table(`2026-${String(m + 1).padStart(2, '0')}`, (w, c) => poisson(rnd, rate(w, c)))
        tables.push(t)
        return t
      })
      const sum = (range: string, parts: TimeTable[]) => table(range, (w, c) => parts.reduce((s, p) => s + (p.counts[cellIndex(w, c)] ?? 0), 0))
      const quarters = [0, 1, 2, 3].map((q) => sum(`2026-Q${q + 1}`, months.slice(q * 3, q * 3 + 3)))
      tables.push(...quarters, sum('2026', months))
      const d = discloseTimeTables(tables, T)
      expect(expectNothingRecovered(d)).toBeGreaterThan(100)
      // The year's table is useful: most of its cells are shown.
      const year = d.hidden.get('2026')!
      let shown = 0
      for (let k = 0; k < 7 * COLUMNS; k++) shown += year[k] ? 0 : 1
      expect(shown).toBeGreaterThan(7 * 24 * 0.5)
    }
  })

  it('an attacker subtracting the other months from the quarter does recover a cell without the joint suppression', () => {
    // The attack the joint release prevents: each table suppressed on its own leaks through Q = Σ months.
    const jan = table('2026-01', (w, c) => (c === UNTIMED ? 0 : w === 1 && c === 0 ? 2 : 10))
    const feb = table('2026-02', (_w, c) => (c === UNTIMED ? 0 : 10))
    const mar = table('2026-03', (_w, c) => (c === UNTIMED ? 0 : 10))
    const q1 = table('2026-Q1', (w, c) => (c === UNTIMED ? 0 : w === 1 && c === 0 ? 22 : 30))
    const alone = discloseTimeTables([q1], T)
    expect(alone.hidden.get('2026-Q1')![cellIndex(1, 0)]).toBe(0) // 22 is shown in the quarter
    const together = discloseTimeTables([jan, feb, mar, q1], T)
    expect(together.hidden.get('2026-01')![cellIndex(1, 0)]).toBe(1)
    const hiddenElsewhere = ['2026-02', '2026-03', '2026-Q1'].some((r) => together.hidden.get(r)![cellIndex(1, 0)] === 1)
    expect(hiddenElsewhere).toBe(true)
    expectNothingRecovered(together)
  })
})

describe('ranges', () => {
  it('the server takes one month, a calendar quarter or a calendar year, nothing else', () => {
    expect(rangeOf('2026-03', '2026-03')).toMatchObject({ id: '2026-03', kind: 'month', months: ['2026-03'] })
    expect(rangeOf('2026-04', '2026-06')).toMatchObject({ id: '2026-Q2', kind: 'quarter', months: ['2026-04', '2026-05', '2026-06'] })
    expect(rangeOf('2026-01', '2026-12')).toMatchObject({ id: '2026', kind: 'year' })
    for (const [from, to] of [['2026-01', '2026-02'], ['2026-02', '2026-04'], ['2026-03', '2026-01'], ['2025-12', '2026-02'], ['2026-01', '2026-06']]) expect(rangeOf(from!, to!)).toBeNull()
  })

  it('the client offers the whole ranges among the months held, newest first', () => {
    const months = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02']
    expect(rangeOptions(months).map((o) => o.id)).toEqual(['2026-02', '2026-01', '2025-Q4', '2025-12', '2025-11', '2025-10'])
    const year = Array.from({ length: 12 }, (_, k) => `2025-${String(k + 1).padStart(2, '0')}`)
    expect(rangeOptions(year).slice(0, 6).map((o) => o.id)).toEqual(['2025', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1', '2025-12'])
    expect(rangeOptions(year)[0]).toEqual({ id: '2025', from: '2025-01', to: '2025-12' })
  })
})
