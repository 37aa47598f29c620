/**
 * Incident extracts: geocoded points with a date and a category, read in memory, aggregated into every
 * area layer valid at each incident's date and into the hexagon grid per month, and dropped. Only counts
 * are written, in one transaction; the import log keeps the file's hash and row counts, never rows.
 */
import { sql, type Kysely } from 'kysely'
import type { Database, NewObservation } from '../../../db/schema'
import { findColumn, parseNumber, readCsv, type CsvRow } from '../../core/csv'
import { isIsoDate, parsePeriod } from '../../core/period'
import type { Actor } from '../../../db/audit'
import { AppError } from '../../errors'
import { AreaIndex } from '../../spatial/area-index'
import { DEFAULT_HEX_RESOLUTION, hexBoundary, hexCell, hexCover } from '../../spatial/hexbin'
import { inSweden3006, projectorFrom3006, projectorTo3006, type Crs } from '../../spatial/reproject'
import { insertGeneratedAreas } from '../../../db/areas'
import { cityOutlineWgs84, deleteObservations, findActiveImportByHash, insertImportLog, insertObservations, markReplaced } from './imports.repository'
import type { IncidentImportResult, IncidentPreview } from './imports.schema'
import { csvProblem } from './observations.import'
import { meteredUpload, rejected } from './upload'

export const HEX_LAYER = 'hex'
const MIN_DATE = '2000-01-01'
const CITY_LAYER = 'stadsomrade'
const BATCH = 65_536

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
  onProgress?: (rowsRead: number, phase: 'reading' | 'writing') => void
}

type Problem = IncidentPreview['problems'][number]

interface LayerEpoch {
  layerId: string
  from: string
  to: string | null
  /** The same bounds as yyyymmdd integers, compared per point. */
  fromDay: number
  toDay: number
  index: AreaIndex
  areaIds: number[]
  /** Area id → position in areaIds (-1 if not in this epoch). */
  posOf: Int32Array
}

const dayNumber = (iso: string) => Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10))

/** One index per layer and stretch of time in which the same boundary versions hold. */
async function buildIndexes(db: Kysely<Database>): Promise<LayerEpoch[]> {
  // Fifteen decimals print each stored double exactly (the shortest text that reads back as it): rounded to
  // millimetres, a vertex of the city's outline could fall just outside the index's outline and be lost.
  const { rows } = await sql<{ id: number; layer_id: string; valid_from: string; valid_to: string | null; g: string }>`
    SELECT id, layer_id, valid_from, valid_to, ST_AsGeoJSON(geom, 15) AS g FROM areas WHERE layer_id <> ${HEX_LAYER}`.execute(db)
  const byLayer = new Map<string, typeof rows>()
  for (const r of rows) byLayer.set(r.layer_id, [...(byLayer.get(r.layer_id) ?? []), r])
  const epochs: LayerEpoch[] = []
  for (const [layerId, versions] of byLayer) {
    const cuts = [...new Set(versions.flatMap((v) => [v.valid_from, ...(v.valid_to ? [v.valid_to] : [])]))].sort()
    for (let i = 0; i < cuts.length; i++) {
      const from = cuts[i]!
      const to = cuts[i + 1] ?? null
      const valid = versions.filter((v) => v.valid_from <= from && (v.valid_to === null || v.valid_to > from))
      if (valid.length === 0) continue
      const index = AreaIndex.build(valid.map((v) => ({ id: v.id, coordinates: toMulti(JSON.parse(v.g)) })))
      const areaIds = valid.map((v) => v.id)
      const posOf = new Int32Array(Math.max(...areaIds) + 1).fill(-1)
      areaIds.forEach((id, i) => (posOf[id] = i))
      epochs.push({ layerId, from, to, fromDay: dayNumber(from), toDay: to ? dayNumber(to) : Number.POSITIVE_INFINITY, index, areaIds, posOf })
    }
  }
  return epochs
}

function toMulti(g: { type: string; coordinates: unknown }): number[][][][] {
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][]
}

