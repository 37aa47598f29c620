/**
 * Calendar dates as the API writes them (YYYY-MM-DD), read in the client. Pure. The same rules as the
 * server's (server/core/period.ts), written again here because the client imports only types from the server.
 */

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
