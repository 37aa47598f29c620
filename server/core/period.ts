/**
 * Periods are strings — `2024`, `2024-H1`, `2024-Q3`, `2024-05` — each a half-open date range
 * [start, end). Pure: no db, no http.
 */
export type PeriodKind = 'year' | 'half' | 'quarter' | 'month'
/** Coarsest first. */
export const PERIOD_KINDS = ['year', 'half', 'quarter', 'month'] as const satisfies readonly PeriodKind[]

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

/**
 * The period kind a trend shows by default: the one whose periods span the longest stretch of time (first
 * start to last end), the finest of those that tie — so years 2019–2025 plus eleven months of 2026 show as
 * years, and a full run of months shows as months.
 */
export function defaultPeriodKind(periods: Iterable<string>): PeriodKind | null {
  const span = new Map<PeriodKind, { start: string; end: string }>()
  for (const id of periods) {
    const p = parsePeriod(id)
    if (!p) continue
    const s = span.get(p.kind)
    if (!s) span.set(p.kind, { start: p.start, end: p.end })
    else {
      if (p.start < s.start) s.start = p.start
      if (p.end > s.end) s.end = p.end
    }
  }
  let best: PeriodKind | null = null
  let bestDays = -1
  for (const kind of PERIOD_KINDS) {
    const s = span.get(kind)
    if (!s) continue
    const days = (Date.parse(s.end) - Date.parse(s.start)) / 86_400_000
    if (days >= bestDays) [best, bestDays] = [kind, days] // finer kinds come later and win ties
  }
  return best
}

/** The kinds present among some periods, coarsest first. */
export function periodKindsOf(periods: Iterable<string>): PeriodKind[] {
  const have = new Set<PeriodKind>()
  for (const id of periods) {
    const k = parsePeriod(id)?.kind
    if (k) have.add(k)
  }
  return PERIOD_KINDS.filter((k) => have.has(k))
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