/** The epoch of a layer that holds on a day; before every version, the first one (data older than the boundaries). */
function epochAt(epochs: LayerEpoch[], day: number): LayerEpoch | undefined {
  for (const e of epochs) if (e.fromDay <= day && e.toDay > day) return e
  return epochs[0]
}

interface RawIncident {
  row: number
  date: string | null
  category: string | null
  x: number | null
  y: number | null
  /** Coordinates are lon/lat regardless of the file's CRS. */
  lonLat: boolean
}

const DATE = ['date', 'datum', 'brottsdatum', 'handelsedatum']
const CATEGORY = ['category', 'kategori', 'brottstyp', 'typ']

async function* csvIncidents(body: AsyncIterable<Uint8Array>, crs: Crs | null): AsyncGenerator<RawIncident[]> {
  const csv = await readCsv(body, { maxRows: 5_000_000 })
  const h = csv.header
  const date = findColumn(h, DATE)
  const category = findColumn(h, CATEGORY)
  const lon = findColumn(h, ['lon', 'lng', 'longitud', 'longitude'])
  const lat = findColumn(h, ['lat', 'latitud', 'latitude'])
  const x = findColumn(h, ['x', 'e', 'easting', 'ost', 'x_koordinat', 'xkoordinat'])
  const y = findColumn(h, ['y', 'n', 'northing', 'nord', 'y_koordinat', 'ykoordinat'])
  const wkt = findColumn(h, ['wkt', 'geometri', 'geometry'])
  const missing: Problem[] = []
  if (date < 0) missing.push({ row: 1, field: 'date', message: `kolumn för datum saknas (godtas: ${DATE.join(', ')})` })
  if (category < 0) missing.push({ row: 1, field: 'category', message: `kolumn för kategori saknas (godtas: ${CATEGORY.join(', ')})` })
  const hasLonLat = lon >= 0 && lat >= 0
  const hasXY = x >= 0 && y >= 0
  if (!hasLonLat && !hasXY && wkt < 0) missing.push({ row: 1, field: 'coordinates', message: 'koordinater saknas: ange lon+lat, x+y (e+n) eller wkt' })
  if (!hasLonLat && (hasXY || wkt >= 0) && !crs) missing.push({ row: 1, field: 'crs', message: 'ange koordinatsystem (crs=EPSG:3006 eller EPSG:3007) för x/y-koordinater' })
  if (missing.length) throw rejected('Filen saknar nödvändiga kolumner', missing)
  const num = (r: CsvRow, i: number) => parseNumber(r.values[i] ?? '', csv.dialect.decimalComma)
  for await (const rows of csv.batches) {
    const out: RawIncident[] = new Array(rows.length)
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!
      let px: number | null
      let py: number | null
      let lonLat = false
      if (hasLonLat) {
        px = num(r, lon)
        py = num(r, lat)
        lonLat = true
      } else if (hasXY) {
        px = num(r, x)
        py = num(r, y)
      } else {
        const m = /^\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$/i.exec(r.values[wkt] ?? '')
        px = m ? Number(m[1]) : Number.NaN
        py = m ? Number(m[2]) : Number.NaN
        lonLat = crs === 'EPSG:4326'
      }
      out[k] = { row: r.line, date: (r.values[date] ?? '').trim() || null, category: (r.values[category] ?? '').trim() || null, x: px, y: py, lonLat }
    }
    yield out
  }
}

