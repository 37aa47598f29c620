import type { Request, RequestHandler, Response } from 'express'

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable'
/** Current public data: tools and proxies may keep it a minute; the app's own client revalidates by ETag. */
export const CACHE_CURRENT = 'public, max-age=60'
export const CACHE_PRIVATE = 'private, no-store'

/**
 * Every API answer's default caching, set by the route's `allow(...)` before its handler (which may
 * override it, e.g. a published snapshot's resources): anyone's answer on a public route is current
 * public data (Express adds the ETag and answers If-None-Match with 304); an answer to a signed-in user
 * may hold internal figures and is never stored; a write is never stored.
 */
export function setDefaultCaching(req: Request, res: Response, isPublicRoute: boolean) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.set('Cache-Control', 'no-store')
    return
  }
  if (isPublicRoute && !req.user) {
    res.set('Cache-Control', CACHE_CURRENT)
    // A signed-in user's answer on the same address differs: never serve them this one from a cache.
    res.vary('Cookie').vary('Authorization')
  } else res.set('Cache-Control', CACHE_PRIVATE)
}

/** Marks an anonymous answer as never changing (a published snapshot's resources); signed-in answers stay private. */
export function cacheForever(req: Request, res: Response) {
  if (!req.user) res.set('Cache-Control', CACHE_IMMUTABLE)
}

/**
 * Open data: path prefixes that any web page may read (GET and HEAD, no credentials, so only what the
 * public sees). Everything else sends no CORS headers, and browsers keep other origins out.
 */
export const OPEN_DATA_PREFIXES: readonly (string | RegExp)[] = [
  /^\/api\/snapshots(\/|$)/,
  /^\/api\/stadsomraden\//,
  '/api/openapi.json',
  // OGC API – Features: boundaries and published lägesbilder only.
  '/ogc',
]

const isOpenData = (path: string) => OPEN_DATA_PREFIXES.some((p) => (typeof p === 'string' ? path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) : p.test(path)))

export const corsOpenData: RequestHandler = (req, res, next) => {
  if (!isOpenData(req.path)) return next()
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.set('Access-Control-Allow-Origin', '*')
    return next()
  }
  // A preflight for GET: answered here, no credentials and no extra headers allowed.
  if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Max-Age': '86400' }).status(204).end()
    return
  }
  next()
}
