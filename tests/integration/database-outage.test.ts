/**
 * The database may fail; the app may not. On the PostgreSQL server: a connection terminated while a request
 * uses it fails that request only (503 database_unavailable) and the next one succeeds; a server that refuses
 * connections gives 503 on every route and the app recovers by itself when it is back; a lock or a stalled
 * statement turns into a 503 within the configured timeout. All in this process: an unhandled 'error' event
 * from the driver would end it, and fail this file.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createDb, type Db } from '../../db/connect'
import { UNAVAILABLE_MESSAGE } from '../../server/http/errors.middleware'
import { testEngines } from '../helpers/engines'
import { send, startApp, type RunningApp } from '../helpers/http'

const server = testEngines().find((e) => e.name === 'postgresql')
if (!server) console.warn('[database-outage] skipped: no PostgreSQL server configured (TEST_DATABASE_URL)')

const unavailable = { error: { code: 'database_unavailable', message: UNAVAILABLE_MESSAGE, details: [] } }

/** Waits until a backend of the database waits for a lock, and returns its pid. */
async function waitingBackend(admin: pg.Client, database: string): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      [database],
    )
    if (rows[0]) return rows[0].pid
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('no request ever waited for the lock')
}

/**
 * A TCP relay in front of PostgreSQL that can be switched off (connections refused) and on again. With
 * `lingerMs`, a connection the server closes stays open towards the app that long: the server's last message
 * arrives well before the socket closes, as from a backend slow to exit on a loaded machine.
 */
function relay(target: number, lingerMs = 0) {
  let srv: Server | null = null
  const sockets = new Set<Socket>()
  let port = 0
  return {
    get port() {
      return port
    },
    async on() {
      srv = createServer((client) => {
        const upstream = connect(target, '127.0.0.1')
        sockets.add(client).add(upstream)
        const drop = () => {
          client.destroy()
          upstream.destroy()
        }
        const late = () => (lingerMs ? setTimeout(drop, lingerMs) : drop())
        client.on('error', drop).on('close', drop)
        upstream.on('error', late).on('close', late)
        client.pipe(upstream).pipe(client, { end: false })
      })
      await new Promise<void>((resolve) => srv!.listen(port, '127.0.0.1', () => resolve()))
      port = (srv.address() as AddressInfo).port
    },
    async off() {
      for (const s of sockets) s.destroy()
      sockets.clear()
      await new Promise<void>((resolve) => srv!.close(() => resolve()))
    },
  }
}

