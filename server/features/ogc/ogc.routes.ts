import { Router, type ErrorRequestHandler, type Request, type Response } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { AppError } from '../../errors'
import { allow, seesInternalFigures } from '../../http/access'
import { serverError } from '../../http/errors.middleware'
import * as html from './ogc.html'
import { openApi } from './ogc.openapi'
import { CRS84, CRSES, checkParams, crsOf, formatOf, OgcError, parseItemsQuery, STORAGE_CRS } from './ogc.schema'
import { ogcService, type Collection, type OgcSources } from './ogc.service'
import { cacheForever } from '../../http/caching'

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
]

const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0'
const GEOJSON = 'application/geo+json'
const TRS = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian'

/** The absolute URL of a path under /ogc with query parameters (absolute: GDAL follows `next` as given). */
function urlOf(req: Request, path: string, params: Record<string, string | number | undefined> = {}): string {
  const u = new URL(`${req.protocol}://${req.get('host')}${req.baseUrl}${path}`)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, String(v))
  return u.toString()
}

const format = (req: Request) => formatOf(req.query.f, (types) => req.accepts(types))

/**
 * OGC API – Features at /ogc: open data for QGIS, GDAL and scripts, the public's figures only (no session
 * is read: a signed-in analyst gets the same answers as anyone).
 */
const viewerOf = (req: Request) => ({ signedIn: Boolean(req.user), internal: seesInternalFigures(req.user) })

/** A published lägesbild never changes: its collection's pages may be kept for good (boundaries stay current). */
function immutableIfPublished(req: Request, res: Response, collectionId: string) {
  if (collectionId.startsWith('lagesbild-')) cacheForever(req, res)
}

