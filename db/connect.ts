import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { Kysely, Migrator, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient, type Transaction } from 'kysely'
import pg from 'pg'
import { changeCounter, countingWrites, PROCESS_TABLES, registerChanges, type Changes } from './changes'
import { migrationProvider } from './migrations/index'
import { PGliteDialect } from './pglite-dialect'
import type { Database } from './schema'

export type Engine = 'pglite' | 'postgresql'

export interface DbConfig {
  /** PostgreSQL + PostGIS server; when unset the embedded engine is used. */
  databaseUrl?: string | undefined
  /** Directory of the embedded database; `memory://` keeps it in memory. */
  dataDir: string
  /**
   * The server's statement_timeout and lock_timeout per connection (ms; unset: none). A stalled or locked
   * server then fails a request instead of hanging it; long work raises them locally (allowLongWork).
   */
  statementTimeoutMs?: number | undefined
  lockTimeoutMs?: number | undefined
  /** How long to wait for a new server connection before giving up (ms). */
  connectTimeoutMs?: number | undefined
  /** Where a lost server connection is reported; it never reaches the process as an unhandled error. */
  onConnectionError?: (err: Error) => void
}

export interface Db {
  kysely: Kysely<Database>
  engine: Engine
  /** What this database's readers may keep in memory, and until when (db/changes.ts). */
  changes: Changes
  /**
   * On a server: listen for other processes' commits, so that what is kept in memory is dropped when they
   * change the data. Until the listener is up, nothing is kept. The embedded engine is this process's alone.
   */
  listenForChanges(): void
  close(): Promise<void>
}

// int8 (count(*), sums of integers) arrives as text from pg; our counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// Dates stay ISO strings on both engines instead of becoming local-time Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)

export async function createDb(config: DbConfig): Promise<Db> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      connectionTimeoutMillis: config.connectTimeoutMs ?? 10_000,
      ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}),
      ...(config.lockTimeoutMs ? { lock_timeout: config.lockTimeoutMs } : {}),
    })
    const lost = config.onConnectionError ?? ((err: Error) => console.warn(`[db] PostgreSQL connection lost: ${err.message}`))
    // A client dropped by the server (restart, failover, admin termination) emits 'error': idle clients to
    // the pool, checked-out ones to nobody, which would end the process. The query it ran fails on its own;
    // the pool discards the client, and the next request gets a fresh connection.
    pool.on('error', lost)
    pool.on('connect', (client) => client.on('error', lost))
    // Other processes may write to a server: nothing is kept until the listener hears every commit.
    const changes = changeCounter(false)
    const kysely = new Kysely<Database>({ dialect: countingWrites(new PostgresDialect({ pool: discardingFatal(pool) }), changes) })
    registerChanges(kysely, changes)
    const listener = changeListener(config, changes, lost)
    return {
      kysely,
      engine: 'postgresql',
      changes,
      listenForChanges: listener.start,
      close: async () => {
        await listener.stop()
        await kysely.destroy()
      },
    }
  }
  if (!config.dataDir.startsWith('memory://')) await mkdir(config.dataDir, { recursive: true })
  const pglite = await PGlite.create(config.dataDir, {
    extensions: { postgis },
    parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) },
  })
  const changes = changeCounter(true)
  const kysely = new Kysely<Database>({ dialect: countingWrites(new PGliteDialect(pglite), changes) })
  registerChanges(kysely, changes)
  return { kysely, engine: 'pglite', changes, listenForChanges: () => {}, close: () => kysely.destroy() }
}

/** The channel every table's statement trigger notifies on commit (migration 20261207T2200_change_notify). */
const CHANGES_CHANNEL = 'lagesbild_changes'

/**
 * One connection that LISTENs for commits of any process: each notification raises the generation. A lost
 * connection makes what is kept untrusted until a new one listens again (retried every second).
 */
