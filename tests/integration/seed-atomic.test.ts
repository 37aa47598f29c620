/** A first start that fails half-way leaves an empty database that loads cleanly next time. */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject, afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { createDb, migrateToLatest, type Db } from '../../db/connect'
import { isSeeded, seedIfEmpty, SOURCES_DIR } from '../../geodata/seed'

interface FreshDb {
  name: string
  open(): Promise<{ db: Db; drop(): Promise<void> }>
}

const fresh: FreshDb[] = [
  {
    name: 'pglite',
    async open() {
      const db = await createDb({ dataDir: 'memory://' })
      return { db, drop: () => db.close() }
    },
  },
]
const serverUrl = inject('postgresUrl')
if (serverUrl) {
  fresh.push({
    name: 'postgresql',
    async open() {
      const name = `lagesbild_seedtest_${process.pid}_${Date.now().toString(36)}`
      const admin = new pg.Client({ connectionString: serverUrl })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      const u = new URL(serverUrl)
      u.pathname = `/${name}`
      const db = await createDb({ databaseUrl: u.toString(), dataDir: 'unused' })
      return {
        db,
        drop: async () => {
          await db.close()
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
          await admin.end()
        },
      }
    },
  })
}

describe.each(fresh)('first-start loading on $name', (engine) => {
  let handle: Awaited<ReturnType<FreshDb['open']>>
  let brokenDir: string
  beforeAll(async () => {
    handle = await engine.open()
    await migrateToLatest(handle.db.kysely)
    brokenDir = await mkdtemp(join(tmpdir(), 'lagesbild-broken-sources-'))
    await cp(SOURCES_DIR, brokenDir, { recursive: true })
    // DeSO is loaded after the city layers, so the failure comes mid-way through the load.
    await writeFile(join(brokenDir, 'goteborg_deso_2025_scb_sweref99tm.geojson'), '{"type":"FeatureCollection","features":[')
  })
  afterAll(async () => {
    await handle?.drop()
    if (brokenDir) await rm(brokenDir, { recursive: true, force: true })
  })

  it('rolls back everything when a source file is broken', async () => {
    await expect(seedIfEmpty(handle.db.kysely, brokenDir)).rejects.toThrow(SyntaxError)
    expect(await isSeeded(handle.db.kysely)).toBe(false)
    for (const table of ['areas', 'import_log', 'observations', 'area_population'] as const) {
      const row = await handle.db.kysely.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(Number(row.n), table).toBe(0)
    }
  })
})
