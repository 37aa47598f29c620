import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

const VALUES = '/api/indicators/demo_ran/values?layer=primaromrade&period=2025'

/**
 * Reads served from memory (server/http/prepared.ts, db/changes.ts): the database is off the hot path, and
 * every committed write, whoever makes it, is seen by the next read.
 */
describe.each(testEngines())('prepared reads on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let analyst: Client
  let local: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'public' })
    analyst = await app.as('analyst')
    local = await app.as('local')
    // On a server nothing is kept until the app listens for other processes' commits.
    await vi.waitUntil(() => db.changes.trusted(), { timeout: 10_000 })
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  /** A connection of its own to the app's database on the server, as another process (an instance, the CLI) has. */
  async function otherProcess(): Promise<pg.Client> {
    const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(db.kysely)
    const url = new URL(inject('postgresUrl')!)
    url.pathname = `/${rows[0]!.name}`
    const other = new pg.Client({ connectionString: url.toString() })
    await other.connect()
    return other
  }

  const ranIn = async (client: Client, code: string) => ((await client.get(VALUES)).body.values as Array<{ code: string; value: number | null }>).find((v) => v.code === code)!.value

  /** Holds every table a values answer or a session reads, in a transaction of the app's own database, while `fn` runs. */
  async function withTablesLocked<T>(fn: () => Promise<T>, tables = sql`observations, sessions, users, indicators, import_log, snapshots`): Promise<T> {
    let locked!: () => void
    let release!: () => void
    const held = new Promise<void>((ok) => (locked = ok))
    const done = new Promise<void>((ok) => (release = ok))
    const trx = db.kysely
      .transaction()
      .execute(async (t) => {
        await sql`LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE`.execute(t)
        locked()
        await done
        throw new Error('rolled back')
      })
      .catch(() => {})
    await held
    try {
      return await fn()
    } finally {
      release()
      await trx
    }
  }

  it('answers a read it has made before without the database: same body, an ETag, 304 on If-None-Match', async () => {
    const first = await fetch(app.url + VALUES, { headers: analyst.headers() })
    const body = await first.text()
    const etag = first.headers.get('etag')
    expect(first.status).toBe(200)
    expect(etag).toBeTruthy()
    await fetch(app.url + VALUES, { headers: local.headers() }).then((r) => r.text())
    const [again, notModified, suppressed, gzipped] = await withTablesLocked(async () => {
      const timeout = AbortSignal.timeout(5000)
      return Promise.all([
        fetch(app.url + VALUES, { headers: analyst.headers(), signal: timeout }).then(async (r) => ({ status: r.status, body: await r.text(), etag: r.headers.get('etag') })),
        fetch(app.url + VALUES, { headers: { ...analyst.headers(), 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' }, signal: timeout }).then((r) => r.status),
        fetch(app.url + VALUES, { headers: local.headers(), signal: timeout }).then(async (r) => ({ status: r.status, body: await r.json() })),
        // Node's fetch asks for gzip and unpacks it: the same bytes, sent gzipped.
        fetch(app.url + VALUES, { headers: { ...analyst.headers(), 'Accept-Encoding': 'gzip' }, signal: timeout }).then(async (r) => ({ encoding: r.headers.get('content-encoding'), body: await r.text() })),
      ])
    })
    expect(again).toEqual({ status: 200, body, etag })
    expect(notModified).toBe(304)
    expect(gzipped).toEqual({ encoding: 'gzip', body })
    // The local group's answer is its own, suppressed: never the analyst's.
    expect(suppressed.status).toBe(200)
    expect(suppressed.body.suppression.internal).toBe(false)
    expect(JSON.parse(body).suppression.internal).toBe(true)
  })

  it('sees a write committed through the app at the next read', async () => {
    const before = await ranIn(analyst, '612')
    await db.kysely
      .updateTable('observations')
      .set({ value: sql`value + 1000`, numerator: sql`numerator + 1000` })
      .where('indicator_id', '=', 'demo_ran')
      .where('period', '=', '2025')
      .where('area_id', '=', sql<number>`(SELECT id FROM areas WHERE layer_id = 'primaromrade' AND code = '612')`)
      .execute()
    // The derived cells key on the import log: a change always comes with an import.
    await db.kysely.insertInto('import_log').values({ kind: 'observations', file_name: 'prepared.csv', rows_read: 1, rows_accepted: 1 }).execute()
    expect(await ranIn(analyst, '612')).toBe(Number(before) + 1000)
  })

  it('does not keep a write that was rolled back, nor miss one that commits while a read is under way', async () => {
    const before = await ranIn(analyst, '612')
    await db.kysely
      .transaction()
      .execute(async (t) => {
        await t.insertInto('import_log').values({ kind: 'observations', file_name: 'rolled-back.csv', rows_read: 1, rows_accepted: 1 }).execute()
        await t.updateTable('observations').set({ value: 1 }).where('indicator_id', '=', 'demo_ran').execute()
        throw new Error('rolled back')
      })
      .catch(() => {})
    expect(await ranIn(analyst, '612')).toBe(before)
    // A read made while a transaction is open, answered after it commits, is not kept.
    let commit!: () => void
    const committed = db.kysely.transaction().execute(async (t) => {
      await t.insertInto('import_log').values({ kind: 'observations', file_name: 'during.csv', rows_read: 1, rows_accepted: 1 }).execute()
      await t.updateTable('observations').set({ value: sql`value + 1`, numerator: sql`numerator + 1` }).where('indicator_id', '=', 'demo_ran').where('period', '=', '2025').execute()
      await new Promise<void>((ok) => (commit = ok))
    })
    await new Promise((ok) => setTimeout(ok, 50))
    const during = analyst.get(VALUES)
    commit()
    await committed
    await during
    expect(await ranIn(analyst, '612')).toBe(Number(before) + 1)
  })

  it('keeps an answer made of the figures across a saved measure', async () => {
    const figures = sql`observations, indicators, import_log, snapshots, areas, area_population`
    const before = await fetch(app.url + VALUES, { headers: analyst.headers() }).then((r) => r.text())
    const measure = await db.kysely.selectFrom('measures').select(['id', 'title']).orderBy('id').executeTakeFirstOrThrow()
    await db.kysely.updateTable('measures').set({ title: `${measure.title} (ändrad)` }).where('id', '=', measure.id).execute()
    // The save moved the 'all' generation: the session is read again now, before the tables are held (on the
    // embedded engine the holding transaction has the only connection).
    expect((await analyst.get('/api/session')).status).toBe(200)
    try {
      // The figures' tables are held: only an answer kept from before the save can come back.
      const again = await withTablesLocked(() => fetch(app.url + VALUES, { headers: analyst.headers(), signal: AbortSignal.timeout(5000) }).then((r) => r.text()), figures)
      expect(again).toBe(before)
    } finally {
      await db.kysely.updateTable('measures').set({ title: measure.title }).where('id', '=', measure.id).execute()
    }
  })

  it('ends a session at once when the account is disabled, though the session was kept in memory', async () => {
    const admin = await app.as('admin')
    const other = await app.as('local')
    expect((await other.get(VALUES)).status).toBe(200)
    const me = (await other.get('/api/session')).body.user
    const users = (await admin.get('/api/users')).body as Array<{ id: number; email: string }>
    const id = users.find((u) => u.email === me.email)!.id
    expect((await send(admin, 'PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200)
    expect((await other.get(VALUES)).status).toBe(401)
    await send(admin, 'PATCH', `/api/users/${id}`, { disabled: false })
  })

  it('has every table tell other processes of its changes (a table added without the trigger would serve stale answers)', async () => {
    const { rows } = await sql<{ t: string }>`
      SELECT tablename AS t FROM pg_tables p WHERE schemaname = current_schema()
        AND tablename NOT IN ('sign_in_attempts', 'api_tokens', 'kysely_migration', 'kysely_migration_lock', 'spatial_ref_sys')
        AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = format('%I', p.tablename)::regclass AND g.tgname = 'notify_change')`.execute(db.kysely)
    expect(rows.map((r) => r.t)).toEqual([])
  })

  if (engine.name === 'postgresql') it('tells from the notification of another process whether the figures changed (the payload names the table)', async () => {
    const other = await otherProcess()
    try {
      const moved = async (statement: string) => {
        const [all, figures] = [db.changes.generation('all'), db.changes.generation('figures')]
        await other.query(statement)
        await vi.waitUntil(() => db.changes.generation('all') > all, { timeout: 5000 })
        return db.changes.generation('figures') > figures
      }
      expect(await moved(`UPDATE measures SET title = title WHERE id = (SELECT min(id) FROM measures)`)).toBe(false)
      expect(await moved(`UPDATE indicators SET name = name WHERE id = 'demo_ran'`)).toBe(true)
    } finally {
      await other.end()
    }
  })

  // Only a server has other processes (the embedded engine's directory is one process's): not even listed elsewhere.
  if (engine.name === 'postgresql') it('sees a write another process commits (LISTEN/NOTIFY), within a moment', async () => {
    const before = Number(await ranIn(analyst, '612'))
    const other = await otherProcess()
    try {
      await other.query('BEGIN')
      await other.query(`INSERT INTO import_log (kind, file_name, rows_read, rows_accepted) VALUES ('observations', 'other.csv', 1, 1)`)
      await other.query(`UPDATE observations SET value = value + 5, numerator = numerator + 5 WHERE indicator_id = 'demo_ran' AND period = '2025'
        AND area_id = (SELECT id FROM areas WHERE layer_id = 'primaromrade' AND code = '612')`)
      await other.query('COMMIT')
    } finally {
      await other.end()
    }
    let seen = before
    for (let i = 0; i < 50 && seen !== before + 5; i++) {
      await new Promise((ok) => setTimeout(ok, 20))
      seen = Number(await ranIn(analyst, '612'))
    }
    expect(seen).toBe(before + 5)
  })
})
