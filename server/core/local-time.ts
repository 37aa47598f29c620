/**
 * An incident's time stamp → its local (Europe/Stockholm) date, ISO weekday and hour, for the weekday ×
 * hour profile. A time without an offset is read as Stockholm wall-clock time (what police and city
 * extracts give); one with Z or ±hh:mm is an instant, converted with the zone's rules, so a summer-time
 * change moves it by the right hour. A date without a time has no hour. Pure.
 */

export interface LocalTime {
  /** YYYY-MM-DD in Stockholm. */
  date: string
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number
  /** 0..23, or null when the stamp has only a date. */
  hour: number | null
}

const STAMP = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i

const stockholm = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
})

/** ISO weekday of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay()
  return d === 0 ? 7 : d
}

/** Null when the text is no date or time this reader accepts (hour > 23, minute > 59, …). The date itself is checked by the caller. */
export function localTime(text: string): LocalTime | null {
  const m = STAMP.exec(text.trim())
  if (!m) return null
  const [, date, hh, mm, ss, zone] = m
  if (hh === undefined) return { date: date!, weekday: isoWeekday(date!), hour: null }
  const hour = Number(hh)
  if (hour > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59)) return null
  if (!zone) return { date: date!, weekday: isoWeekday(date!), hour }
  let offsetMinutes = 0
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'))
  }
  const instant = Date.parse(`${date}T${hh}:${mm}:${ss ?? '00'}Z`) - offsetMinutes * 60_000
  if (!Number.isFinite(instant)) return null
  const parts = Object.fromEntries(stockholm.formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  const local = `${parts.year}-${parts.month}-${parts.day}`
  return { date: local, weekday: isoWeekday(local), hour: Number(parts.hour) }
}