async function* geojsonIncidents(body: AsyncIterable<Uint8Array>, crs: Crs | null): AsyncGenerator<RawIncident[]> {
  const chunks: Buffer[] = []
  for await (const c of body) chunks.push(Buffer.from(c))
  let doc: { type?: string; crs?: { properties?: { name?: string } }; features?: unknown[] }
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''))
  } catch {
    throw rejected('Filen är inte giltig GeoJSON', [{ row: 1, field: 'file', message: 'kunde inte läsas som JSON' }])
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw rejected('GeoJSON-filen måste vara en FeatureCollection', [{ row: 1, field: 'type', message: `type är ${String(doc?.type)}` }])
  }
  const declared = /EPSG:{1,2}(\d{4})$/i.exec(doc.crs?.properties?.name ?? '')?.[1]
  const fileCrs = declared ? (`EPSG:${declared}` as Crs) : (crs ?? 'EPSG:4326')
  let i = 0
  const out: RawIncident[] = []
  for (const f of doc.features as Array<{ geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> }>) {
    i++
    const p = f?.properties ?? {}
    const pick = (names: string[]) => {
      const key = Object.keys(p).find((k) => names.includes(k.toLowerCase()))
      const v = key === undefined ? null : p[key]
      return v === null || v === undefined || v === '' ? null : String(v)
    }
    const c = f?.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates) ? (f.geometry.coordinates as unknown[]) : null
    out.push({
      row: i,
      date: pick(DATE),
      category: pick(CATEGORY),
      x: c ? Number(c[0]) : f?.geometry ? Number.NaN : null,
      y: c ? Number(c[1]) : null,
      lonLat: fileCrs === 'EPSG:4326',
      ...(f?.geometry && f.geometry.type !== 'Point' ? { wrongType: f.geometry.type } : {}),
    } as RawIncident)
  }
  yield out
}

