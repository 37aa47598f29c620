/**
 * Disclosure of weekday × hour tables (counts per ISO weekday and hour, with weekday, hour and table
 * totals). Every table an outsider may ask for about one area in one calendar year — the year, its four
 * quarters, its twelve months — is suppressed together, tied by the sums an attacker knows (row and column
 * totals, and year = Σ quarters = Σ months cell by cell), so a cell hidden in a month cannot be had by
 * subtracting the other months' tables from their quarter's. Pure: no db, no http.
 */
import { attackIntervals, secondarySuppression, type Relation } from './secondary'

export const WEEKDAYS = 7
/** Hours 0–23 and, in column 24, rows that gave a date without a time of day. */
export const COLUMNS = 25
export const UNTIMED = 24
const CELLS = WEEKDAYS * COLUMNS
const ROW_TOTAL = CELLS
const COL_TOTAL = CELLS + WEEKDAYS
const TOTAL = COL_TOTAL + COLUMNS
/** Cells per table: 7 × 25 counts, 7 weekday totals, 25 hour totals, the table total. */
export const TABLE_SIZE = TOTAL + 1

export const cellIndex = (weekday: number, column: number) => (weekday - 1) * COLUMNS + column
export const rowTotalIndex = (weekday: number) => ROW_TOTAL + weekday - 1
export const colTotalIndex = (column: number) => COL_TOTAL + column
export const TOTAL_INDEX = TOTAL

export interface TimeTable {
  /** A month (2026-03), quarter (2026-Q1) or year (2026). */
  range: string
  /** counts[cellIndex(weekday, column)], 7 × 25. */
  counts: ArrayLike<number>
  /** The table's total must stay hidden whatever its size (its months are hidden in the values API). */
  hideTotal?: boolean
}

export interface TimeTableDisclosure {
  /** Per range: TABLE_SIZE values (cells, weekday totals, hour totals, total). */
  values: Map<string, Float64Array>
  /** Per range: 1 = hidden. */
  hidden: Map<string, Uint8Array>
  /** Whether the table has rows without a time of day (else column 24 is known to be 0 and left out). */
  untimed: Map<string, boolean>
  /** The problem as the attacker sees it, for audits. */
  relations: Relation[]
  offsets: Map<string, number>
}

/** The child ranges whose sum a range is: a year's quarters, a quarter's months. */
function children(range: string): string[] {
  if (/^\d{4}$/.test(range)) return [1, 2, 3, 4].map((q) => `${range}-Q${q}`)
  const q = /^(\d{4})-Q([1-4])$/.exec(range)
  if (q) return [1, 2, 3].map((k) => `${q[1]}-${String((Number(q[2]) - 1) * 3 + k).padStart(2, '0')}`)
  return []
}

/** Tables with their totals, suppressed together (see the module comment). */
export function discloseTimeTables(tables: readonly TimeTable[], threshold: number): TimeTableDisclosure {
  const offsets = new Map<string, number>()
  tables.forEach((t, i) => offsets.set(t.range, i * TABLE_SIZE))
  const values = new Float64Array(tables.length * TABLE_SIZE)
  const primary = new Uint8Array(values.length)
  const relations: Relation[] = []
  const untimed = new Map<string, boolean>()
  tables.forEach((t, i) => {
    const o = i * TABLE_SIZE
    let hasUntimed = false
    for (let w = 1; w <= WEEKDAYS; w++) {
      for (let c = 0; c < COLUMNS; c++) {
        const v = t.counts[cellIndex(w, c)] ?? 0
        values[o + cellIndex(w, c)] = v
        values[o + rowTotalIndex(w)]! += v
        values[o + colTotalIndex(c)]! += v
        values[o + TOTAL]! += v
        if (c === UNTIMED && v > 0) hasUntimed = true
      }
    }
    untimed.set(t.range, hasUntimed)
    const columns = hasUntimed ? COLUMNS : UNTIMED
    for (let k = 0; k < TABLE_SIZE; k++) {
      const column = k < CELLS ? k % COLUMNS : k >= COL_TOTAL && k < TOTAL ? k - COL_TOTAL : -1
      // Without untimed rows column 24 is known to be empty: it is shown (as 0) and in no relation.
      if (column === UNTIMED && !hasUntimed) continue
      primary[o + k] = values[o + k]! < threshold ? 1 : 0
    }
    if (t.hideTotal) primary[o + TOTAL] = 1
    for (let w = 1; w <= WEEKDAYS; w++) relations.push({ total: o + rowTotalIndex(w), parts: Array.from({ length: columns }, (_, c) => o + cellIndex(w, c)) })
    for (let c = 0; c < columns; c++) relations.push({ total: o + colTotalIndex(c), parts: Array.from({ length: WEEKDAYS }, (_, w) => o + cellIndex(w + 1, c)) })
    relations.push({ total: o + TOTAL, parts: Array.from({ length: WEEKDAYS }, (_, w) => o + rowTotalIndex(w + 1)) })
    relations.push({ total: o + TOTAL, parts: Array.from({ length: columns }, (_, c) => o + colTotalIndex(c)) })
  })
  // A range held whole in its parts is their sum, position by position.
  for (const t of tables) {
    const parts = children(t.range)
    if (parts.length === 0 || !parts.every((p) => offsets.has(p))) continue
    const o = offsets.get(t.range)!
    for (let k = 0; k < TABLE_SIZE; k++) {
      const column = k < CELLS ? k % COLUMNS : k >= COL_TOTAL && k < TOTAL ? k - COL_TOTAL : -1
      const held = parts.filter((p) => column !== UNTIMED || untimed.get(p))
      if (column === UNTIMED && !untimed.get(t.range)) continue
      relations.push({ total: o + k, parts: held.map((p) => offsets.get(p)! + k) })
    }
  }
  const { suppressed } = secondarySuppression({ values, primary, relations, threshold, protection: threshold })
  const hidden = new Map<string, Uint8Array>()
  const byRange = new Map<string, Float64Array>()
  for (const [range, o] of offsets) {
    hidden.set(range, suppressed.slice(o, o + TABLE_SIZE))
    byRange.set(range, values.slice(o, o + TABLE_SIZE))
  }
  return { values: byRange, hidden, untimed, relations, offsets }
}

/** The attacker's bounds on every cell of every table, given what is shown (for tests and audits). */
export function attackTimeTables(d: TimeTableDisclosure): Map<string, { lo: Float64Array; hi: Float64Array }> {
  const n = d.offsets.size * TABLE_SIZE
  const values = new Float64Array(n)
  const suppressed = new Uint8Array(n)
  for (const [range, o] of d.offsets) {
    values.set(d.values.get(range)!, o)
    suppressed.set(d.hidden.get(range)!, o)
  }
  const { lo, hi } = attackIntervals(values, suppressed, d.relations)
  return new Map([...d.offsets].map(([range, o]) => [range, { lo: lo.slice(o, o + TABLE_SIZE), hi: hi.slice(o, o + TABLE_SIZE) }]))
}
