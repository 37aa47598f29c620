/**
 * The rolling windows of the continuous local picture, made of whole ISO weeks: the last 28 days are the last
 * four weeks that had ended by a date, compared with the four before and with the same four weeks a year
 * earlier (52 weeks back, so weekdays line up, as CompStat does); year to date is the ISO year's weeks so far
 * against the same weeks of the year before. Pure: no db, no http.
 */
import { isoWeekOf, isoWeeksIn, parsePeriod } from './period'

export type WindowKind = '28d' | 'ytd'

export interface WindowWeeks {
  /** The weeks compared, oldest first. */
  current: string[]
  /** 28d: the four weeks before; null for ytd. */
  previous: string[] | null
  /** The same weeks a year earlier. */
  lastYear: string[]
}

const DAY = 86_400_000
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
/** The week `n` weeks after (negative: before) a week. */
export const weeksAfter = (week: string, n: number) => isoWeekOf(shift(parsePeriod(week)!.start, 7 * n))

/** The last ISO week whose Sunday is on or before `end`. */
export function lastWholeWeek(end: string): string {
  const containing = parsePeriod(isoWeekOf(end))!
  // The week holding `end` counts only when `end` is its Sunday.
  return containing.end === shift(end, 1) ? containing.id : weeksAfter(containing.id, -1)
}

export function windowWeeks(end: string, kind: WindowKind): WindowWeeks {
  const last = lastWholeWeek(end)
  if (kind === '28d') {
    const current = [-3, -2, -1, 0].map((n) => weeksAfter(last, n))
    return { current, previous: current.map((w) => weeksAfter(w, -4)), lastYear: current.map((w) => weeksAfter(w, -52)) }
  }
  const year = parsePeriod(last)!.year
  const upTo = Number(last.slice(6))
  const current = Array.from({ length: upTo }, (_, i) => `${year}-W${String(i + 1).padStart(2, '0')}`)
  // Week 53 has no twin in a 52-week year: the comparison stops at the weeks both years have.
  const lastYear = Array.from({ length: Math.min(upTo, isoWeeksIn(year - 1)) }, (_, i) => `${year - 1}-W${String(i + 1).padStart(2, '0')}`)
  return { current, previous: null, lastYear }
}
