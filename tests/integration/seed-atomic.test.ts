/** A first start that fails half-way leaves the database empty, so the next start loads it afresh. */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, type Db } from '../../db/connect'
import { isSeeded, seedIfEmpty, SOURCES_DIR } from '../../geodata/seed'
import { testEngines } from '../helpers/engines'

describe.each(testEngines())('first-start loading on $name', (engine) => {
  let db: Db
  let brokenDir: string
  beforeAll(async () => {
    db = await engine.openEmpty()
    await migrateToLatest(db.kysely)
    brokenDir = await mkdtemp(join(tmpdir(), 'lagesbild-broken-sources-'))
    await cp(SOURCES_DIR, brokenDir, { recursive: true })
    // DeSO is loaded after the city layers, so the failure comes mid-way through the load.
    await writeFile(join(brokenDir, 'goteborg_deso_2025_scb_sweref99tm.geojson'), '{"type":"FeatureCollection","features":[')
  })
  afterAll(async () => {
    await db?.close()
    if (brokenDir) await rm(brokenDir, { recursive: true, force: true })
  })

  it('rolls back everything when a source file is broken', async () => {
    await expect(seedIfEmpty(db.kysely, brokenDir)).rejects.toThrow(SyntaxError)
    expect(await isSeeded(db.kysely)).toBe(false)
    for (const table of ['areas', 'import_log', 'observations', 'area_population'] as const) {
      const row = await db.kysely.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(Number(row.n), table).toBe(0)
    }
  })
})
