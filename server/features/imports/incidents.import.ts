import { allowLongWork } from '../../../db/connect'
/**
 * Incident extracts: geocoded points with a date and a category, read in memory (incidents.reader.ts),
 * aggregated into every area layer valid at each incident's date per month and per ISO week, and into the
 * hexagon grid per month (server/spatial/aggregate.ts), and dropped. Only counts are written, in one transaction; the import log
 * keeps the file's hash and row counts, never rows.
 */
import type { Kysely } from 'kysely'
import type { Database, NewObservation, TimeProfileTable } from '../../../db/schema'
import { isoWeekOf, parsePeriod, type Period } from '../../core/period'
import type { Actor } from '../../../db/audit'
import { AppError } from '../../errors'
import { dayNumber, epochAt, PointTally, type LayerEpoch } from '../../spatial/aggregate'
import { DEFAULT_HEX_RESOLUTION, hexBoundary, hexCover } from '../../spatial/hexbin'
import { projectorTo3006, type Crs } from '../../spatial/reproject'
import { insertGeneratedAreas } from '../../../db/areas'
import {
  areaIdsByCode,
  cityOutlineWgs84,
  deleteObservations,
  deleteTimeProfiles,
  ensureLayer,
  findActiveImportByHash,
  findObservationsIn,
  insertImportLog,
  insertObservations,
  insertTimeProfiles,
  listIndicatorUnits,
  markReplaced,
} from './imports.repository'
import type { IncidentImportResult, IncidentPreview } from './imports.schema'
import { MIN_DATE, readIncidents, type Problem } from './incidents.reader'
import { meteredUpload, rejected } from './upload'
import { areaIndexes } from './area-index.cache'
import { setImmediate as nextTurn } from 'node:timers/promises'

type NewTimeProfile = TimeProfileTable
export const HEX_LAYER = 'hex'
const YIELD_EVERY = 10_000
const CITY_LAYER = 'stadsomrade'
/**
 * The layers counted per week: the continuous local picture's (the city's and the police's areas, down to
 * primärområden, and the utsatta områden). Weekly counts of DeSO, RegSO or hexagons would be mostly below
 * any threshold and would multiply the disclosure cube's work for nothing anyone can be shown.
 */
export const WEEK_LAYERS: ReadonlySet<string> = new Set(['stadsomrade', 'lokalpolisomrade', 'stadsdel', 'primaromrade', 'utsatt_omrade'])

export interface IncidentImportOptions {
  fileName: string
  format: 'csv' | 'geojson'
  /** CRS of projected coordinates (x/y); lon/lat columns are always WGS84. */
  crs: Crs | null
  /** Category → indicator id; a category equal to an indicator id maps to it without this. */
  map: Record<string, string>
  strict: boolean
  dryRun: boolean
  replace: boolean
  actor: Actor
  /** Tests only: the suite keeps signing in as demo accounts after real imports. */
  keepDemoAccounts?: boolean
  onProgress?: (rowsRead: number, phase: 'reading' | 'writing') => void
}


