import { AsyncLocalStorage } from 'node:async_hooks'
import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'

/** Where a piece of work stands in the embedded engine's queue: see `inQueryTurn`. */
interface Turn {
  /** Work that writes: every statement it runs goes before those of work that only reads. */
  write: boolean
  /** When the work began: older work goes first, so a request once started is not sent to the back for each statement. */
  order: number
}

const turns = new AsyncLocalStorage<Turn>()
let nextOrder = 0

/**
 * Runs `fn` (an HTTP request's handling, say) as one piece of work in the embedded engine's queue: its
 * statements go before those of work that began later, and, when `write` is set, before every statement of
 * work that only reads. No effect on a PostgreSQL server, whose pool does not queue like this.
 */
export function inQueryTurn<T>(write: boolean, fn: () => T): T {
  return turns.run({ write, order: nextOrder++ }, fn)
}

/** Statements that change data, or begin a transaction (which holds the connection until it ends). */
const WRITES = /^\s*(begin|insert|update|delete|create|alter|drop|truncate|copy|set|lock|do|call|vacuum|analyze|refresh|grant|revoke|comment)\b/i

interface Waiter {
  write: boolean
  order: number
  grant(): void
}

/**
 * PGlite has a single connection: the driver hands it out to one Kysely connection at a time, so a
 * transaction holds it until commit or rollback. (kysely-pglite-dialect only declares PGlite ≤ 0.4.)
 *
 * Not first come, first served: under hundreds of concurrent reads a save would wait behind every one of
 * them, statement after statement. A connection takes the lock only at its first statement, and the next
 * holder is the waiter that writes (a transaction, or any statement of work marked `write`), then the one
 * whose work began earliest; after a write, a waiting read goes first. So a write waits for at most one
 * read per statement, and a read for at most one write at a time.
 */
class PGliteDriver implements Driver {
  #busy = false
  #lastWasWrite = false
  #waiting: Waiter[] = []

  constructor(private readonly pglite: PGlite) {}

  async init(): Promise<void> {
    await this.pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PGliteConnection(this.pglite, this)
  }

  /** Resolves when the connection is this caller's. */
  lock(firstSql: string): Promise<void> {
    const turn = turns.getStore()
    const write = WRITES.test(firstSql) || (turn?.write ?? false)
    const order = turn?.order ?? nextOrder++
    if (!this.#busy && this.#waiting.length === 0) {
      this.#busy = true
      this.#lastWasWrite = write
      return Promise.resolve()
    }
    return new Promise<void>((grant) => this.#waiting.push({ write, order, grant }))
  }

  unlock(): void {
    if (this.#waiting.length === 0) {
      this.#busy = false
      return
    }
    // PGlite answers through promises alone: handing over at once would drain the whole queue in microtasks
    // and never let the event loop read a new request (a save) off its socket. The next holder is picked
    // after pending I/O has had its turn, so what arrived meanwhile competes too.
    setImmediate(this.#handOver)
  }

  #handOver = (): void => {
    const w = this.#waiting
    // A linear scan: the queue holds at most one waiter per request in flight.
    // Writes first, but never two in a row while a read waits: a stream of saves cannot starve the readers.
    const preferWrite = !this.#lastWasWrite
    let best = 0
    for (let i = 1; i < w.length; i++) {
      const a = w[i]!
      const b = w[best]!
      if (a.write !== b.write ? a.write === preferWrite : a.order < b.order) best = i
    }
    const [next] = w.splice(best, 1)
    this.#lastWasWrite = next!.write
    next!.grant()
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` ISOLATION LEVEL ${settings.isolationLevel.toUpperCase()}` : ''
    await conn.executeQuery(CompiledQuery.raw(`BEGIN${isolation}`))
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('COMMIT'))
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('ROLLBACK'))
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    ;(conn as PGliteConnection).release()
  }

  async destroy(): Promise<void> {
    // Wait for the holder and everyone queued, then close.
    await this.lock('destroy')
    if (!this.pglite.closed) await this.pglite.close()
  }
}

class PGliteConnection implements DatabaseConnection {
  #held = false
  #locking: Promise<void> | null = null

  constructor(
    private readonly pglite: PGlite,
    private readonly driver: PGliteDriver,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.#held) {
      // Statements of one transaction run concurrently (Promise.all on a trx) must share one wait.
      this.#locking ??= this.driver.lock(compiled.sql)
      await this.#locking
      this.#held = true
    }
    const result = await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[])
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    }
  }

  release(): void {
    if (!this.#held) return
    this.#held = false
    this.#locking = null
    this.driver.unlock()
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded PGlite engine')
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db)
  }
}
