import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { createDb, type Db, type Engine } from '../../db/connect'

export interface TestEngine {
  name: Engine
  /** Opens the prepared (migrated, seeded) database; `close` also removes any copy. */
  open(): Promise<Db>
}

/** The engines the integration suite runs on: PGlite always, PostgreSQL + PostGIS when configured. */
export function testEngines(): TestEngine[] {
  const engines: TestEngine[] = [
    {
      name: 'pglite',
      async open() {
        const dir = await mkdtemp(join(tmpdir(), 'lagesbild-test-'))
        await cp(inject('pgliteTemplate'), dir, { recursive: true })
        const db = await createDb({ dataDir: dir })
        return { ...db, close: async () => { await db.close(); await rm(dir, { recursive: true, force: true }) } }
      },
    },
  ]
  const url = inject('postgresUrl')
  if (url) engines.push({ name: 'postgresql', open: () => createDb({ databaseUrl: url, dataDir: 'unused' }) })
  return engines
}