export function ogcRouter(db: Kysely<Database>, sources: OgcSources): Router {
  const router = Router()
  const service = ogcService(db, sources)

  const send = (res: Response, type: string, body: unknown) => res.type(type).send(typeof body === 'string' ? body : JSON.stringify(body))

  router.get('/', allow('public'), (req, res) => {
    checkParams(req.query)
    const links = [
      { href: urlOf(req, '/', { f: 'json' }), rel: 'self', type: 'application/json', title: 'Denna sida som JSON' },
      { href: urlOf(req, '/', { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'Denna sida som HTML' },
      { href: urlOf(req, '/api'), rel: 'service-desc', type: OPENAPI_TYPE, title: 'API-beskrivning (OpenAPI 3.0)' },
      { href: urlOf(req, '/conformance'), rel: 'conformance', type: 'application/json', title: 'Konformitetsklasser' },
      { href: urlOf(req, '/collections'), rel: 'data', type: 'application/json', title: 'Samlingar' },
    ]
    const title = 'Lägesbild – öppna data'
    const description = 'Gällande gränser och publicerade lägesbilders indikatorvärden (OGC API – Features). Bara publicerade siffror; för små tal är dolda.'
    if (format(req) === 'html') {
      return send(
        res,
        'text/html; charset=utf-8',
        html.page(title, [], html.para(description) + html.list([
          { href: urlOf(req, '/collections', { f: 'html' }), label: 'Samlingar', text: 'gränser och publicerade lägesbilder' },
          { href: urlOf(req, '/conformance', { f: 'html' }), label: 'Konformitetsklasser' },
          { href: urlOf(req, '/api'), label: 'API-beskrivning', text: 'OpenAPI 3.0 (JSON)' },
        ]) + html.para('I QGIS: Lager › Lägg till lager › WFS / OGC API – Features, med adressen') + html.code(urlOf(req, '')) + html.para('Med GDAL:') + html.code(`ogrinfo OAPIF:${urlOf(req, '')}`), urlOf(req, '/', { f: 'json' })),
      )
    }
    send(res, 'application/json', { title, description, links })
  })

  router.get('/conformance', allow('public'), (req, res) => {
    checkParams(req.query)
    if (format(req) === 'html') {
      return send(res, 'text/html; charset=utf-8', html.page('Konformitetsklasser', [{ href: urlOf(req, '/', { f: 'html' }), label: 'Öppna data' }], html.list(CONFORMANCE.map((c) => ({ href: c, label: c }))), urlOf(req, '/conformance', { f: 'json' })))
    }
    send(res, 'application/json', { conformsTo: CONFORMANCE })
  })

  router.get('/api', allow('public'), (req, res) => {
    send(res, OPENAPI_TYPE, openApi(urlOf(req, '')))
  })

  const collectionJson = (req: Request, c: Collection) => ({
    id: c.id,
    title: c.title,
    description: c.description,
    links: [
      { href: urlOf(req, `/collections/${c.id}`, { f: 'json' }), rel: 'self', type: 'application/json', title: 'Samlingen som JSON' },
      { href: urlOf(req, `/collections/${c.id}`, { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'Samlingen som HTML' },
      { href: urlOf(req, `/collections/${c.id}/items`, { f: 'json' }), rel: 'items', type: GEOJSON, title: 'Objekten som GeoJSON' },
      { href: urlOf(req, `/collections/${c.id}/items`, { f: 'html' }), rel: 'items', type: 'text/html', title: 'Objekten som HTML' },
    ],
    extent: {
      spatial: { bbox: c.bbox ? [c.bbox] : [], crs: CRS84 },
      temporal: { interval: [c.interval.map((d) => (d ? `${d}T00:00:00Z` : null))], trs: TRS },
    },
    itemType: 'feature',
    crs: CRSES.map((x) => x.uri),
    storageCrs: STORAGE_CRS,
  })

  router.get('/collections', allow('public'), async (req, res) => {
    checkParams(req.query)
    const all = await service.collections(viewerOf(req))
    if (format(req) === 'html') {
      const items = all.map((c) => ({ href: urlOf(req, `/collections/${c.id}`, { f: 'html' }), label: c.title, text: c.id }))
      return send(res, 'text/html; charset=utf-8', html.page('Samlingar', [{ href: urlOf(req, '/', { f: 'html' }), label: 'Öppna data' }], html.list(items), urlOf(req, '/collections', { f: 'json' })))
    }
    send(res, 'application/json', {
      links: [
        { href: urlOf(req, '/collections', { f: 'json' }), rel: 'self', type: 'application/json', title: 'Samlingarna som JSON' },
        { href: urlOf(req, '/collections', { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'Samlingarna som HTML' },
      ],
      collections: all.map((c) => collectionJson(req, c)),
      crs: CRSES.map((x) => x.uri),
    })
  })

  router.get('/collections/:collectionId', allow('public'), async (req, res) => {
    checkParams(req.query)
    const c = await service.collection(String(req.params.collectionId), viewerOf(req))
    if (format(req) === 'html') {
      const body =
        html.para(c.description) +
        html.list([{ href: urlOf(req, `/collections/${c.id}/items`, { f: 'html' }), label: 'Objekten', text: 'tabell' }, { href: urlOf(req, `/collections/${c.id}/items`, { f: 'json' }), label: 'Objekten som GeoJSON' }]) +
        html.para(`Utbredning (CRS84): ${c.bbox ? c.bbox.join(', ') : 'inga objekt'}. Koordinatsystem: ${CRSES.map((x) => x.uri).join(', ')}. Lagrat i ${STORAGE_CRS}.`)
      return send(res, 'text/html; charset=utf-8', html.page(c.title, [{ href: urlOf(req, '/', { f: 'html' }), label: 'Öppna data' }, { href: urlOf(req, '/collections', { f: 'html' }), label: 'Samlingar' }], body, urlOf(req, `/collections/${c.id}`, { f: 'json' })))
    }
    send(res, 'application/json', collectionJson(req, c))
  })

  router.get('/collections/:collectionId/items', allow('public'), async (req, res) => {
    const id = String(req.params.collectionId)
    const c = await service.collection(id, viewerOf(req))
    const asHtml = format(req) === 'html'
    const q = parseItemsQuery(req.query, c.queryables)
    const { numberMatched, page, features } = await service.items(id, q, viewerOf(req))
    // The links keep every parameter the caller gave, with the page's offset.
    const params = Object.fromEntries(Object.entries(req.query as Record<string, string>))
    const at = (offset: number, f: string) => urlOf(req, `/collections/${id}/items`, { ...params, offset, limit: q.limit, f })
    const fmt = asHtml ? 'html' : 'json'
    const links = [
      { href: at(q.offset, 'json'), rel: asHtml ? 'alternate' : 'self', type: GEOJSON, title: 'Denna sida som GeoJSON' },
      { href: at(q.offset, 'html'), rel: asHtml ? 'self' : 'alternate', type: 'text/html', title: 'Denna sida som HTML' },
      ...(q.offset + q.limit < numberMatched ? [{ href: at(q.offset + q.limit, fmt), rel: 'next', type: asHtml ? 'text/html' : GEOJSON, title: 'Nästa sida' }] : []),
      ...(q.offset > 0 ? [{ href: at(Math.max(0, q.offset - q.limit), fmt), rel: 'prev', type: asHtml ? 'text/html' : GEOJSON, title: 'Föregående sida' }] : []),
      { href: urlOf(req, `/collections/${id}`, { f: 'json' }), rel: 'collection', type: 'application/json', title: c.title },
    ]
    res.set('Content-Crs', `<${q.crs.uri}>`)
    immutableIfPublished(req, res, id)
    if (asHtml) {
      const extra = page[0] ? Object.keys(page[0].properties).filter((k) => k !== 'code' && k !== 'name') : []
      const shown = extra.slice(0, 8)
      const rows = page.map((r) => [
        { text: r.id, href: urlOf(req, `/collections/${id}/items/${r.id}`, { f: 'html' }) },
        { text: r.code },
        { text: r.name },
        ...shown.map((k) => ({ text: r.properties[k] as unknown })),
      ])
      const nav = links.filter((l) => l.rel === 'prev' || l.rel === 'next').map((l) => ({ href: l.href, label: l.title }))
      const body =
        html.para(`${numberMatched} objekt matchar; visar ${q.offset + 1}–${q.offset + page.length}.` + (extra.length > shown.length ? ` Tabellen visar ${shown.length} av ${extra.length} egenskaper; öppna ett objekt för alla.` : '')) +
        html.table(['id', 'kod', 'namn', ...shown], rows) +
        (nav.length ? html.list(nav) : '')
      return send(
        res,
        'text/html; charset=utf-8',
        html.page(`${c.title}: objekt`, [{ href: urlOf(req, '/', { f: 'html' }), label: 'Öppna data' }, { href: urlOf(req, '/collections', { f: 'html' }), label: 'Samlingar' }, { href: urlOf(req, `/collections/${id}`, { f: 'html' }), label: c.title }], body, at(q.offset, 'json')),
      )
    }
    const head = { type: 'FeatureCollection', timeStamp: new Date().toISOString(), numberMatched, numberReturned: page.length, links }
    const json = JSON.stringify(head)
    send(res, GEOJSON, `${json.slice(0, -1)},"features":[${features.join(',')}]}`)
  })

  router.get('/collections/:collectionId/items/:featureId', allow('public'), async (req, res) => {
    checkParams(req.query, new Set(['f', 'crs']))
    const id = String(req.params.collectionId)
    const crsText = typeof req.query.crs === 'string' ? req.query.crs : undefined
    if (req.query.crs !== undefined && crsText === undefined) throw OgcError.badParameter('Parametern crs får bara anges en gång')
    const crs = crsText === undefined ? CRSES[0]! : crsOf(crsText)
    if (!crs) throw OgcError.badParameter(`crs: ${crsText} stöds inte; använd ${CRSES.map((c) => c.uri).join(', ')}`)
    const asHtml = format(req) === 'html'
    const { collection: c, row, feature } = await service.item(id, String(req.params.featureId), crs, viewerOf(req))
    const self = (f: string) => urlOf(req, `/collections/${id}/items/${row.id}`, { f, ...(crsText ? { crs: crsText } : {}) })
    res.set('Content-Crs', `<${crs.uri}>`)
    immutableIfPublished(req, res, id)
    if (asHtml) {
      const rows = Object.entries(row.properties).map(([k, v]) => [{ text: k }, { text: v as unknown }])
      const body = html.table(['egenskap', 'värde'], rows, true)
      return send(
        res,
        'text/html; charset=utf-8',
        html.page(`${row.name} (${row.code})`, [{ href: urlOf(req, '/', { f: 'html' }), label: 'Öppna data' }, { href: urlOf(req, '/collections', { f: 'html' }), label: 'Samlingar' }, { href: urlOf(req, `/collections/${id}/items`, { f: 'html' }), label: c.title }], body, self('json')),
      )
    }
    const links = [
      { href: self('json'), rel: 'self', type: GEOJSON, title: 'Objektet som GeoJSON' },
      { href: self('html'), rel: 'alternate', type: 'text/html', title: 'Objektet som HTML' },
      { href: urlOf(req, `/collections/${id}`, { f: 'json' }), rel: 'collection', type: 'application/json', title: c.title },
    ]
    send(res, GEOJSON, `${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`)
  })

  // Read-only: another method on a resource that exists is a 405 naming the allowed ones.
  const RESOURCE = /^\/(?:conformance|api|collections(?:\/[^/]+(?:\/items(?:\/[^/]+)?)?)?)?\/?$/
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && RESOURCE.test(req.path)) {
      res.set('Allow', 'GET, HEAD')
      return next(new OgcError(405, 'MethodNotAllowed', `${req.method} stöds inte här; bara GET`))
    }
    next(OgcError.notFound(`Ingen sådan resurs: ${req.method} ${req.baseUrl}${req.path}`))
  })
  router.use(ogcErrors)
  return router
}

/** OGC's exception shape: { code, description }; a 404 from a source (an unpublished lägesbild) stays a 404. */
const ogcErrors: ErrorRequestHandler = (err, req, res, _next) => {
  let e: OgcError
  if (err instanceof OgcError) e = err
  else if (err instanceof AppError && err.status === 404) e = OgcError.notFound(err.message)
  else if (err instanceof AppError && err.status < 500) e = new OgcError(400, 'InvalidParameterValue', err.message)
  else {
    const server = serverError(err, `[ogc] ${req.method} ${req.originalUrl}`)
    if (res.headersSent) return
    res.status(server.status).set('Cache-Control', 'no-store')
    if (server.status === 503) res.set('Retry-After', '5')
    res.json({ code: server.status === 503 ? 'ServiceUnavailable' : 'ServerError', description: server.message })
    return
  }
  if (res.headersSent) return
  res.status(e.status).type('application/json').send(JSON.stringify({ code: e.code, description: e.description }))
}
