import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { Request, RequestHandler, Response } from 'express'
import { keptPerGeneration, type Generation } from '../../db/changes'

/** An answer as sent, kept to be sent again: its body plain and gzipped, and the headers its route set. */
interface Prepared {
  headers: Array<[string, string | number | readonly string[]]>
  body: Buffer
  gzip: Buffer | null
  etag: string
}

/** Headers that belong to one response, not to the answer. */
const OWN_HEADERS = new Set(['set-cookie', 'date', 'content-length', 'etag', 'content-encoding', 'strict-transport-security', 'connection', 'keep-alive', 'transfer-encoding'])
/** Below this the compression middleware leaves a body alone too. */
const GZIP_FROM = 1024

const limits = { maxEntries: 5_000, maxWeight: 192 * 2 ** 20, weight: (p: Prepared) => p.body.length + (p.gzip?.length ?? 0) }
const keptOf: Record<Generation, ReturnType<typeof keptPerGeneration<Prepared>>> = {
  all: keptPerGeneration<Prepared>(limits),
  figures: keptPerGeneration<Prepared>({ ...limits, of: 'figures' }),
}

/**
 * Who an answer is for: the route's access rule has already let the caller in, and what the figures show
 * depends on the role alone (disclosure: analysts and admins see internal figures, everyone else suppressed
 * ones); a local group's stadsområde is in the key too, so that nothing can ever cross groups.
 */
const audienceOf = (req: Request) => (req.user ? `${req.user.role}:${req.user.stadsomradeCode ?? ''}` : 'public')

/** The UTC day: boundaries are read as of today, so an answer is not kept across midnight. */
const day = () => Math.floor(Date.now() / 86_400_000)

/** Tells `prepared` not to keep this answer (figures the LP audit has not yet settled). */
export function doNotKeep(res: Response) {
  res.locals.doNotKeep = true
}

/**
 * Reads served from memory: the route's answer is a pure function of the data (the database's change
 * generation, db/changes.ts), the caller's audience and the address, so once made it is kept and sent again
 * without the handler or the database: with an ETag (304 on If-None-Match) and gzipped once, not per request.
 * Put after the route's `allow(...)`. Only 200 answers are kept. `of`: the generation the answer depends on —
 * 'figures' for one made of the figures and boundaries alone (no table of PROCESS_TABLES read), which a
 * saved measure or plan then leaves kept; 'all' otherwise.
 */
export function prepared(db: object, of: Generation = 'all'): RequestHandler {
  const kept = keptOf[of]
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    const key = `${audienceOf(req)}|${day()}|${req.originalUrl}`
    const hit = kept.get(db, key)
    if (hit) return sendPrepared(req, res, hit)
    const generation = kept.begin(db)
    if (generation === undefined) return next()
    res.locals.keeping = true
    const send = res.send
    res.send = function (this: Response, body?: unknown) {
      res.send = send
      const buffer = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : null
      if (res.statusCode !== 200 || res.locals.doNotKeep || !buffer || !res.get('Content-Type') || res.get('Content-Encoding') || res.get('Set-Cookie')) return send.call(this, body)
      const headers = Object.entries(res.getHeaders()).filter(([name, value]) => value !== undefined && !OWN_HEADERS.has(name)) as Prepared['headers']
      const p: Prepared = {
        headers,
        body: buffer,
        gzip: buffer.length >= GZIP_FROM ? gzipSync(buffer) : null,
        etag: `"${createHash('sha1').update(buffer).digest('base64url')}"`,
      }
      kept.set(db, generation, key, p)
      sendPrepared(req, res, p)
      return res
    } as Response['send']
    next()
  }
}

function sendPrepared(req: Request, res: Response, p: Prepared) {
  for (const [name, value] of p.headers) res.setHeader(name, value)
  res.setHeader('ETag', p.etag)
  if (req.fresh) {
    res.status(304).end()
    return
  }
  let body = p.body
  if (p.gzip) {
    res.vary('Accept-Encoding')
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      body = p.gzip
      // The compression middleware leaves an answer that is already encoded alone.
      res.setHeader('Content-Encoding', 'gzip')
    }
  }
  res.setHeader('Content-Length', body.length)
  res.status(200).end(req.method === 'HEAD' ? undefined : body)
}
