import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely'

/**
 * A database's change counter, kept in memory: it rises after every committed write this process makes
 * through Kysely and, on a PostgreSQL server, after every write another process commits (LISTEN/NOTIFY,
 * see `listenForChanges`). What is derived from the database and served from memory (prepared answers,
 * sessions) is kept per generation, so the database stays off the hot path and nothing stale is served.
 *
 * A reader takes the generation *before* it reads and keeps what it built under that one: a write that
 * commits meanwhile raises the generation, so the result is never served.
 */
export interface Changes {
  /**
   * 'all' moves with every committed write; 'figures' only with writes to a table outside PROCESS_TABLES, so
   * what is made of the figures alone (values, series, boundaries) outlives the process's saves.
   */
  generation(of?: Generation): number
  /** False while the server's notifications cannot be trusted (listener down): nothing may be kept. */
  trusted(): boolean
  /** Called after a commit (or a write outside a transaction), with what it wrote ('figures' moves both). */
  bump(kind?: WriteKind): void
  setTrusted(on: boolean): void
}

export type Generation = 'all' | 'figures'
export type WriteKind = 'figures' | 'process'

export function changeCounter(trustedAtStart: boolean): Changes {
  let all = 0
  let figures = 0
  let trusted = trustedAtStart
  return {
    generation: (of = 'all') => (of === 'all' ? all : figures),
    trusted: () => trusted,
    bump: (kind = 'figures') => {
      all++
      if (kind === 'figures') figures++
    },
    setTrusted: (on) => {
      trusted = on
      all++
      figures++
    },
  }
}

/**
 * The agreement's process: what is decided, planned, met about and followed up, and who is signed in. No
 * answer kept per the 'figures' generation reads them (tests/integration/prepared-reads.test.ts traces every
 * such route), and no change to them cascades into a table outside this list (the same test reads the
 * foreign keys). Users are not here: deleting one clears the author of a field report, which feeds figures.
 */
export const PROCESS_TABLES: ReadonlySet<string> = new Set([
  'measures', 'measure_areas', 'measure_causes', 'measure_followups', 'measure_history',
  'plans', 'plan_versions', 'plan_rows', 'plan_row_followups',
  'decisions', 'decision_affects', 'meetings', 'meeting_actions',
  'causes', 'cause_evidence', 'problem_areas', 'problem_area_indicators', 'problem_area_targets', 'problem_area_history',
  'cycles', 'cycle_steps', 'step_status',
  'samverkansformer', 'samverkansform_history', 'samverkansform_adaptations',
  'communication_plan', 'communication_plan_rows',
  'groups', 'group_members', 'sessions', 'audit_log', 'alerts',
  'snapshot_decks', 'snapshot_statements', 'snapshot_statement_approvals',
])

const registry = new WeakMap<object, Changes>()

export function registerChanges(kysely: Kysely<never> | Kysely<any>, changes: Changes): void {
  registry.set(kysely, changes)
}

/** The database's change counter; undefined for a Kysely instance not made by `createDb` (nothing is then kept). */
export function changesOf(kysely: object): Changes | undefined {
  return registry.get(kysely)
}

/**
 * Tables whose writes change nothing that is kept: failed sign-ins, and API tokens (a token's last use is
 * written on reads; a token is always checked in the database). The NOTIFY triggers leave them out too
 * (migration 20261207T2200_change_notify).
 */
export const UNWATCHED_TABLES = ['sign_in_attempts', 'api_tokens'] as const
const UNWATCHED = new RegExp(`^\\s*(?:insert\\s+into|update|delete\\s+from)\\s+"?(?:${UNWATCHED_TABLES.join('|')})"?[\\s(]`, 'i')

/** Reads for sure: a SELECT (or WITH … SELECT) that names no statement that writes. */
const READ = /^\s*(select|with|show|explain|values)\b/i
const WRITES_INSIDE = /\b(insert\s+into|update\s+\S+\s+set|delete\s+from|merge\s+into|nextval|setval|pg_notify|lo_import)\b/i

export function isWrite(sql: string): boolean {
  if (UNWATCHED.test(sql)) return false
  return !READ.test(sql) || WRITES_INSIDE.test(sql)
}

/** Every table a statement names after INSERT INTO, UPDATE, DELETE FROM, MERGE INTO or TRUNCATE. */
const TARGET = /\b(?:insert\s+into|update|delete\s+from|merge\s+into|truncate(?:\s+table)?)\s+(?:only\s+)?(?:"?public"?\.)?("?)([a-z_][a-z0-9_]*)\1/gi

/**
 * What a statement's write touches: nothing (a read), only PROCESS_TABLES ('process'), or anything else —
 * a statement whose targets are not all recognised counts as 'figures', so a doubt never keeps a figure.
 */
export function writeKind(sql: string): WriteKind | null {
  if (!isWrite(sql)) return null
  const targets = [...sql.matchAll(TARGET)].map((m) => m[2]!.toLowerCase())
  return targets.length > 0 && targets.every((t) => PROCESS_TABLES.has(t)) ? 'process' : 'figures'
}

/**
 * The dialect, with every write counted: outside a transaction when its statement returns, inside one when
 * the transaction commits (a rollback changes nothing).
 */
export function countingWrites(dialect: Dialect, changes: Changes): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => countingDriver(dialect.createDriver(), changes),
  }
}

