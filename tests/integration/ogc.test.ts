/**
 * OGC API – Features at /ogc: conformance, paging, bbox, crs (checked against proj4, not the server's
 * PostGIS), the published lägesbild's values equal to the snapshot API's, the 400s; and GDAL's OAPIF
 * driver (ogrinfo, ogr2ogr) reading the running app.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

const run = promisify(execFile)
const OGRINFO = ['/usr/bin/ogrinfo', '/usr/local/bin/ogrinfo'].find((p) => existsSync(p))
const OGR2OGR = OGRINFO?.replace(/ogrinfo$/, 'ogr2ogr')
const gdalSkipReason = OGRINFO ? null : 'no ogrinfo (apt-get install -y gdal-bin)'
if (gdalSkipReason) {
  if (process.env.REQUIRE_GDAL === '1') throw new Error(`REQUIRE_GDAL=1 but ${gdalSkipReason}`)
  console.log(`[tests] GDAL tests skipped: ${gdalSkipReason}`)
}

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const SWEREF99TM = '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs'
const SWEREF991200 = '+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=150000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs'

/** Every vertex of a (Multi)Polygon's coordinates, in order. */
const vertices = (g: { type: string; coordinates: any }): number[][] => (g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2))

const json = async (c: Client, path: string, accept = 'application/geo+json') => {
  const res = await fetch(c.url + path, { headers: { Accept: accept } })
  const text = await res.text()
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text, body: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : null }
}