export async function importIncidents(db: Kysely<Database>, body: AsyncIterable<Uint8Array>, opts: IncidentImportOptions): Promise<IncidentPreview | IncidentImportResult> {
  const upload = meteredUpload(body)
  // Every layer but the grid, one index per stretch of time in which the same boundary versions hold.
  const [epochs, indicators] = await Promise.all([areaIndexes(db, HEX_LAYER), listIndicatorUnits(db)])
  const layerEpochs = new Map<string, LayerEpoch[]>()
  for (const e of epochs) layerEpochs.set(e.layerId, [...(layerEpochs.get(e.layerId) ?? []), e])
  const countIndicators = new Set(indicators.filter((i) => i.unit === 'count').map((i) => i.id))
  const today = new Date().toISOString().slice(0, 10)

  const problems: Problem[] = []
  const categories = new Map<string, number>()
  const months = new Set<string>()
  const weeks = new Set<string>()
  let rowsRead = 0
  let minDate: string | null = null
  let maxDate: string | null = null

  // (category, month, week) get dense slot numbers as they appear, so the tally does no string work; a
  // month sums its slots, and so does a week (one that straddles two months has a slot in each).
  const tally = new PointTally(epochs, CITY_LAYER, DEFAULT_HEX_RESOLUTION, WEEK_LAYERS)
  const slotKeys: Array<{ category: string; month: string; week: string }> = []
  const slotOf = new Map<string, number>()
  const slotByDate = new Map<string, Map<string, number>>()
  // The weekday × hour profile of the week layers: a block of 25 profile slots (hours 0–23, 24 = no time)
  // per (category, month, weekday), found by (category, date) like the slots above.
  const profileKeys: Array<{ category: string; month: string; weekday: number }> = []
  const profileOf = new Map<string, number>()
  const profileByDate = new Map<string, Map<string, number>>()
  let rowsWithoutTime = 0

  for await (const batch of readIncidents(upload.stream, { format: opts.format, crs: opts.crs, today }, problems)) {
    for (const p of batch) {
      rowsRead++
      if (rowsRead % YIELD_EVERY === 0) {
        if (opts.onProgress && rowsRead % 50_000 === 0) opts.onProgress(rowsRead, 'reading')
        // A million rows are seconds of CPU: let other requests in now and then.
        await nextTurn()
      }
      if (!p) continue
      const { category: cat, date } = p
      categories.set(cat, (categories.get(cat) ?? 0) + 1)
      if (!minDate || date < minDate) minDate = date
      if (!maxDate || date > maxDate) maxDate = date
      // Extracts repeat a few thousand dates and a handful of categories: look the slot up without building strings.
      let byDate = slotByDate.get(cat)
      if (!byDate) slotByDate.set(cat, (byDate = new Map()))
      let slot = byDate.get(date)
      if (slot === undefined) {
        const month = date.slice(0, 7)
        const week = isoWeekOf(date)
        months.add(month)
        weeks.add(week)
        const key = `${cat}|${month}|${week}`
        slot = slotOf.get(key)
        if (slot === undefined) {
          slot = slotKeys.length
          slotKeys.push({ category: cat, month, week })
          slotOf.set(key, slot)
        }
        byDate.set(date, slot)
      }
      let profileDates = profileByDate.get(cat)
      if (!profileDates) profileByDate.set(cat, (profileDates = new Map()))
      let base = profileDates.get(date)
      if (base === undefined) {
        const key = `${cat}|${date.slice(0, 7)}|${p.weekday}`
        base = profileOf.get(key)
        if (base === undefined) {
          base = profileKeys.length * 25
          profileKeys.push({ category: cat, month: date.slice(0, 7), weekday: p.weekday })
          profileOf.set(key, base)
        }
        profileDates.set(date, base)
      }
      if (p.hour === null) rowsWithoutTime++
      tally.add(p.e, p.n, dayNumber(date), slot, base + (p.hour ?? 24))
    }
  }
  tally.flush()
  const { accepted, outside } = tally
  opts.onProgress?.(rowsRead, 'reading')

  if (rowsRead === 0) throw rejected('Filen innehåller inga händelser', [{ row: 2, field: 'file', message: 'inga rader efter rubrikraden' }])
  const categoryList = [...categories.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([category, rows]) => {
      const target = opts.map[category] ?? category
      return { category, rows, indicatorId: countIndicators.has(target) ? target : null }
    })
  const sha256 = upload.sha256()
  const earlier = await findActiveImportByHash(db, 'incidents', sha256)
  const preview: IncidentPreview = {
    dryRun: opts.dryRun,
    rowsRead,
    rowsAccepted: accepted,
    rowsRejected: rowsRead - accepted - outside,
    rowsOutsideCity: outside,
    rowsWithoutTime,
    categories: categoryList,
    dateRange: minDate && maxDate ? { from: minDate, to: maxDate } : null,
    periods: [...months].sort(),
    areasTouched: tally.areasTouched(),
    problems: problems.slice(0, 200),
    duplicateOf: earlier?.id ?? null,
  }
  if (opts.dryRun) return preview

  if (problems.length && opts.strict) throw rejected('Filen har fel och lästes inte in (strikt läge)', problems)
  const unmapped = categoryList.filter((c) => c.indicatorId === null)
  if (unmapped.length) {
    throw rejected(
      `Kategorier utan indikator: ${unmapped.map((c) => c.category).join(', ')}`,
      unmapped.map((c) => ({ field: 'category', message: `"${c.category}" (${c.rows} rader) saknar koppling till en indikator; ange map=${c.category}:indikator` })),
    )
  }
  if (accepted === 0) throw rejected('Inga händelser inom staden', [{ field: 'coordinates', message: `${outside} händelser ligger utanför staden` }])
  if (earlier && !opts.replace) {
    throw new AppError(409, 'conflict', `Samma fil lästes redan in (import ${earlier.id}). Välj att ersätta den för att läsa in den igen.`, [
      { field: 'file', message: `same SHA-256 as import ${earlier.id}` },
    ])
  }

  const indicatorOf = new Map(categoryList.map((c) => [c.category, c.indicatorId!]))
  const categoriesOf = new Map<string, string[]>()
  for (const [category, indicatorId] of indicatorOf) (categoriesOf.get(indicatorId) ?? categoriesOf.set(indicatorId, []).get(indicatorId)!).push(category)
  const monthList = [...months].sort()
  const weekList = [...weeks].sort()
  const indicatorIds = [...categoriesOf.keys()]
  const existing = await findObservationsIn(db, indicatorIds, [...monthList, ...weekList])
  if (existing.length && !opts.replace) {
    const pairs = [...new Set(existing.map((e) => `${e.indicator_id} ${e.period} (import ${e.import_id})`))]
    throw new AppError(409, 'conflict', `Det finns redan värden för ${pairs.length} indikator-månader. Välj att ersätta dem.`, pairs.slice(0, 50).map((p) => ({ field: 'period', message: p })))
  }

  // A file of bare dates has no weekday × hour profile to give (every count would be "time unknown").
  const hasTimes = [...categories.values()].reduce((a, b) => a + b, 0) > rowsWithoutTime
  opts.onProgress?.(rowsRead, 'writing')
  return db.transaction().execute(async (trx) => {
    await allowLongWork(trx)
    const importId = await insertImportLog(trx, {
      actor: opts.actor,
      keepDemoAccounts: opts.keepDemoAccounts,
      kind: 'incidents',
      fileName: opts.fileName,
      sha256,
      rowsRead,
      rowsAccepted: accepted,
      details: { outsideCity: outside, rejected: rowsRead - accepted - outside, months: monthList, weeks: weekList, categories: categoryList, crs: opts.crs, timeProfile: hasTimes, withoutTime: rowsWithoutTime },
    })
    await deleteObservations(trx, existing.map((e) => e.id))
    // The profile follows the observations: the months this file covers are replaced for its indicators.
    await deleteTimeProfiles(trx, indicatorIds, monthList)
    if (earlier) await markReplaced(trx, [earlier.id], importId)

    // Every area of every layer valid in a month (and of the week layers in a week) gets a value for it, zero
    // included; the grid only where something happened, per month.
    const rows: NewObservation[] = []
    const monthPeriods = new Map(monthList.map((m) => [m, parsePeriod(m)!]))
    const slotsOf = new Map<string, number[]>()
    slotKeys.forEach(({ category, month, week }, slot) => {
      for (const k of [`${category}|${month}`, `${category}|${week}`]) (slotsOf.get(k) ?? slotsOf.set(k, []).get(k)!).push(slot)
    })
    const weekPeriods = weekList.map((w) => parsePeriod(w)!)
    for (const [layer, list] of layerEpochs) {
      for (const p of WEEK_LAYERS.has(layer) ? [...monthPeriods.values(), ...weekPeriods] : monthPeriods.values()) {
        const e = epochAt(list, dayNumber(p.start))
        // A period across a change of this layer's boundaries would count only the days before it: write none.
        if (!e || epochAt(list, dayNumber(lastDay(p))) !== e) continue
        // Every indicator of the file in every period it covers (a category absent in a period had none then);
        // the categories mapped to one indicator add up into it.
        for (const [indicatorId, cats] of categoriesOf) {
          const slotList = cats.flatMap((c) => slotsOf.get(`${c}|${p.id}`) ?? [])
          e.areaIds.forEach((areaId, pos) => {
            let v = 0
            for (const slot of slotList) v += tally.count(e, pos, slot)
            rows.push(obs(indicatorId, areaId, p, v, importId))
          })
        }
      }
    }
    if (tally.cells.size) {
      await ensureLayer(trx, {
        id: HEX_LAYER,
        name: 'Hexagonrutnät',
        kind: 'grid',
        description: `H3-hexagoner, upplösning ${DEFAULT_HEX_RESOLUTION} (i genomsnitt 0,74 km²), oberoende av administrativa gränser.`,
        source: 'Uber H3 (h3-js), beräknat i Lägesbild',
        licence: 'Apache-2.0 (H3)',
        sort_order: 70,
        approximate: false,
        approximate_reason: null,
      })
      // The grid is the city's cover and nothing else, not only the cells where something happened and no
      // cell because something happened: a cell's existence must not tell the public that an incident took
      // place there. Every point the city counts lies in a cell of the cover.
      const cells = hexCover(await cityOutlineWgs84(trx), DEFAULT_HEX_RESOLUTION)
      const cover = new Set(cells)
      const known = await areaIdsByCode(trx, HEX_LAYER, cells)
      const project = projectorTo3006('EPSG:4326')
      const created = await insertGeneratedAreas(
        trx,
        HEX_LAYER,
        MIN_DATE,
        importId,
        cells
          .filter((c) => !known.has(c))
          .map((cell) => ({
            code: cell,
            name: `Hexagon ${cell}`,
            geometry: JSON.stringify({ type: 'Polygon', coordinates: hexBoundary(cell).map((ring) => ring.map(([lon, lat]) => project(lon!, lat!))) }),
          })),
      )
      for (const [cell, t] of tally.cells) {
        if (!cover.has(cell)) throw new Error(`incident import: hexagon ${cell} holds a point in the city but is not in the city's cover`)
        const id = known.get(cell) ?? created.get(cell)!
        const sums = new Map<string, { indicatorId: string; month: string; v: number }>()
        t.forEach((v, slot) => {
          if (v === 0) return
          const { category, month } = slotKeys[slot]!
          const indicatorId = indicatorOf.get(category)!
          const k = `${indicatorId}|${month}`
          const s = sums.get(k) ?? sums.set(k, { indicatorId, month, v: 0 }).get(k)!
          s.v += v
        })
        for (const s of sums.values()) rows.push(obs(s.indicatorId, id, monthPeriods.get(s.month)!, s.v, importId))
      }
    }
    await insertObservations(trx, rows)
    if (hasTimes) await insertTimeProfiles(trx, timeProfileRows(layerEpochs, monthPeriods, tally, profileKeys, indicatorOf, importId))
    return { ...preview, importId, observationsWritten: rows.length, replacedValues: existing.length }
  })
}

