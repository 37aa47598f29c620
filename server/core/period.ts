/**
 * Periods are strings — `2024`, `2024-H1`, `2024-Q3`, `2024-05`, and ISO weeks `2026-W10` — each a half-open
 * date range [start, end). A week runs Monday to Sunday and belongs to the ISO week-year of its Thursday, so
 * `2026-W01` starts on 2025-12-29; weeks do not nest in months. Pure: no db, no http.
 */
export type PeriodKind = 'year' | 'half' | 'quarter' | 'month' | 'week'
/** Coarsest first. */
export const PERIOD_KINDS = ['year', 'half', 'quarter', 'month', 'week'] as const satisfies readonly PeriodKind[]

export interface Period {
  id: string
  kind: PeriodKind
  year: number
  /** ISO date, inclusive. */
  start: string
  /** ISO date, exclusive. */
  end: string
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]|W(?:0[1-9]|[1-4]\d|5[0-3])))?$/
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
  if (part?.startsWith('W')) {
    const week = Number(part.slice(1))
    if (week > isoWeeksIn(year)) return null
    const start = addDays(isoWeekOneMonday(year), 7 * (week - 1))
    return { id: text, kind: 'week', year, start, end: addDays(start, 7) }
  }
  let kind: PeriodKind
  let firstMonth: number
  let months: number
  if (!part) [kind, firstMonth, months] = ['year', 1, 12]
  else if (part.startsWith('H')) [kind, firstMonth, months] = ['half', part === 'H1' ? 1 : 7, 6]
  else if (part.startsWith('Q')) [kind, firstMonth, months] = ['quarter', (Number(part[1]) - 1) * 3 + 1, 3]
  else [kind, firstMonth, months] = ['month', Number(part), 1]
  return { id: text, kind, year, start: iso(year, firstMonth), end: iso(year, firstMonth + months) }
}

const DAY = 86_400_000
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)

/** The Monday of ISO week 1: the week with the year's first Thursday (the one holding 4 January). */
function isoWeekOneMonday(year: number): string {
  const jan4 = new Date(Date.UTC(year, 0, 4))
  const weekday = (jan4.getUTCDay() + 6) % 7 // Monday 0
  return addDays(jan4.toISOString().slice(0, 10), -weekday)
}

/** 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52. */
export function isoWeeksIn(year: number): number {
  return (Date.parse(`${isoWeekOneMonday(year + 1)}T00:00:00Z`) - Date.parse(`${isoWeekOneMonday(year)}T00:00:00Z`)) / (7 * DAY)
}

/** The ISO week a date falls in, as a period id (2025-12-29 is in 2026-W01). */
export function isoWeekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  const thursday = addDays(date, 3 - ((d.getUTCDay() + 6) % 7))
  const year = Number(thursday.slice(0, 4))
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${isoWeekOneMonday(year)}T00:00:00Z`)) / (7 * DAY)) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The ISO weeks that exactly make up a period, in order; null when it does not start and end on a Monday. */
export function weeksMakingUp(period: Period): string[] | null {
  if (period.kind === 'week') return null
  const days = (Date.parse(`${period.end}T00:00:00Z`) - Date.parse(`${period.start}T00:00:00Z`)) / DAY
  if (new Date(`${period.start}T00:00:00Z`).getUTCDay() !== 1 || days % 7 !== 0) return null
  return Array.from({ length: days / 7 }, (_, i) => isoWeekOf(addDays(period.start, 7 * i)))
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
  // Weeks are for the operational picture: a trend starts on them only when nothing else is held.
  if (span.size > 1) span.delete('week')
  for (const kind of PERIOD_KINDS) {
    const s = span.get(kind)
    if (!s) continue
    const days = (Date.parse(s.end) - Date.parse(s.start)) / 86_400_000
    if (days >= bestDays) [best, bestDays] = [kind, days] // finer kinds come later and win ties
  }
  return best
}

/** The period shown when none is asked for: the latest to start, a week only when nothing else is held. */
export function defaultPeriod(sorted: readonly string[]): string | undefined {
  return sorted.filter((p) => parsePeriod(p)?.kind !== 'week').at(-1) ?? sorted.at(-1)
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