const serverPort = () => Number(new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x@127.0.0.1:5432/x').port || 5432)

describe.skipIf(!server)('the app when the PostgreSQL server fails', () => {
  let copy: Awaited<ReturnType<NonNullable<typeof server>['copyForProcess']>>
  let url: URL
  let database: string
  let admin: pg.Client
  beforeAll(async () => {
    copy = await server!.copyForProcess()
    url = new URL(copy.env.DATABASE_URL!)
    database = url.pathname.slice(1)
    admin = new pg.Client({ connectionString: url.toString() })
    await admin.connect()
  }, 60_000)
  afterAll(async () => {
    await admin?.end()
    await copy?.remove()
  })

  describe('a connection terminated during a request', () => {
    const slow = relay(serverPort(), 1_000)
    let db: Db
    let app: RunningApp
    beforeAll(async () => {
      await slow.on()
      const through = new URL(url)
      through.port = String(slow.port)
      // A long lock timeout: the request must be waiting when its connection is terminated.
      db = await createDb({ databaseUrl: through.toString(), dataDir: 'unused', lockTimeoutMs: 60_000 })
      app = await startApp(db)
    })
    afterAll(async () => {
      await app?.close()
      await db?.close()
      await slow.off()
    })

    it('fails only the read it served, with 503; the next read gets a fresh connection', async () => {
      const before = await app.get('/api/indicators')
      expect(before.status).toBe(200)
      await admin.query('BEGIN')
      await admin.query('LOCK TABLE indicators IN ACCESS EXCLUSIVE MODE')
      // An address not yet read: one already answered is served from memory (server/http/prepared.ts) and
      // never reaches the database.
      const pending = app.get('/api/indicators?lasning=2')
      await admin.query('SELECT pg_terminate_backend($1)', [await waitingBackend(admin, database)])
      const res = await pending
      await admin.query('ROLLBACK')
      expect(res.status).toBe(503)
      expect(res.body).toEqual(unavailable)
      expect(res.headers.get('retry-after')).toBe('5')
      expect(res.headers.get('cache-control')).toBe('no-store')
      const after = await app.get('/api/indicators?lasning=3')
      expect(after.status).toBe(200)
      expect(after.body).toEqual(before.body)
    })

    it('fails a write with 503 and nothing written; the same write then succeeds', async () => {
      const count = async () => Number((await admin.query('SELECT count(*) AS n FROM api_tokens')).rows[0].n)
      const n = await count()
      await admin.query('BEGIN')
      await admin.query('LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE')
      const pending = send(app, 'POST', '/api/tokens', { name: 'QGIS' })
      await admin.query('SELECT pg_terminate_backend($1)', [await waitingBackend(admin, database)])
      const res = await pending
      await admin.query('ROLLBACK')
      expect(res.status).toBe(503)
      expect(res.body.error.code).toBe('database_unavailable')
      expect(await count()).toBe(n)
      expect((await send(app, 'POST', '/api/tokens', { name: 'QGIS' })).status).toBe(201)
      expect(await count()).toBe(n + 1)
    })

    it('survives every idle connection being terminated', async () => {
      // Fill the pool with idle connections, then end them all from the server's side.
      await Promise.all(Array.from({ length: 6 }, () => app.get('/api/areas?layer=stadsomrade')))
      const { rows } = await admin.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database])
      expect(rows.length).toBeGreaterThan(0)
      // The pool learns of the loss asynchronously; a request on a connection it has not yet discarded is a 503.
      await new Promise((r) => setTimeout(r, 300))
      const res = await app.get('/api/areas?layer=stadsomrade')
      expect(res.status).toBe(200)
    })
  })

  it('turns a lock held too long into a 503 within the lock timeout, and a stalled statement within the statement timeout', async () => {
    for (const timeouts of [{ lockTimeoutMs: 1_000 }, { statementTimeoutMs: 1_000 }]) {
      const db = await createDb({ databaseUrl: url.toString(), dataDir: 'unused', ...timeouts })
      const app = await startApp(db, { as: 'public' })
      try {
        const before = await app.get('/api/layers')
        expect(before.status, JSON.stringify(timeouts)).toBe(200)
        await admin.query('BEGIN')
        await admin.query('LOCK TABLE area_layers IN ACCESS EXCLUSIVE MODE')
        // An address not yet read (one already answered may be served from memory, without the database).
        const res = await app.get('/api/layers?lasning=2')
        await admin.query('ROLLBACK')
        expect(res.status, JSON.stringify(timeouts)).toBe(503)
        expect(res.body).toEqual(unavailable)
        expect((await app.get('/api/layers')).body).toEqual(before.body)
      } finally {
        await admin.query('ROLLBACK').catch(() => {})
        await app.close()
        await db.close()
      }
    }
  })

  describe('a server that refuses connections', () => {
    const gate = relay(serverPort())
    let db: Db
    let app: RunningApp
    let paths: string[]
    beforeAll(async () => {
      await gate.on()
      const through = new URL(url)
      through.port = String(gate.port)
      db = await createDb({ databaseUrl: through.toString(), dataDir: 'unused', connectTimeoutMs: 2_000 })
      app = await startApp(db)
      // Every GET route of the API, taken from its own description, with sample parameters filled in.
      const doc = (await app.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> }
      paths = Object.entries(doc.paths)
        .filter(([, ops]) => 'get' in ops)
        .map(([p]) => p.replace(/\{[^}]+\}/g, (m) => (/id\}$/i.test(m) ? '1' : 'demo_ran')))
    })
    afterAll(async () => {
      await app?.close()
      await db?.close()
    })

    it('answers 503 on every route that needs the database, never 500 and never a hang, and logs the outage once', async () => {
      expect(paths.length).toBeGreaterThan(40)
      const healthy = new Map<string, number>()
      for (const p of paths) healthy.set(p, (await app.get(p)).status)
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
      const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
      await gate.off()
      const anonymous = await app.as('public')
      try {
        const statuses: Record<string, number> = {}
        const anonymousStatuses: Record<string, number> = {}
        for (const p of paths) {
          const res = await app.get(p)
          statuses[p] = res.status
          anonymousStatuses[p] = (await anonymous.get(p)).status
        }
        // Signed in, every route needs the database to know who is asking.
        expect(Object.entries(statuses).filter(([, s]) => s !== 503)).toEqual([])
        expect((await app.get('/api/indicators')).body).toEqual(unavailable)
        // Anonymous: only what needs no database still answers (the API's description, the client's settings);
        // the rest is 503, or a 4xx decided before any query (sign in first, a missing parameter). Never a 500.
        const unaffected = Object.entries(anonymousStatuses).filter(([, s]) => s !== 503)
        expect(unaffected.filter(([, s]) => s === 200).map(([p]) => p).sort()).toEqual(['/api/config', '/api/docs', '/api/openapi.json', '/api/session'])
        expect(unaffected.filter(([, s]) => s >= 500)).toEqual([])
        expect(Object.values(anonymousStatuses).filter((s) => s === 503).length).toBeGreaterThanOrEqual(10)
        expect((await anonymous.get('/ogc/collections')).status).toBe(503)
        // Dozens of failed requests, one line about them (and a count once the minute is over).
        const lines = [...errors.mock.calls, ...warnings.mock.calls].map((c) => String(c[0]))
        expect(lines.filter((l) => /databasen svarar inte/.test(l)).length).toBeLessThanOrEqual(2)
      } finally {
        errors.mockRestore()
        warnings.mockRestore()
      }
      // Back by itself: the same session, the same answers as before the outage.
      await gate.on()
      for (const p of paths) expect((await app.get(p)).status, p).toBe(healthy.get(p))
    }, 120_000)
  })
})
