/**
 * OGC API – Features (Part 1 Core, Part 2 CRS by reference): the query parameters, read by hand because
 * OGC prescribes the names (`bbox-crs`), the errors ({ code, description }, 400) and the axis orders.
 */

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
export const EPSG = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`

export interface Crs {
  uri: string
  srid: number
  /** EPSG:3006 and 3007 are northing, easting (the EPSG axis order); CRS84 is longitude, latitude. */
  northingFirst: boolean
  /** Decimals of the coordinates served: 1 mm in metres, about 1 cm in degrees. */
  decimals: number
}

export const CRSES: readonly Crs[] = [
  { uri: CRS84, srid: 4326, northingFirst: false, decimals: 7 },
  { uri: EPSG(3006), srid: 3006, northingFirst: true, decimals: 3 },
  { uri: EPSG(3007), srid: 3007, northingFirst: true, decimals: 3 },
]
export const STORAGE_CRS = EPSG(3006)

/** The URI, or the short forms a person types (EPSG:3006, CRS84, [EPSG:3006]). */
export function crsOf(text: string): Crs | null {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1')
  const short = /^(?:EPSG:|urn:ogc:def:crs:EPSG::)(\d+)$/i.exec(t)
  if (short) return CRSES.find((c) => c.uri === EPSG(Number(short[1]))) ?? null
  if (/^(?:OGC:)?CRS84$/i.test(t) || t === 'urn:ogc:def:crs:OGC:1.3:CRS84') return CRSES[0]!
  return CRSES.find((c) => c.uri === t || c.uri.replace(/^http:/, 'https:') === t) ?? null
}

/** An OGC exception: JSON { code, description } with its HTTP status. */
export class OgcError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405,
    readonly code: string,
    readonly description: string,
  ) {
    super(description)
  }
  static badParameter(description: string) {
    return new OgcError(400, 'InvalidParameterValue', description)
  }
  static notFound(description: string) {
    return new OgcError(404, 'NotFound', description)
  }
  static unauthorized(description: string) {
    return new OgcError(401, 'Unauthorized', description)
  }
  static forbidden(description: string) {
    return new OgcError(403, 'Forbidden', description)
  }
}

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 10_000

/** A time window on dates: from and to inclusive; null = open. */
export interface DateWindow {
  from: string | null
  to: string | null
}

export interface ItemsQuery {
  limit: number
  offset: number
  /** minx, miny, maxx, maxy in the bbox CRS's x/y order (easting, northing or longitude, latitude). */
  bbox: { box: [number, number, number, number]; crs: Crs } | null
  datetime: DateWindow | null
  crs: Crs
  /** Property name → value, equality. */
  filters: Record<string, string>
}

const COMMON = new Set(['f'])
const ITEMS = new Set(['f', 'limit', 'offset', 'bbox', 'bbox-crs', 'datetime', 'crs'])

/** One value per parameter: a repeated one is refused rather than one of them silently used. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw OgcError.badParameter(`Parametern ${name} får bara anges en gång`)
  return v
}

function integer(text: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text.trim())) throw OgcError.badParameter(`${name} måste vara ett heltal (${min}–${max}), inte "${text}"`)
  const n = Number(text)
  if (n < min || n > max) throw OgcError.badParameter(`${name} måste vara mellan ${min} och ${max}; ${n} är utanför`)
  return n
}

/** An RFC 3339 date or date-time, as the date it falls on (UTC); '..' or '' = open. */
function instant(text: string, name: string): string | null {
  if (text === '..' || text === '') return null
  const m = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|z|[+-]\d{2}:\d{2}))?$/.exec(text)
  const ms = m ? Date.parse(m[2] ? `${m[1]}T${m[2]}${m[3]!.toUpperCase()}` : `${m[1]}T00:00:00Z`) : NaN
  // A day the month does not have (2025-02-30) is refused, not rolled over.
  if (!m || Number.isNaN(ms) || new Date(Date.parse(`${m[1]}T00:00:00Z`)).toISOString().slice(0, 10) !== m[1]) throw OgcError.badParameter(`${name}: "${text}" är inte ett datum eller en tidpunkt enligt RFC 3339 (t.ex. 2025-01-01 eller 2025-01-01T00:00:00Z)`)
  return new Date(ms).toISOString().slice(0, 10)
}

export function parseDatetime(text: string): DateWindow {
  const parts = text.split('/')
  if (parts.length > 2) throw OgcError.badParameter(`datetime: "${text}" är varken en tidpunkt eller ett intervall (start/slut)`)
  if (parts.length === 1) {
    const at = instant(parts[0]!, 'datetime')
    if (at === null) throw OgcError.badParameter('datetime: ange en tidpunkt eller ett intervall')
    return { from: at, to: at }
  }
  const [from, to] = [instant(parts[0]!, 'datetime'), instant(parts[1]!, 'datetime')]
  if (from && to && from > to) throw OgcError.badParameter(`datetime: intervallets start (${from}) ligger efter dess slut (${to})`)
  return { from, to }
}

/** bbox in the CRS's axis order, returned in x/y order; CRS84 also within the globe. */
export function parseBbox(text: string, crs: Crs): [number, number, number, number] {
  const parts = text.split(',')
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)))
  if (nums.length !== 4 || nums.some((n) => !Number.isFinite(n))) {
    throw OgcError.badParameter(`bbox måste vara fyra tal åtskilda med komma (nedre vänstra och övre högra hörnet), inte "${text}"`)
  }
  const [a1, b1, a2, b2] = nums as [number, number, number, number]
  if (a1 > a2 || b1 > b2) throw OgcError.badParameter('bbox: nedre vänstra hörnet måste komma före det övre högra (min före max på båda axlarna)')
  if (crs.srid === 4326 && (a1 < -180 || a2 > 180 || b1 < -90 || b2 > 90)) {
    throw OgcError.badParameter('bbox i CRS84 måste ligga inom longitud −180…180 och latitud −90…90')
  }
  // Northing, easting in: easting, northing out.
  return crs.northingFirst ? [b1, a1, b2, a2] : [a1, b1, a2, b2]
}

export function checkParams(query: Record<string, unknown>, allowed: ReadonlySet<string> = COMMON) {
  for (const name of Object.keys(query)) if (!allowed.has(name)) throw OgcError.badParameter(`Okänd parameter: ${name}`)
}

/** The items query; `queryables` are the properties one may filter on by equality (`?code=…`). */
export function parseItemsQuery(query: Record<string, unknown>, queryables: readonly string[]): ItemsQuery {
  checkParams(query, new Set([...ITEMS, ...queryables]))
  const crsText = single(query, 'crs')
  const crs = crsText === undefined ? CRSES[0]! : crsOf(crsText)
  if (!crs) throw OgcError.badParameter(`crs: ${crsText} stöds inte; använd ${CRSES.map((c) => c.uri).join(', ')}`)
  const bboxCrsText = single(query, 'bbox-crs')
  const bboxCrs = bboxCrsText === undefined ? CRSES[0]! : crsOf(bboxCrsText)
  if (!bboxCrs) throw OgcError.badParameter(`bbox-crs: ${bboxCrsText} stöds inte; använd ${CRSES.map((c) => c.uri).join(', ')}`)
  const bboxText = single(query, 'bbox')
  if (bboxText === undefined && bboxCrsText !== undefined) throw OgcError.badParameter('bbox-crs kräver bbox')
  const dt = single(query, 'datetime')
  const filters: Record<string, string> = {}
  for (const q of queryables) {
    const v = single(query, q)
    if (v !== undefined) filters[q] = v
  }
  return {
    limit: integer(single(query, 'limit'), 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
    offset: integer(single(query, 'offset'), 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
    bbox: bboxText === undefined ? null : { box: parseBbox(bboxText, bboxCrs), crs: bboxCrs },
    datetime: dt === undefined ? null : parseDatetime(dt),
    crs,
    filters,
  }
}

/** The response format: f= wins, else the Accept header; JSON unless HTML is preferred. */
export function formatOf(f: unknown, accepts: (types: string[]) => string | false): 'json' | 'html' {
  if (f !== undefined) {
    if (f === 'json' || f === 'geojson') return 'json'
    if (f === 'html') return 'html'
    throw OgcError.badParameter(`f: "${String(f)}" stöds inte; använd f=json eller f=html`)
  }
  return accepts(['application/geo+json', 'application/json', 'text/html']) === 'text/html' ? 'html' : 'json'
}
