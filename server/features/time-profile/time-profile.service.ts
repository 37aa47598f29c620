/**
 * Weekday × hour tables of an indicator's incidents in one area, summed over a month, a calendar quarter or
 * a calendar year. Only these fixed ranges are offered: a free range of months would let two overlapping
 * ranges be subtracted. Outside the analyst role the tables are disclosed as server/disclosure/time-table.ts
 * releases them — every table of the area's year suppressed together, a total hidden where the values API
 * hides the same figure — and only for stadsområden, the one offered layer whose areas do not nest in each
 * other (a primärområde's table subtracted from its stadsdel's would give hidden cells away).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { AppError } from '../../errors'
import {
  cellIndex,
  colTotalIndex,
  COLUMNS,
  discloseTimeTables,
  rowTotalIndex,
  TOTAL_INDEX,
  UNTIMED,
  type TimeTable,
} from '../../disclosure/time-table'
import { coveredMonths, findArea, findIndicator, layerExists, profileCounts } from './time-profile.repository'
import type { TimeProfileCount, TimeProfileDto, TimeProfileQuery } from './time-profile.schema'

/** The layer whose tables members outside the analyst role may see. */
export const OUTSIDE_LAYER = 'stadsomrade'

export interface TimeProfileSources {
  /** Per area, whether the values API hides the period's value outside the analyst role; null when it has none. */
  hiddenOutside(indicator: string, layer: string, period: string): Promise<Map<number, boolean> | null>
}

type Range = TimeProfileDto['range'] & { months: string[] }

const pad = (n: number) => String(n).padStart(2, '0')

/** One month, a calendar quarter or a calendar year; null for any other pair of months. */
export function rangeOf(from: string, to: string): Range | null {
  const year = from.slice(0, 4)
  if (to.slice(0, 4) !== year) return null
  const a = Number(from.slice(5, 7))
  const b = Number(to.slice(5, 7))
  const months = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, k) => `${year}-${pad(first + k)}`)
  if (a === b) return { id: from, kind: 'month', from, to, months: [from] }
  if (a === 1 && b === 12) return { id: year, kind: 'year', from, to, months: months(1, 12) }
  if ((a - 1) % 3 === 0 && b === a + 2) return { id: `${year}-Q${(a + 2) / 3}`, kind: 'quarter', from, to, months: months(a, b) }
  return null
}

function sumOf(counts: Map<string, number[]>, months: readonly string[]): number[] {
  const out = new Array<number>(7 * COLUMNS).fill(0)
  for (const m of months) counts.get(m)?.forEach((v, k) => (out[k]! += v))
  return out
}

/** The tables of a year held whole in the covered months: each month, each whole quarter, the whole year. */
function yearTables(year: string, covered: Set<string>, counts: Map<string, number[]>): Array<TimeTable & { months: string[] }> {
  const sum = (months: string[]) => sumOf(counts, months)
  const tables: Array<TimeTable & { months: string[] }> = []
  for (let m = 1; m <= 12; m++) {
    const id = `${year}-${pad(m)}`
    if (covered.has(id)) tables.push({ range: id, counts: sum([id]), months: [id] })
  }
  for (let q = 1; q <= 4; q++) {
    const months = [1, 2, 3].map((k) => `${year}-${pad((q - 1) * 3 + k)}`)
    if (months.every((m) => covered.has(m))) tables.push({ range: `${year}-Q${q}`, counts: sum(months), months })
  }
  const all = Array.from({ length: 12 }, (_, k) => `${year}-${pad(k + 1)}`)
  if (all.every((m) => covered.has(m))) tables.push({ range: year, counts: sum(all), months: all })
  return tables
}