class CountingConnection implements DatabaseConnection {
  inTransaction = false
  wrote: WriteKind | null = null
  constructor(
    readonly inner: DatabaseConnection,
    private readonly changes: Changes,
  ) {}
  /** A write counts at once outside a transaction, at its commit inside one. */
  noteWrite(sql: string) {
    const kind = writeKind(sql)
    if (!kind) return
    if (!this.inTransaction) this.changes.bump(kind)
    else if (this.wrote !== 'figures') this.wrote = kind
  }
  /** Ends the transaction; what it wrote counts if it committed. */
  endTransaction(committed: boolean) {
    if (committed && this.wrote) this.changes.bump(this.wrote)
    this.inTransaction = false
    this.wrote = null
  }
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(compiled)
    } finally {
      // Counted even when it failed: a failed statement outside a transaction may still have done part of its work.
      this.noteWrite(compiled.sql)
    }
  }
  streamQuery<R>(compiled: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    this.noteWrite(compiled.sql)
    return this.inner.streamQuery<R>(compiled, chunkSize)
  }
}

function countingDriver(driver: Driver, changes: Changes): Driver {
  const wrapped = new WeakMap<DatabaseConnection, CountingConnection>()
  const inner = (c: DatabaseConnection) => (c as CountingConnection).inner
  const counting = (c: DatabaseConnection) => c as CountingConnection
  const out: Driver = {
    init: () => driver.init(),
    destroy: () => driver.destroy(),
    async acquireConnection() {
      const c = await driver.acquireConnection()
      let w = wrapped.get(c)
      if (!w) wrapped.set(c, (w = new CountingConnection(c, changes)))
      return w
    },
    async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
      await driver.beginTransaction(inner(conn), settings)
      counting(conn).inTransaction = true
      counting(conn).wrote = null
    },
    // A failed COMMIT still counts: whether it took effect is not known here.
    commitTransaction: (conn: DatabaseConnection) => driver.commitTransaction(inner(conn)).finally(() => counting(conn).endTransaction(true)),
    rollbackTransaction: (conn: DatabaseConnection) => driver.rollbackTransaction(inner(conn)).finally(() => counting(conn).endTransaction(false)),
    releaseConnection: (conn: DatabaseConnection) => driver.releaseConnection(inner(conn)),
  }
  // Savepoints pass through: only the outermost commit makes anything visible.
  if (driver.savepoint) out.savepoint = (conn, name, compile) => driver.savepoint!(inner(conn), name, compile)
  if (driver.rollbackToSavepoint) out.rollbackToSavepoint = (conn, name, compile) => driver.rollbackToSavepoint!(inner(conn), name, compile)
  if (driver.releaseSavepoint) out.releaseSavepoint = (conn, name, compile) => driver.releaseSavepoint!(inner(conn), name, compile)
  return out
}

/**
 * Values kept per database and generation: emptied when the generation moves, nothing kept or served while
 * the generation cannot be trusted. Bounded by count and by weight (bytes, say): past either, the oldest go.
 */
export function keptPerGeneration<V>(limits: { maxEntries: number; maxWeight?: number; weight?: (v: V) => number; of?: Generation }) {
  const perDb = new WeakMap<object, { generation: number; map: Map<string, V>; weight: number }>()
  const weigh = limits.weight ?? (() => 0)
  const maxWeight = limits.maxWeight ?? Number.POSITIVE_INFINITY
  const of = limits.of ?? 'all'
  return {
    /** The generation to keep what is about to be read under; undefined when nothing may be kept. */
    begin(db: object): number | undefined {
      const c = changesOf(db)
      return c?.trusted() ? c.generation(of) : undefined
    },
    get(db: object, key: string): V | undefined {
      const c = changesOf(db)
      if (!c?.trusted()) return undefined
      const e = perDb.get(db)
      return e && e.generation === c.generation(of) ? e.map.get(key) : undefined
    },
    /** Keeps `value`, read at `generation`, unless a write has committed since. */
    set(db: object, generation: number, key: string, value: V): void {
      const c = changesOf(db)
      if (!c?.trusted() || c.generation(of) !== generation) return
      let e = perDb.get(db)
      if (!e || e.generation !== generation) perDb.set(db, (e = { generation, map: new Map(), weight: 0 }))
      const w = weigh(value)
      if (w > maxWeight) return
      const old = e.map.get(key)
      if (old !== undefined) {
        e.weight -= weigh(old)
        e.map.delete(key)
      }
      for (const [k, v] of e.map) {
        if (e.map.size < limits.maxEntries && e.weight + w <= maxWeight) break
        e.map.delete(k)
        e.weight -= weigh(v)
      }
      e.map.set(key, value)
      e.weight += w
    },
    /** Drops what is kept for this key now (a sign-out). */
    delete(db: object, key: string): void {
      const e = perDb.get(db)
      const old = e?.map.get(key)
      if (e && old !== undefined) {
        e.map.delete(key)
        e.weight -= weigh(old)
      }
    },
  }
}

/**
 * A read kept per database, generation and key: it runs once until a write commits. Reads through a
 * transaction (which may see its own uncommitted writes) and reads while the generation is untrusted are
 * never kept; a failed read is forgotten.
 */
export function keptReads<V>(maxEntries = 1_000) {
  const kept = keptPerGeneration<Promise<V>>({ maxEntries })
  return (db: object, key: string, read: () => Promise<V>): Promise<V> => {
    const hit = kept.get(db, key)
    if (hit) return hit
    const generation = kept.begin(db)
    const value = read()
    if (generation !== undefined) {
      kept.set(db, generation, key, value)
      value.catch(() => kept.delete(db, key))
    }
    return value
  }
}
