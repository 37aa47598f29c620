/**
 * Coordinate reference systems the project accepts for point data, and projections to and from
 * SWEREF99 TM (EPSG:3006), the CRS all analysis geometry is stored in.
 *
 * EPSG:4326 coordinates are (longitude, latitude) here, as in GeoJSON and PostGIS — not EPSG's
 * official (latitude, longitude) axis order.
 */
import proj4 from 'proj4'

export type Crs = 'EPSG:4326' | 'EPSG:3006' | 'EPSG:3007'

export const SUPPORTED_CRS: readonly Crs[] = Object.freeze(['EPSG:4326', 'EPSG:3006', 'EPSG:3007'] as const)

// The PROJ strings PostGIS itself ships in spatial_ref_sys; passed to proj4 directly rather than
// registered with proj4.defs, so no global state is touched.
const DEFS: Readonly<Record<Crs, string>> = {
  'EPSG:4326': '+proj=longlat +datum=WGS84 +no_defs',
  'EPSG:3006': '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  'EPSG:3007': '+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=150000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
}

// Keys are the input upper-cased with spaces, underscores and hyphens removed.
const ALIASES: ReadonlyMap<string, Crs> = new Map<string, Crs>([
  ['EPSG:4326', 'EPSG:4326'],
  ['4326', 'EPSG:4326'],
  ['WGS84', 'EPSG:4326'],
  ['CRS84', 'EPSG:4326'],
  ['EPSG:3006', 'EPSG:3006'],
  ['3006', 'EPSG:3006'],
  ['SWEREF99TM', 'EPSG:3006'],
  ['EPSG:3007', 'EPSG:3007'],
  ['3007', 'EPSG:3007'],
  ['SWEREF991200', 'EPSG:3007'],
])

/**
 * Reads a CRS name as people write it: 'EPSG:3006', 'epsg:3006', '3006', 'SWEREF99 TM', 'WGS84',
 * 'SWEREF99 12 00'. Case, spaces, underscores and hyphens do not matter. Null when unknown.
 */
export function parseCrs(text: string): Crs | null {
  if (typeof text !== 'string') return null
  const key = text.toUpperCase().replace(/[\s_-]+/g, '')
  return ALIASES.get(key) ?? null
}

function assertCrs(crs: Crs, fn: string): void {
  if (!SUPPORTED_CRS.includes(crs)) {
    throw new RangeError(`${fn}: unsupported CRS ${JSON.stringify(crs)}; expected one of ${SUPPORTED_CRS.join(', ')}`)
  }
}

function projector(from: Crs, to: Crs): (x: number, y: number) => [number, number] {
  if (from === to) return (x, y) => [x, y]
  const converter = proj4(DEFS[from], DEFS[to])
  // A fresh array per call: proj4 may write into the array it is given, and the caller's must stay untouched.
  return (x, y) => {
    const out = converter.forward([x, y])
    return [out[0]!, out[1]!]
  }
}

/** Returns a function projecting (x, y) in `from` (lon, lat for 4326; E, N for SWEREF) to SWEREF99 TM (E, N). */
export function projectorTo3006(from: Crs): (x: number, y: number) => [number, number] {
  assertCrs(from, 'projectorTo3006')
  return projector(from, 'EPSG:3006')
}

/** Returns a function projecting SWEREF99 TM (E, N) to `to` (lon, lat for 4326; E, N for SWEREF). */
export function projectorFrom3006(to: Crs): (e: number, n: number) => [number, number] {
  assertCrs(to, 'projectorFrom3006')
  return projector('EPSG:3006', to)
}

/**
 * Whether (E, N) in EPSG:3006 lies in a generous box around Sweden: E 180 000–1 000 000,
 * N 6 100 000–7 700 000. EPSG's area of use for 3006 projects to about E 181 900–1 086 300,
 * N 6 101 600–7 689 500 (its east edge takes in Finnish waters at 55° N); land Sweden reaches only
 * about E 918 000 (Haparanda), so 1 000 000 keeps every Swedish coordinate while catching values
 * with swapped axes or in another CRS (RT90's E ≈ 1.2–1.9 M; most SWEREF99 12 00 eastings < 180 000).
 */
export function inSweden3006(e: number, n: number): boolean {
  return e >= 180_000 && e <= 1_000_000 && n >= 6_100_000 && n <= 7_700_000
}
