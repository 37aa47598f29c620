/**
 * Periods are strings — `2024`, `2024-H1`, `2024-Q3`, `2024-05` — each a half-open date range
 * [start, end). Pure: no db, no http.
 */
export type PeriodKind = 'year' | 'half' | 'quarter' | 'month'

export interface Period {
  id: string
  kind: PeriodKind
  year: number
  /** ISO date, inclusive. */
  start: string
  /** ISO date, exclusive. */
  end: string
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/
export const MIN_YEAR = 1990
export const MAX_YEAR = 2100

const iso = (y: number, m: number) => `${y + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01`

/** Parses a period string; returns null when it is not one. */
export function parsePeriod(text: string): Period | null {
  const m = PERIOD_PATTERN.exec(text)
  if (!m) return null
  const year = Number(m[1])
  if (year < MIN_YEAR || year > MAX_YEAR) return null
  const part = m[2]
  let kind: PeriodKind
  let firstMonth: number
  let months: number
  if (!part) [kind, firstMonth, months] = ['year', 1, 12]
  else if (part.startsWith('H')) [kind, firstMonth, months] = ['half', part === 'H1' ? 1 : 7, 6]
  else if (part.startsWith('Q')) [kind, firstMonth, months] = ['quarter', (Number(part[1]) - 1) * 3 + 1, 3]
  else [kind, firstMonth, months] = ['month', Number(part), 1]
  return { id: text, kind, year, start: iso(year, firstMonth), end: iso(year, firstMonth + months) }
}

/** Orders periods by start, then longest first (2024 before 2024-H1 before 2024-Q1). */
export function comparePeriods(a: string, b: string): number {
  const pa = parsePeriod(a)
  const pb = parsePeriod(b)
  if (!pa || !pb) return a.localeCompare(b)
  return pa.start.localeCompare(pb.start) || pb.end.localeCompare(pa.end)
}

/** Is `text` a real calendar date in ISO form (YYYY-MM-DD)? */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
}

/** The same day some months earlier, kept within the month: 2025-05-31 minus 3 months is 2025-02-28. */
export function monthsBefore(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  const day = d.getUTCDate()
  d.setUTCMonth(d.getUTCMonth() - months, 1)
  const lastDay = new Date(d.getTime())
  lastDay.setUTCMonth(d.getUTCMonth() + 1, 0)
  d.setUTCDate(Math.min(day, lastDay.getUTCDate()))
  return d.toISOString().slice(0, 10)
}
