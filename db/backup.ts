/**
 * Backups of the embedded engine's data directory: a gzipped tar as PGlite's own dumpDataDir writes it and
 * its loadDataDir reads it. (A PostgreSQL server is backed up with pg_dump; see the README.)
 */
import { existsSync } from 'node:fs'
import { cp, mkdtemp, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { sql, type Kysely } from 'kysely'
import { LOCK_FILE } from './data-dir-lock'
import type { Database } from './schema'

/** Files that belong to the running process, not to the data. */
const TRANSIENT = new Set([LOCK_FILE, 'postmaster.pid'])

/** Dumps a data directory nobody else has open (the caller checked its lock). */
export async function dumpDataDir(dataDir: string): Promise<Buffer> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`${dataDir} är ingen databaskatalog (PG_VERSION saknas)`)
  const pglite = await PGlite.create(dataDir, { extensions: { postgis } })
  try {
    // Everything in the tar is in the data files, not only in the write-ahead log.
    await pglite.exec('CHECKPOINT')
    return Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer())
  } finally {
    await pglite.close()
  }
}

/**
 * A consistent backup of the directory a running server holds: PGlite has one connection and the Kysely
 * driver hands it out exclusively, so while we hold it nothing writes; a checkpoint puts every change in the
 * data files, which are then copied (a local copy, quick), and the copy is dumped with the connection free.
 */
export async function dumpLiveDataDir(kysely: Kysely<Database>, dataDir: string): Promise<{ archive: Buffer; heldMs: number }> {
  const work = await mkdtemp(join(dirname(resolve(dataDir)), `.${basename(resolve(dataDir))}-backup-`))
  const copy = join(work, 'pgdata')
  try {
    let heldMs = 0
    await kysely.connection().execute(async (conn) => {
      const t0 = Date.now()
      await sql`CHECKPOINT`.execute(conn)
      await cp(dataDir, copy, { recursive: true, filter: (src) => !TRANSIENT.has(basename(src)) })
      heldMs = Date.now() - t0
    })
    return { archive: await dumpDataDir(copy), heldMs }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** `20261206T013000`: sortable, and valid in a file name everywhere. */
export const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '')

/** A tar, gzipped or not: PGlite's loader fails outside any promise on anything else, so it is checked first. */
function assertTar(archive: Buffer): void {
  let tar = archive
  if (archive[0] === 0x1f && archive[1] === 0x8b) {
    try {
      tar = gunzipSync(archive)
    } catch {
      throw new Error('filen är skadad (gzip går inte att packa upp)')
    }
  }
  if (tar.subarray(257, 262).toString('latin1') !== 'ustar') throw new Error('filen är ingen säkerhetskopia (inget tar-arkiv)')
}

/**
 * Restores a backup into `dataDir`, which nobody may hold (the caller checked). The backup is unpacked and
 * opened in a new directory beside it first; only a database that opens and answers replaces the old one,
 * which is kept aside under a timestamped name. A failure at any step leaves `dataDir` as it was.
 */
export async function restoreDataDir(archive: Buffer, dataDir: string): Promise<{ previous: string | null; migrations: number }> {
  const target = resolve(dataDir)
  const ts = stamp()
  const incoming = `${target}.aterstalls-${ts}`
  let migrations: number
  try {
    assertTar(archive)
    const pglite = await PGlite.create(incoming, { extensions: { postgis }, loadDataDir: new Blob([new Uint8Array(archive)]) })
    try {
      const r = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM kysely_migration')
      await pglite.query('SELECT postgis_lib_version()')
      migrations = r.rows[0]?.n ?? 0
    } finally {
      await pglite.close()
    }
    for (const f of TRANSIENT) await rm(join(incoming, f), { force: true })
  } catch (err) {
    await rm(incoming, { recursive: true, force: true })
    throw new Error(`Säkerhetskopian gick inte att läsa in; ${dataDir} är orörd. (${err instanceof Error ? err.message : String(err)})`)
  }
  const previous = existsSync(target) ? `${target}.fore-aterstallning-${ts}` : null
  if (previous) await rename(target, previous)
  try {
    await rename(incoming, target)
  } catch (err) {
    if (previous) await rename(previous, target)
    await rm(incoming, { recursive: true, force: true })
    throw err
  }
  return { previous, migrations }
}
