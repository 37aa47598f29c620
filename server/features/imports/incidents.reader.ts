/**
 * Reading an incident extract: CSV or GeoJSON rows → checked points in EPSG:3006 with their date and
 * category, and every rejected row's problems by row and field. Pure: the bytes come in as a stream, no
 * database, no files.
 */
import { findColumn, parseNumber, readCsv, type CsvRow } from '../../core/csv'
import { isoWeekday, localTime } from '../../core/local-time'
import { isIsoDate } from '../../core/period'
import { inSweden3006, projectorTo3006, type Crs } from '../../spatial/reproject'
import type { IncidentPreview } from './imports.schema'
import { csvProblem, rejected } from './upload'

export const MIN_DATE = '2000-01-01'

export type Problem = IncidentPreview['problems'][number]

/** A row that passed every check. */
export interface IncidentPoint {
  /** EPSG:3006. */
  e: number
  n: number
  /** YYYY-MM-DD in Stockholm (a stamp with an offset is converted; see core/local-time.ts). */
  date: string
  /** ISO weekday of `date`, 1 = Monday. */
  weekday: number
  /** Stockholm hour 0..23, or null when the row gives only a date. */
  hour: number | null
  category: string
}

export interface IncidentReadOptions {
  format: 'csv' | 'geojson'
  /** CRS of projected coordinates (x/y); lon/lat columns are always WGS84. */
  crs: Crs | null
  /** The latest date accepted (YYYY-MM-DD). */
  today: string
}

interface RawIncident {
  row: number
  date: string | null
  category: string | null
  x: number | null
  y: number | null
  /** Coordinates are lon/lat regardless of the file's CRS. */
  lonLat: boolean
  /** A GeoJSON geometry other than Point. */
  wrongType?: string
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
    })
  }
  yield out
}

/**
 * Reads an incident file batch by batch: each row becomes its checked point, or null with its problems
 * pushed to `problems`. A file that cannot be read at all (columns missing, not CSV or GeoJSON) throws a
 * 422 naming the problems.
 */
export async function* readIncidents(body: AsyncIterable<Uint8Array>, opts: IncidentReadOptions, problems: Problem[]): AsyncGenerator<Array<IncidentPoint | null>> {
  const identity = (x: number, y: number): [number, number] => [x, y]
  const toSweref = {
    '4326': projectorTo3006('EPSG:4326'),
    other: opts.crs === 'EPSG:3006' ? identity : opts.crs && opts.crs !== 'EPSG:4326' ? projectorTo3006(opts.crs) : null,
  }
  // Extracts repeat a few thousand dates: each is checked once.
  const dateOk = new Map<string, boolean>()
  const validDate = (d: string) => {
    let ok = dateOk.get(d)
    if (ok === undefined) dateOk.set(d, (ok = isIsoDate(d)))
    return ok
  }
  const weekdays = new Map<string, number>()
  const weekdayOf = (d: string) => weekdays.get(d) ?? weekdays.set(d, isoWeekday(d)).get(d)!
  const check = (r: RawIncident): IncidentPoint | null => {
    const bad = (field: string, message: string) => problems.push({ row: r.row, field, message })
    const before = problems.length
    let date = r.date?.slice(0, 10) ?? null
    let hour: number | null = null
    if (!date) bad('date', 'datum saknas')
    else if (!validDate(date)) bad('date', `"${r.date}" är inget datum (ÅÅÅÅ-MM-DD)`)
    else if (r.date!.length > 10) {
      const t = localTime(r.date!)
      if (!t) bad('date', `"${r.date}" är ingen tidpunkt (ÅÅÅÅ-MM-DD TT:MM, ev. med tidszon)`)
      else {
        date = t.date
        hour = t.hour
      }
    }
    if (date && problems.length === before && (date < MIN_DATE || date > opts.today)) bad('date', `${date} ligger utanför tillåtet intervall ${MIN_DATE}–${opts.today}`)
    if (!r.category) bad('category', 'kategori saknas')
    let e = Number.NaN
    let n = Number.NaN
    if (r.wrongType) bad('geometry', `geometritypen ${r.wrongType} stöds inte, endast Point`)
    else if (r.x === null || r.y === null) bad('coordinates', 'koordinat saknas')
    else if (!Number.isFinite(r.x) || !Number.isFinite(r.y)) bad('coordinates', 'koordinaten kan inte tolkas som tal')
    else {
      const project = r.lonLat ? toSweref['4326'] : toSweref.other
      if (!project) bad('coordinates', 'koordinatsystem saknas för x/y')
      else {
        ;[e, n] = project(r.x, r.y)
        if (!inSweden3006(e, n)) bad('coordinates', `(${r.x}, ${r.y}) ligger utanför Sverige i ${r.lonLat ? 'EPSG:4326' : opts.crs}`)
      }
    }
    return problems.length > before ? null : { e, n, date: date!, weekday: weekdayOf(date!), hour, category: r.category! }
  }
  const source = opts.format === 'csv' ? csvIncidents(body, opts.crs) : geojsonIncidents(body, opts.crs)
  try {
    for await (const batch of source) yield batch.map(check)
  } catch (err) {
    throw csvProblem(err)
  }
}
