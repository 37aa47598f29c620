/**
 * Global setup of the integration and e2e projects (not of unit): prepares the databases once per run —
 * a migrated, seeded PGlite data directory that each test file copies, and, when TEST_DATABASE_URL is set,
 * a fresh PostgreSQL + PostGIS database, dropped at the end.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../../server/boot'
import { withDatabase } from './pg'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    /** Admin URL of the PostgreSQL server, or null when the server suite is skipped. */
    postgresUrl: string | null
    /** A migrated, seeded database nobody connects to: each test file copies it with CREATE DATABASE … TEMPLATE. */
    postgresTemplate: string | null
    postgresSkipReason: string | null
  }
}

const ROOT = resolve(import.meta.dirname, '../..')
const TMP = join(ROOT, '.tmp')

/** The template is rebuilt whenever migrations, seed code or source data change. */
async function fingerprint(): Promise<string> {
  const hash = createHash('sha256')
  // The whole server: the demo start makes its measures and published snapshot through the features.
  for (const dir of ['db', 'geodata', 'server']) {
    for (const f of (await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort()) {
      hash.update(f.slice(ROOT.length)).update(await readFile(f))
    }
  }
  return hash.digest('hex').slice(0, 16)
}

async function preparePglite(): Promise<string> {
  const dir = join(TMP, `pglite-template-${await fingerprint()}`)
  if (existsSync(join(dir, '.ready'))) {
    await utimes(dir, new Date(), new Date()) // in use: not swept as old by another run
    return dir
  }
  await mkdir(TMP, { recursive: true })
  // Built under a private name and renamed into place, so concurrent test runs never see half a template.
  const building = join(TMP, `building-${process.pid}-${Date.now()}`)
  const started = Date.now()
  const db = await openDatabase({ dataDir: building, databaseUrl: undefined })
  await db.close()
  await writeFile(join(building, '.ready'), new Date().toISOString())
  try {
    await rename(building, dir)
    console.log(`[tests] PGlite template built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } catch {
    await rm(building, { recursive: true, force: true }) // another run finished first
  }
  // Old templates: other fingerprints not used for a day (a concurrent run on other code may still need a newer one).
  for (const old of await readdir(TMP)) {
    const path = join(TMP, old)
    if (!old.startsWith('pglite-template-') || path === dir) continue
    const age = Date.now() - (await stat(path)).mtimeMs
    if (age > 24 * 3600_000) await rm(path, { recursive: true, force: true })
  }
  return dir
}

interface Databases {
  pgliteTemplate: string
  postgresUrl: string | null
  postgresTemplate: string | null
  postgresSkipReason: string | null
  teardown?: () => Promise<void>
}

async function prepare(): Promise<Databases> {
  const pgliteTemplate = await preparePglite()

  const adminUrl = process.env.TEST_DATABASE_URL
  const required = process.env.REQUIRE_POSTGIS_SERVER === '1'
  const skipped = (reason: string): Databases => {
    if (required) throw new Error(`REQUIRE_POSTGIS_SERVER=1 but ${reason}`)
    console.log(`[tests] PostgreSQL + PostGIS integration tests skipped: ${reason}`)
    return { pgliteTemplate, postgresUrl: null, postgresTemplate: null, postgresSkipReason: reason }
  }
  if (!adminUrl) return skipped('TEST_DATABASE_URL is not set')

  const name = `lagesbild_tpl_${process.pid}_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
  } catch (err) {
    await admin.end().catch(() => {})
    return skipped(`cannot create a database on TEST_DATABASE_URL: ${(err as Error).message}`)
  }
  const url = withDatabase(adminUrl, name)
  try {
    const db = await openDatabase({ databaseUrl: url, dataDir: 'unused' })
    await db.close()
  } catch (err) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
    throw new Error(`PostGIS database could not be prepared (is postgresql-15-postgis-3 installed?): ${(err as Error).message}`)
  }
  return {
    pgliteTemplate,
    postgresUrl: adminUrl,
    postgresTemplate: name,
    postgresSkipReason: null,
    async teardown() {
      // Test files drop their own copies; sweep any a crashed worker left behind.
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`lagesbild_t%_${process.pid}_%`],
      )
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`)
      await admin.end()
    },
  }
}

// The integration and e2e projects each run this setup; global setups share this process, so the
// databases are prepared once per run and dropped after the last project is done.
const shared = globalThis as typeof globalThis & { lagesbildDatabases?: { ready: Promise<Databases>; users: number } }

export default async function setup(project: TestProject) {
  const entry = (shared.lagesbildDatabases ??= { ready: prepare(), users: 0 })
  entry.users++
  const dbs = await entry.ready
  project.provide('pgliteTemplate', dbs.pgliteTemplate)
  project.provide('postgresUrl', dbs.postgresUrl)
  project.provide('postgresTemplate', dbs.postgresTemplate)
  project.provide('postgresSkipReason', dbs.postgresSkipReason)
  return async () => {
    if (--entry.users > 0) return
    delete shared.lagesbildDatabases
    await dbs.teardown?.()
  }
}