export async function timeProfile(db: Kysely<Database>, sources: TimeProfileSources, internal: boolean, q: TimeProfileQuery): Promise<TimeProfileDto> {
  const range = rangeOf(q.from, q.to)
  if (!range) {
    const message = 'välj en månad, ett kalenderkvartal (t.ex. 2026-01–2026-03) eller ett kalenderår (2026-01–2026-12)'
    throw new AppError(422, 'validation_failed', 'Perioden måste vara en månad, ett kvartal eller ett år', [
      { field: 'from', message },
      { field: 'to', message },
    ])
  }
  const indicator = await findIndicator(db, q.indicator)
  if (!indicator) throw AppError.notFound(`Okänd indikator: ${q.indicator}`, [{ field: 'indicator', message: 'indikatorn finns inte' }])
  if (indicator.unit !== 'count') {
    throw new AppError(422, 'validation_failed', 'Veckodag och timme räknas för antal', [{ field: 'indicator', message: `${indicator.name} är inte ett antal` }])
  }
  if (!(await layerExists(db, q.layer))) throw AppError.notFound(`Okänd indelning: ${q.layer}`, [{ field: 'layer', message: 'indelningen finns inte' }])
  const area = await findArea(db, q.area)
  if (!area) throw AppError.notFound(`Okänt område: ${q.area}`, [{ field: 'area', message: `inget område med id ${q.area}` }])
  if (area.layer_id !== q.layer) {
    throw new AppError(422, 'validation_failed', `${area.name} hör inte till indelningen ${q.layer}`, [{ field: 'area', message: `området hör till ${area.layer_id}` }])
  }
  const offeredOutside = q.layer === OUTSIDE_LAYER
  if (!internal && !offeredOutside) {
    throw AppError.forbidden('Veckodag och timme visas per stadsområde; finare indelningar bara för analytiker', [
      { field: 'layer', message: `endast ${OUTSIDE_LAYER} utanför analytikerrollen (mindre områden inuti varandra skulle röja dolda celler)` },
    ])
  }

  const year = range.from.slice(0, 4)
  const covered = new Set(await coveredMonths(db, q.indicator, q.area, Number(year)))
  const months = range.months.filter((m) => covered.has(m))
  const missingMonths = range.months.filter((m) => !covered.has(m))
  if (months.length === 0 || (!internal && missingMonths.length)) {
    throw AppError.notFound(`Inga tidpunkter för ${indicator.name} i ${area.name} för ${range.id}`, [
      { field: 'to', message: months.length === 0 ? 'inga händelser med tidpunkter inlästa för perioden' : `perioden är inte hel: saknar ${missingMonths.join(', ')}` },
    ])
  }

  const counts = new Map<string, number[]>()
  for (const r of await profileCounts(db, q.indicator, q.area, [...covered])) {
    const c = counts.get(r.period) ?? counts.set(r.period, new Array<number>(7 * COLUMNS).fill(0)).get(r.period)!
    c[cellIndex(r.weekday, r.hour)] = Number(r.count)
  }
  const tables = yearTables(year, covered, counts)
  // An analyst may ask for a range not yet whole: the months there are, summed.
  const requested = tables.find((t) => t.range === range.id) ?? { range: range.id, counts: sumOf(counts, months), months }

  // What the table discloses outside the analyst role (to show it outside, or mark it for an analyst).
  let disclosure: ReturnType<typeof discloseTimeTables> | null = null
  if (offeredOutside) {
    const hiddenIn = new Map<string, boolean>()
    for (const period of new Set(tables.flatMap((t) => [t.range, ...t.months]))) {
      const hidden = await sources.hiddenOutside(q.indicator, q.layer, period)
      hiddenIn.set(period, hidden?.get(q.area) ?? false)
    }
    disclosure = discloseTimeTables(
      tables.map((t) => ({ ...t, hideTotal: [t.range, ...t.months].some((p) => hiddenIn.get(p)) })),
      indicator.min_publish_count,
    )
  }
  const values = disclosure?.values.get(range.id)
  const hiddenMask = disclosure?.hidden.get(range.id)
  const valueAt = (k: number, fallback: () => number) => (values ? values[k]! : fallback())
  const c = requested.counts
  const cellCount = (w: number, h: number) => c[cellIndex(w, h)] ?? 0
  const present = (k: number, count: number): TimeProfileCount => {
    const hiddenOutside = hiddenMask ? hiddenMask[k] === 1 : true
    if (internal) return { count, hidden: false, ...(offeredOutside ? { hiddenOutside } : {}) }
    return hiddenOutside ? { count: null, hidden: true } : { count, hidden: false }
  }
  let untimed = false
  for (let w = 1; w <= 7; w++) if (cellCount(w, UNTIMED) > 0) untimed = true
  const hours = Array.from({ length: untimed ? COLUMNS : 24 }, (_, h) => h)
  const weekdays = [1, 2, 3, 4, 5, 6, 7]
  const rowSum = (w: number) => hours.reduce((s, h) => s + cellCount(w, h), 0)
  const colSum = (h: number) => weekdays.reduce((s, w) => s + cellCount(w, h), 0)
  return {
    indicator: q.indicator,
    indicatorName: indicator.name,
    layer: q.layer,
    areaId: q.area,
    areaName: area.name,
    range: { id: range.id, kind: range.kind, from: range.from, to: range.to },
    months,
    missingMonths,
    suppression: { threshold: indicator.min_publish_count, internal },
    untimed,
    cells: weekdays.flatMap((w) => hours.map((h) => ({ weekday: w, hour: h, ...present(cellIndex(w, h), valueAt(cellIndex(w, h), () => cellCount(w, h))) }))),
    weekdays: weekdays.map((w) => ({ weekday: w, ...present(rowTotalIndex(w), valueAt(rowTotalIndex(w), () => rowSum(w))) })),
    hours: hours.map((h) => ({ hour: h, ...present(colTotalIndex(h), valueAt(colTotalIndex(h), () => colSum(h))) })),
    total: present(TOTAL_INDEX, valueAt(TOTAL_INDEX, () => weekdays.reduce((s, w) => s + rowSum(w), 0))),
  }
}