function changeListener(config: DbConfig, changes: Changes, lost: (err: Error) => void) {
  let stopped = false
  let started = false
  let client: pg.Client | undefined
  let retry: NodeJS.Timeout | undefined
  const connect = async () => {
    if (stopped) return
    const c = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: config.connectTimeoutMs ?? 10_000 })
    client = c
    let gone = false
    const drop = (err?: Error) => {
      if (gone) return
      gone = true
      changes.setTrusted(false)
      if (err && !stopped) lost(err)
      c.end().catch(() => {})
      if (client === c) client = undefined
      if (!stopped) retry = setTimeout(() => void connect(), 1000)
    }
    c.on('error', drop)
    c.on('end', () => drop())
    // The payload is the table that changed (migration 20261208T0200_change_notify_table).
    c.on('notification', (n) => changes.bump(PROCESS_TABLES.has(n.payload ?? '') ? 'process' : 'figures'))
    try {
      await c.connect()
      await c.query(`LISTEN ${CHANGES_CHANNEL}`)
      if (!gone && !stopped) changes.setTrusted(true)
    } catch (err) {
      drop(err as Error)
    }
  }
  return {
    start: () => {
      if (started || stopped) return
      started = true
      void connect()
    },
    stop: async () => {
      stopped = true
      clearTimeout(retry)
      changes.setTrusted(false)
      const c = client
      client = undefined
      if (c) await c.end().catch(() => {})
    },
  }
}

/** A server error after which the connection is gone: its backend was terminated or the link is broken. */
function isFatal(err: unknown): boolean {
  const { severity, code } = (err ?? {}) as { severity?: string; code?: string }
  return severity === 'FATAL' || severity === 'PANIC' || /^(57P|08)/.test(code ?? '')
}

/**
 * The pool, handing out clients that are destroyed on release when their query met a fatal error. The
 * server's error reaches the query before its socket closes; released in between, the dead client would go
 * back to the pool and fail the next request too.
 */
function discardingFatal(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>()
  return {
    async connect() {
      const client = await pool.connect()
      let w = wrapped.get(client)
      if (!w) {
        let fatal = false
        const query = (...args: unknown[]): unknown => {
          const r = (client.query as (...a: unknown[]) => unknown)(...args)
          // Registered before the caller's await, so the flag is set before the caller releases.
          if (r instanceof Promise) r.catch((err: unknown) => void (fatal ||= isFatal(err)))
          return r
        }
        w = { query: query as PostgresPoolClient['query'], release: (destroy) => client.release(Boolean(destroy) || fatal) }
        wrapped.set(client, w)
      }
      return w
    },
    end: () => pool.end(),
  }
}

export async function migrateToLatest(kysely: Kysely<Database>): Promise<string[]> {
  // Every start after the first finds exactly the known migrations applied: one query then, instead of the
  // migrator's catalogue introspection (a third of a second on the embedded engine). Anything else — a table
  // not there yet, one to apply, one this code does not know — goes to the migrator as before.
  const known = Object.keys(await migrationProvider.getMigrations())
  const { rows: table } = await sql<{ t: string | null }>`SELECT to_regclass('kysely_migration')::text AS t`.execute(kysely)
  if (table[0]?.t) {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(kysely)
    const applied = new Set(rows.map((r) => r.name))
    if (applied.size === known.length && known.every((n) => applied.has(n))) return []
  }
  const migrator = new Migrator({ db: kysely, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

export async function postgisVersion(kysely: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(kysely)
  return rows[0]?.v ?? 'unknown'
}

/**
 * Lifts the connection's timeouts for this transaction: imports, seeding and geometry building are long by
 * nature and run inside a transaction, so a failure still leaves nothing half done.
 */
export async function allowLongWork(trx: Transaction<Database>): Promise<void> {
  await sql`SET LOCAL statement_timeout = '30min'`.execute(trx)
  await sql`SET LOCAL lock_timeout = '2min'`.execute(trx)
}