export async function importIncidents(db: Kysely<Database>, body: AsyncIterable<Uint8Array>, opts: IncidentImportOptions): Promise<IncidentPreview | IncidentImportResult> {
  const upload = meteredUpload(body)
  const [epochs, indicators] = await Promise.all([buildIndexes(db), db.selectFrom('indicators').select(['id', 'unit']).execute()])
  const cityEpochs = epochs.filter((e) => e.layerId === CITY_LAYER)
  const layerEpochs = new Map<string, LayerEpoch[]>()
  for (const e of epochs) layerEpochs.set(e.layerId, [...(layerEpochs.get(e.layerId) ?? []), e])
  const countIndicators = new Set(indicators.filter((i) => i.unit === 'count').map((i) => i.id))
  const identity = (x: number, y: number): [number, number] => [x, y]
  const toSweref = {
    '4326': projectorTo3006('EPSG:4326'),
    other: opts.crs === 'EPSG:3006' ? identity : opts.crs && opts.crs !== 'EPSG:4326' ? projectorTo3006(opts.crs) : null,
  }
  const toWgs = projectorFrom3006('EPSG:4326')
  const today = new Date().toISOString().slice(0, 10)

  const problems: Problem[] = []
  const categories = new Map<string, number>()
  const months = new Set<string>()
  let rowsRead = 0
  let accepted = 0
  let outside = 0
  let minDate: string | null = null
  let maxDate: string | null = null

  // (category, month) pairs get dense slot numbers as they appear; counts live in one Int32Array per
  // layer epoch (area position × slot capacity), so the hot loop does no string work and no Map lookups.
  const slotKeys: Array<{ category: string; month: string }> = []
  const slotOf = new Map<string, number>()
  let capacity = 32
  const tallies = new Map<LayerEpoch, Int32Array>(epochs.map((e) => [e, new Int32Array(e.areaIds.length * capacity)]))
  const grow = () => {
    const next = capacity * 2
    for (const [e, old] of tallies) {
      const t = new Int32Array(e.areaIds.length * next)
      for (let a = 0; a < e.areaIds.length; a++) t.set(old.subarray(a * capacity, (a + 1) * capacity), a * next)
      tallies.set(e, t)
    }
    capacity = next
  }
  const hexCounts = new Map<string, Int32Array>()
  const slotByDate = new Map<string, Map<string, number>>()
  const dateOk = new Map<string, boolean>()
  const validDate = (d: string) => {
    let ok = dateOk.get(d)
    if (ok === undefined) dateOk.set(d, (ok = isIsoDate(d)))
    return ok
  }

  // Points wait in flat arrays only until their batch is aggregated.
  let n = 0
  const xs = new Float64Array(BATCH)
  const ys = new Float64Array(BATCH)
  const days = new Float64Array(BATCH)
  const slots = new Int32Array(BATCH)
  const layerLists = [...layerEpochs.values()]
  const flush = () => {
    // Only points inside the city count, in every layer: a layer that reaches into the sea (DeSO) must not
    // hold incidents the city's own total leaves out.
    let m = 0
    for (let i = 0; i < n; i++) {
      const city = epochAt(cityEpochs, days[i]!)
      if (!city || city.index.locate(xs[i]!, ys[i]!) < 0) {
        outside++
        continue
      }
      xs[m] = xs[i]!
      ys[m] = ys[i]!
      days[m] = days[i]!
      slots[m] = slots[i]!
      m++
    }
    accepted += m
    for (const list of layerLists) {
      for (let i = 0; i < m; i++) {
        const e = list.length === 1 ? list[0]! : epochAt(list, days[i]!)
        if (!e) continue
        const id = e.index.locate(xs[i]!, ys[i]!)
        if (id >= 0) tallies.get(e)![e.posOf[id]! * capacity + slots[i]!]!++
      }
    }
    for (let i = 0; i < m; i++) {
      const [lon, lat] = toWgs(xs[i]!, ys[i]!)
      const cell = hexCell(lon, lat, DEFAULT_HEX_RESOLUTION)
      let t = hexCounts.get(cell)
      if (!t || t.length <= slots[i]!) {
        const bigger = new Int32Array(capacity)
        if (t) bigger.set(t)
        hexCounts.set(cell, (t = bigger))
      }
      t[slots[i]!]!++
    }
    n = 0
  }

  const source = opts.format === 'csv' ? csvIncidents(upload.stream, opts.crs) : geojsonIncidents(upload.stream, opts.crs)
  try {
    for await (const batch of source) for (const r of batch) {
      rowsRead++
      if (opts.onProgress && rowsRead % 50_000 === 0) opts.onProgress(rowsRead, 'reading')
      const bad = (field: string, message: string) => problems.push({ row: r.row, field, message })
      const before = problems.length
      const wrongType = (r as RawIncident & { wrongType?: string }).wrongType
      const date = r.date?.slice(0, 10) ?? null
      if (!date) bad('date', 'datum saknas')
      else if (!validDate(date) || (r.date!.length > 10 && !/^[ T]\d{2}:\d{2}/.test(r.date!.slice(10)))) bad('date', `"${r.date}" är inget datum (ÅÅÅÅ-MM-DD)`)
      else if (date < MIN_DATE || date > today) bad('date', `${date} ligger utanför tillåtet intervall ${MIN_DATE}–${today}`)
      if (!r.category) bad('category', 'kategori saknas')
      let e = Number.NaN
      let nn = Number.NaN
      if (wrongType) bad('geometry', `geometritypen ${wrongType} stöds inte, endast Point`)
      else if (r.x === null || r.y === null) bad('coordinates', 'koordinat saknas')
      else if (!Number.isFinite(r.x) || !Number.isFinite(r.y)) bad('coordinates', 'koordinaten kan inte tolkas som tal')
      else {
        const project = r.lonLat ? toSweref['4326'] : toSweref.other
        if (!project) bad('coordinates', 'koordinatsystem saknas för x/y')
        else {
          ;[e, nn] = project(r.x, r.y)
          if (!inSweden3006(e, nn)) bad('coordinates', `(${r.x}, ${r.y}) ligger utanför Sverige i ${r.lonLat ? 'EPSG:4326' : opts.crs}`)
        }
      }
      if (problems.length > before) continue
      const cat = r.category!
      categories.set(cat, (categories.get(cat) ?? 0) + 1)
      if (!minDate || date! < minDate) minDate = date
      if (!maxDate || date! > maxDate) maxDate = date
      // Extracts repeat a few thousand dates and a handful of categories: look the slot up without building strings.
      let byDate = slotByDate.get(cat)
      if (!byDate) slotByDate.set(cat, (byDate = new Map()))
      let slot = byDate.get(date!)
      if (slot === undefined) {
        const month = date!.slice(0, 7)
        months.add(month)
        const key = `${cat}|${month}`
        slot = slotOf.get(key)
        if (slot === undefined) {
          if (n > 0 && slotKeys.length >= capacity) flush() // counters are about to be re-laid out
          slot = slotKeys.length
          slotKeys.push({ category: cat, month })
          slotOf.set(key, slot)
          if (slot >= capacity) grow()
        }
        byDate.set(date!, slot)
      }
      xs[n] = e
      ys[n] = nn
      days[n] = dayNumber(date!)
      slots[n] = slot
      n++
      if (n === BATCH) flush()
    }
  } catch (err) {
    throw csvProblem(err)
  }
  flush()
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
    categories: categoryList,
    dateRange: minDate && maxDate ? { from: minDate, to: maxDate } : null,
    periods: [...months].sort(),
    areasTouched: [...tallies].reduce((sum, [e, t]) => sum + e.areaIds.filter((_, a) => t.subarray(a * capacity, (a + 1) * capacity).some((v) => v > 0)).length, 0) + hexCounts.size,
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
  const indicatorIds = [...categoriesOf.keys()]
  const existing = await db
    .selectFrom('observations')
    .select(['id', 'indicator_id', 'period', 'import_id'])
    .where('indicator_id', 'in', indicatorIds)
    .where('period', 'in', monthList)
    .execute()
  if (existing.length && !opts.replace) {
    const pairs = [...new Set(existing.map((e) => `${e.indicator_id} ${e.period} (import ${e.import_id})`))]
    throw new AppError(409, 'conflict', `Det finns redan värden för ${pairs.length} indikator-månader. Välj att ersätta dem.`, pairs.slice(0, 50).map((p) => ({ field: 'period', message: p })))
  }

  opts.onProgress?.(rowsRead, 'writing')
  return db.transaction().execute(async (trx) => {
    const importId = await insertImportLog(trx, {
      actor: opts.actor,
      kind: 'incidents',
      fileName: opts.fileName,
      sha256,
      rowsRead,
      rowsAccepted: accepted,
      details: { outsideCity: outside, rejected: rowsRead - accepted - outside, months: monthList, categories: categoryList, crs: opts.crs },
    })
    await deleteObservations(trx, existing.map((e) => e.id))
    if (earlier) await markReplaced(trx, [earlier.id], importId)

    // Every area of every layer valid in a month gets a value for it, zero included; the grid only where something happened.
    const rows: NewObservation[] = []
    const monthPeriods = new Map(monthList.map((m) => [m, parsePeriod(m)!]))
    for (const list of layerEpochs.values()) {
      for (const [month, p] of monthPeriods) {
        const e = epochAt(list, dayNumber(p.start))
        if (!e) continue
        const t = tallies.get(e)!
        // Every indicator of the file in every month it covers (a category absent in a month had none then);
        // the categories mapped to one indicator add up into it.
        for (const [indicatorId, cats] of categoriesOf) {
          const slotList = cats.map((c) => slotOf.get(`${c}|${month}`)).filter((x): x is number => x !== undefined)
          e.areaIds.forEach((areaId, pos) => {
            let v = 0
            for (const slot of slotList) v += t[pos * capacity + slot]!
            rows.push(obs(indicatorId, areaId, p, v, importId))
          })
        }
      }
    }
    if (hexCounts.size) {
      await trx
        .insertInto('area_layers')
        .values({
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
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
      // The whole grid over the city, not only the cells where something happened: a cell's existence
      // must not tell the public that an incident took place there.
      const cells = [...new Set([...hexCover(await cityOutlineWgs84(trx), DEFAULT_HEX_RESOLUTION), ...hexCounts.keys()])]
      const known = new Map(
        (await trx.selectFrom('areas').select(['id', 'code']).where('layer_id', '=', HEX_LAYER).where('code', 'in', cells).execute()).map((r) => [r.code, r.id]),
      )
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
      for (const [cell, t] of hexCounts) {
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
    return { ...preview, importId, observationsWritten: rows.length, replacedValues: existing.length }
  })
}

function obs(indicatorId: string, areaId: number, p: { id: string; start: string; end: string }, v: number, importId: number): NewObservation {
  return { indicator_id: indicatorId, area_id: areaId, period: p.id, period_start: p.start, period_end: p.end, value: v, numerator: v, denominator: null, import_id: importId }
}