/**
 * The weekday × hour counts of the week layers per indicator, area and month, where > 0. A month across a
 * change of a layer's boundaries gets none, as it gets no observation.
 */
function timeProfileRows(
  layerEpochs: Map<string, LayerEpoch[]>,
  monthPeriods: Map<string, Period>,
  tally: PointTally,
  profileKeys: ReadonlyArray<{ category: string; month: string; weekday: number }>,
  indicatorOf: Map<string, string>,
  importId: number,
): NewTimeProfile[] {
  const sums = new Map<string, NewTimeProfile>()
  for (const [layer, list] of layerEpochs) {
    if (!WEEK_LAYERS.has(layer)) continue
    const whole = new Map([...monthPeriods].map(([m, p]) => {
      const e = epochAt(list, dayNumber(p.start))
      return [m, e && epochAt(list, dayNumber(lastDay(p))) === e ? e : null] as const
    }))
    for (const e of list) {
      for (const [pos, profile, count] of tally.profileCounts(e)) {
        const key = profileKeys[Math.floor(profile / 25)]!
        if (whole.get(key.month) !== e) continue
        const indicatorId = indicatorOf.get(key.category)!
        const areaId = e.areaIds[pos]!
        const hour = profile % 25
        const k = `${indicatorId}|${areaId}|${key.month}|${key.weekday}|${hour}`
        const row = sums.get(k) ?? sums.set(k, { indicator_id: indicatorId, layer_id: layer, area_id: areaId, period: key.month, weekday: key.weekday, hour, count: 0, import_id: importId }).get(k)!
        row.count += count
      }
    }
  }
  return [...sums.values()]
}

/** The last day of a period (its end is exclusive). */
const lastDay = (p: Period) => new Date(Date.parse(`${p.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)

function obs(indicatorId: string, areaId: number, p: { id: string; start: string; end: string }, v: number, importId: number): NewObservation {
  return { indicator_id: indicatorId, area_id: areaId, period: p.id, period_start: p.start, period_end: p.end, value: v, numerator: v, denominator: null, import_id: importId }
}