describe.each(testEngines())('OGC API – Features on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let snapshotId: number
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'public' })
    snapshotId = (await app.get('/api/snapshots')).body[0].id
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const currentIds = async (layer: string) =>
    (await sql<{ id: number }>`SELECT id FROM areas WHERE layer_id = ${layer} AND valid_from <= CURRENT_DATE AND (valid_to IS NULL OR valid_to > CURRENT_DATE) ORDER BY id`.execute(db.kysely)).rows.map((r) => r.id)

  it('has a landing page, conformance (Core, GeoJSON, HTML, OpenAPI 3.0, CRS) and an OpenAPI 3.0 description, as JSON or HTML', async () => {
    const landing = await json(app, '/ogc', 'application/json')
    expect(landing.status).toBe(200)
    expect(landing.body.links.map((l: any) => l.rel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']))
    const conformance = await json(app, '/ogc/conformance')
    expect(conformance.body.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
        'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
      ]),
    )
    const api = await json(app, '/ogc/api')
    expect(api.type).toMatch(/application\/vnd\.oai\.openapi\+json/)
    expect(api.body.openapi).toMatch(/^3\.0\./)
    expect(Object.keys(api.body.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/{collectionId}', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}']))
    const page = await json(app, '/ogc/collections', 'text/html,application/xhtml+xml,*/*;q=0.8')
    expect(page.type).toMatch(/text\/html/)
    expect(page.text).toContain('Samlingar')
    expect((await json(app, '/ogc/collections?f=html', 'application/json')).type).toMatch(/text\/html/)
    expect((await json(app, '/ogc/collections?f=json', 'text/html')).type).toMatch(/application\/json/)
    const items = await json(app, '/ogc/collections/granser-stadsomrade/items?f=html')
    expect(items.text).toMatch(/objekt matchar/)
  })

  it('lists the current boundaries and each published lägesbild’s layers, not a draft', async () => {
    const analyst = await app.as('analyst')
    const draft = await send(analyst, 'POST', '/api/snapshots', { title: 'Utkast som inte är publicerat', indicators: ['demo_ran'], layers: ['stadsomrade'] })
    expect(draft.status).toBe(201)
    const ids = (await json(app, '/ogc/collections')).body.collections.map((c: any) => c.id)
    expect(ids).toEqual(expect.arrayContaining(['granser-stadsomrade', 'granser-primaromrade', `lagesbild-${snapshotId}-stadsomrade`]))
    expect(ids.filter((i: string) => i.startsWith(`lagesbild-${draft.body.id}-`))).toEqual([])
    const hidden = await json(app, `/ogc/collections/lagesbild-${draft.body.id}-stadsomrade/items`)
    expect(hidden.status).toBe(404)
    expect(hidden.body).toEqual({ code: 'NotFound', description: expect.any(String) })
    const c = (await json(app, '/ogc/collections/granser-stadsomrade')).body
    expect(c.crs).toEqual([CRS84, 'http://www.opengis.net/def/crs/EPSG/0/3006', 'http://www.opengis.net/def/crs/EPSG/0/3007'])
    expect(c.storageCrs).toBe('http://www.opengis.net/def/crs/EPSG/0/3006')
    expect(c.extent.spatial.bbox[0][0]).toBeGreaterThan(11)
    expect(c.extent.spatial.bbox[0][1]).toBeGreaterThan(57)
  })

  it('offers analysts the live figures as internal collections with an API token, to no one else', async () => {
    const token = async (role: 'analyst' | 'local') => (await send(await app.as(role), 'POST', '/api/tokens', { name: `ogc ${role}` })).body.secret as string
    const analyst = await token('analyst')
    const local = await token('local')
    const get = (path: string, secret?: string) => fetch(app.url + path, { headers: { Accept: 'application/geo+json', ...(secret ? { Authorization: `Bearer ${secret}` } : {}) } })
    const listed = async (secret?: string) => ((await (await get('/ogc/collections', secret)).json()) as any).collections.map((c: any) => c.id)
    expect(await listed(analyst)).toContain('intern-stadsomrade')
    expect((await listed()).some((id: string) => id.startsWith('intern-'))).toBe(false)
    expect((await listed(local)).some((id: string) => id.startsWith('intern-'))).toBe(false)
    expect((await get('/ogc/collections/intern-stadsomrade/items')).status).toBe(401)
    expect((await get('/ogc/collections/intern-stadsomrade/items', local)).status).toBe(403)
    const res = await get('/ogc/collections/intern-stadsomrade/items', analyst)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    const fc = (await res.json()) as any
    // Each indicator's latest period that is not a week, every value as the values API gives the analyst.
    const viewer = await app.as('analyst')
    const indicators = (await viewer.get('/api/indicators')).body
    let compared = 0
    for (const ind of indicators) {
      if (!ind.layers.some((l: any) => l.layer === 'stadsomrade')) continue
      const v = (await viewer.get(`/api/indicators/${ind.id}/values?layer=stadsomrade`)).body
      if (v.period.includes('-W')) continue
      for (const x of v.values) {
        const f = fc.features.find((f: any) => f.id === x.areaId)
        expect(f.properties[`${ind.id}__${v.period}`]).toBe(x.value)
        compared++
      }
    }
    expect(compared).toBeGreaterThan(10)
  })

  it('lets any web page read it (GET, no credentials); a published lägesbild’s pages are kept for good, boundaries a minute', async () => {
    const published = await fetch(`${app.url}/ogc/collections/lagesbild-${snapshotId}-stadsomrade/items`, { headers: { Origin: 'https://example.org' } })
    expect(published.status).toBe(200)
    expect(published.headers.get('access-control-allow-origin')).toBe('*')
    expect(published.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const current = await fetch(`${app.url}/ogc/collections/granser-stadsomrade/items`, { headers: { Origin: 'https://example.org' } })
    expect(current.headers.get('access-control-allow-origin')).toBe('*')
    expect(current.headers.get('cache-control')).toBe('public, max-age=60')
    expect(current.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('pages with limit and offset: numberMatched, numberReturned, next and prev links over every area once', async () => {
    const expected = await currentIds('primaromrade')
    expect(expected.length).toBeGreaterThan(12)
    const first = await json(app, '/ogc/collections/granser-primaromrade/items?limit=5')
    expect(first.type).toMatch(/application\/geo\+json/)
    expect(first.body).toMatchObject({ type: 'FeatureCollection', numberMatched: expected.length, numberReturned: 5 })
    expect(first.body.links.some((l: any) => l.rel === 'prev')).toBe(false)
    const seen: number[] = []
    let url: string | undefined = first.body.links.find((l: any) => l.rel === 'self').href
    let pages = 0
    while (url) {
      const page = await json(app, url.replace(app.url, ''))
      seen.push(...page.body.features.map((f: any) => f.id))
      if (pages === 1) expect(page.body.links.find((l: any) => l.rel === 'prev').href).toContain('offset=0')
      url = page.body.links.find((l: any) => l.rel === 'next')?.href
      pages++
    }
    expect(pages).toBe(Math.ceil(expected.length / 5))
    expect(seen.sort((a, b) => a - b)).toEqual(expected)
    expect((await json(app, '/ogc/collections/granser-primaromrade/items')).body.numberReturned).toBe(Math.min(100, expected.length))
    const max = await json(app, '/ogc/collections/granser-primaromrade/items?limit=10000')
    expect(max.body.numberReturned).toBe(expected.length)
  })

  it('answers bad parameters with OGC’s 400 and a message, unknown things with 404', async () => {
    for (const q of ['limit=10001', 'limit=0', 'limit=abc', 'offset=-1', 'bbox=1,2,3', 'bbox=a,b,c,d', 'bbox=12,58,11,57', 'bbox=-200,57,12,58', 'crs=EPSG:4326', 'bbox-crs=EPSG:9999&bbox=1,2,3,4', 'datetime=igår', 'datetime=2025-02-01/2025-01-01', 'f=xml', 'okand=1']) {
      const res = await json(app, `/ogc/collections/granser-stadsomrade/items?${q}`)
      expect(res.status, q).toBe(400)
      expect(res.body, q).toEqual({ code: 'InvalidParameterValue', description: expect.any(String) })
    }
    expect((await json(app, '/ogc/collections/granser-stadsomrade/items?limit=10001')).body.description).toMatch(/limit/)
    expect((await json(app, '/ogc/collections/nope')).status).toBe(404)
    expect((await json(app, '/ogc/collections/granser-atlantis/items')).status).toBe(404)
    expect((await json(app, '/ogc/collections/granser-stadsomrade/items/99999999')).body).toEqual({ code: 'NotFound', description: expect.any(String) })
    expect((await json(app, '/ogc/nothing-here')).status).toBe(404)
    const post = await fetch(`${app.url}/ogc/collections/granser-stadsomrade/items`, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect(await post.json()).toEqual({ code: 'MethodNotAllowed', description: expect.any(String) })
  })

  it('selects by bbox in EPSG:3006 (northing, easting) and CRS84, as PostGIS intersects the stored geometry', async () => {
    const { rows } = await sql<{ id: number; code: string; x: number; y: number }>`
      SELECT id, code, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM areas
      WHERE layer_id = 'primaromrade' AND valid_to IS NULL ORDER BY code LIMIT 1`.execute(db.kysely)
    const a = rows[0]!
    const total = (await currentIds('primaromrade')).length
    // A 20 m box around a point inside the area: that area, and not the whole layer.
    const inSweref = await json(app, `/ogc/collections/granser-primaromrade/items?bbox-crs=EPSG:3006&bbox=${a.y - 10},${a.x - 10},${a.y + 10},${a.x + 10}`)
    expect(inSweref.body.features.map((f: any) => f.id)).toContain(a.id)
    expect(inSweref.body.numberMatched).toBeLessThan(total)
    const [lon, lat] = proj4(SWEREF99TM, 'WGS84', [a.x, a.y])
    const inCrs84 = await json(app, `/ogc/collections/granser-primaromrade/items?bbox=${lon! - 0.0001},${lat! - 0.0001},${lon! + 0.0001},${lat! + 0.0001}`)
    expect(inCrs84.body.features.map((f: any) => f.id)).toContain(a.id)
    expect(inCrs84.body.numberMatched).toBeLessThan(total)
    // Far away (Stockholm): nothing.
    const far = await json(app, '/ogc/collections/granser-primaromrade/items?bbox=18.0,59.3,18.1,59.4')
    expect(far.body).toMatchObject({ numberMatched: 0, numberReturned: 0, features: [] })
    // The full layer's box in EPSG:3006, from PostGIS's extent of the stored geometry: every area.
    const e = (await sql<{ x1: number; y1: number; x2: number; y2: number }>`SELECT ST_XMin(e) x1, ST_YMin(e) y1, ST_XMax(e) x2, ST_YMax(e) y2 FROM (SELECT ST_Extent(geom) e FROM areas WHERE layer_id = 'primaromrade') s`.execute(db.kysely)).rows[0]!
    const all = await json(app, `/ogc/collections/granser-primaromrade/items?bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3006&bbox=${e.y1},${e.x1},${e.y2},${e.x2}&limit=1`)
    expect(all.body.numberMatched).toBe(total)
    const byCode = await json(app, `/ogc/collections/granser-primaromrade/items?code=${encodeURIComponent(a.code)}`)
    expect(byCode.body.features.map((f: any) => f.id)).toEqual([a.id])
  })

  it('serves the stored geometry in EPSG:3006, 3007 and CRS84 as proj4 transforms it, with Content-Crs', async () => {
    const { rows } = await sql<{ id: number; g: string }>`SELECT id, ST_AsGeoJSON(geom) AS g FROM areas WHERE layer_id = 'stadsomrade' AND valid_to IS NULL ORDER BY code LIMIT 1`.execute(db.kysely)
    const stored = vertices(JSON.parse(rows[0]!.g))
    const get = async (crs?: string) => {
      const res = await json(app, `/ogc/collections/granser-stadsomrade/items/${rows[0]!.id}${crs ? `?crs=${encodeURIComponent(crs)}` : ''}`)
      expect(res.status).toBe(200)
      return { crs: res.headers.get('content-crs'), coords: vertices(res.body.geometry) }
    }
    const sweref = await get('http://www.opengis.net/def/crs/EPSG/0/3006')
    expect(sweref.crs).toBe('<http://www.opengis.net/def/crs/EPSG/0/3006>')
    expect(sweref.coords.length).toBe(stored.length)
    // EPSG:3006's axis order is northing, easting.
    sweref.coords.forEach(([n, e], i) => {
      expect(Math.abs(n! - stored[i]![1]!)).toBeLessThan(0.001)
      expect(Math.abs(e! - stored[i]![0]!)).toBeLessThan(0.001)
    })
    const s1200 = await get('EPSG:3007')
    expect(s1200.crs).toBe('<http://www.opengis.net/def/crs/EPSG/0/3007>')
    s1200.coords.forEach(([n, e], i) => {
      const [x, y] = proj4(SWEREF99TM, SWEREF991200, stored[i]!)
      expect(Math.abs(n! - y!)).toBeLessThan(0.01)
      expect(Math.abs(e! - x!)).toBeLessThan(0.01)
    })
    const wgs = await get()
    expect(wgs.crs).toBe(`<${CRS84}>`)
    wgs.coords.forEach(([lon, lat], i) => {
      const [x, y] = proj4(SWEREF99TM, 'WGS84', stored[i]!)
      expect(Math.abs(lon! - x!)).toBeLessThan(2e-7)
      expect(Math.abs(lat! - y!)).toBeLessThan(2e-7)
    })
    const items = await json(app, '/ogc/collections/granser-stadsomrade/items?crs=EPSG:3006&limit=1')
    expect(items.headers.get('content-crs')).toBe('<http://www.opengis.net/def/crs/EPSG/0/3006>')
  })

  it('gives a published lägesbild’s layer the snapshot API’s values, one property per indicator and period, hidden ones null with a note', async () => {
    const snapshot = (await app.get(`/api/snapshots/${snapshotId}`)).body
    let cells = 0
    let hidden = 0
    for (const layer of ['stadsomrade', 'primaromrade']) {
    const fc = (await json(app, `/ogc/collections/lagesbild-${snapshotId}-${layer}/items?limit=10000`)).body
    const byId = new Map<number, any>(fc.features.map((f: any) => [f.id, f.properties]))
    for (const ind of snapshot.indicatorInfo) {
      for (const period of ind.layers.find((l: any) => l.layer === layer)?.periods ?? []) {
        const v = (await app.get(`/api/snapshots/${snapshotId}/values?indicator=${ind.id}&layer=${layer}&period=${period}`)).body
        for (const row of v.values) {
          const props = byId.get(row.areaId)
          expect(props, `area ${row.areaId}`).toBeDefined()
          expect(props[`${ind.id}__${period}`], `${ind.id} ${period} ${row.areaId}`).toBe(row.suppressed ? null : row.value)
          if (row.suppressed) {
            hidden++
            expect(props.dolda_varden).toContain(`${ind.id}__${period}`)
          }
          cells++
        }
      }
    }
    }
    expect(cells).toBeGreaterThan(20)
    expect(hidden).toBeGreaterThan(0)
    console.log(`[ogc] ${engine.name}: ${cells} values compared, ${hidden} hidden`)
    // datetime keeps the periods that overlap it.
    const q1 = (await json(app, `/ogc/collections/lagesbild-${snapshotId}-stadsomrade/items?datetime=2025-01-01/2025-03-31&limit=1`)).body
    const keys = Object.keys(q1.features[0].properties).filter((k) => k.includes('__'))
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.every((k) => /__2025(-H1|-Q1|-0[123])?$/.test(k))).toBe(true)
    expect((await json(app, `/ogc/collections/lagesbild-${snapshotId}-stadsomrade/items?datetime=1999-01-01`)).body.numberMatched).toBe(0)
    // Boundaries by datetime: none before they were valid.
    expect((await json(app, '/ogc/collections/granser-stadsomrade/items?datetime=1900-01-01')).body.numberMatched).toBe(0)
    expect((await json(app, '/ogc/collections/granser-stadsomrade/items?datetime=2026-01-01T12:00:00Z/..')).body.numberMatched).toBeGreaterThan(0)
  })

  it.skipIf(!!gdalSkipReason)('is read by GDAL: ogrinfo lists the layers with their counts, ogr2ogr writes EPSG:3006 coordinates and the API’s values', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lagesbild-ogr-'))
    try {
      const env = { ...process.env, GDAL_HTTP_TIMEOUT: '60', CPL_DEBUG: 'OFF' }
      const info = await run(OGRINFO!, ['-ro', '-al', '-so', `OAPIF:${app.url}/ogc`], { env, maxBuffer: 64 * 1024 * 1024 })
      const layerCount = (name: string) => Number(new RegExp(`Layer name: ${name}\\n[\\s\\S]*?Feature Count: (\\d+)`).exec(info.stdout)?.[1])
      expect(info.stdout).toContain(`Layer name: lagesbild-${snapshotId}-stadsomrade`)
      expect(layerCount('granser-stadsomrade')).toBe((await currentIds('stadsomrade')).length)
      expect(layerCount('granser-primaromrade')).toBe((await currentIds('primaromrade')).length)

      const layer = `lagesbild-${snapshotId}-stadsomrade`
      const api = (await json(app, `/ogc/collections/${layer}/items?limit=10000`)).body
      expect(layerCount(layer)).toBe(api.numberMatched)
      const out = join(dir, 'out.json')
      // GDAL 3.6 reads CRS84 only (Part 2 came with 3.7): it transforms to EPSG:3006 itself with PROJ.
      await run(OGR2OGR!, ['-f', 'GeoJSON', '-t_srs', 'EPSG:3006', out, `OAPIF:${app.url}/ogc`, layer], { env })
      const written = JSON.parse(await readFile(out, 'utf8'))
      expect(written.features.length).toBe(api.numberMatched)
      const { rows } = await sql<{ id: number; x1: number; y1: number; x2: number; y2: number }>`
        SELECT id, ST_XMin(geom) x1, ST_YMin(geom) y1, ST_XMax(geom) x2, ST_YMax(geom) y2 FROM areas WHERE id = ANY(${api.features.map((f: any) => f.id)}::int[])`.execute(db.kysely)
      const stored = new Map(rows.map((r) => [r.id, r]))
      const apiByCode = new Map<string, any>(api.features.map((f: any) => [f.properties.code, f]))
      for (const f of written.features) {
        const mine = apiByCode.get(f.properties.code)
        expect(mine, f.properties.code).toBeDefined()
        // Every value GDAL wrote is the API's (GDAL turns the feature id into a column of its own).
        for (const [k, v] of Object.entries(mine.properties)) expect(f.properties[k], `${f.properties.code} ${k}`).toEqual(v)
        const xs = vertices(f.geometry).map((c) => c[0]!)
        const ys = vertices(f.geometry).map((c) => c[1]!)
        const s = stored.get(mine.id)!
        expect(Math.abs(Math.min(...xs) - s.x1)).toBeLessThan(0.05)
        expect(Math.abs(Math.max(...xs) - s.x2)).toBeLessThan(0.05)
        expect(Math.abs(Math.min(...ys) - s.y1)).toBeLessThan(0.05)
        expect(Math.abs(Math.max(...ys) - s.y2)).toBeLessThan(0.05)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
