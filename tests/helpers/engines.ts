import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { createDb, type Db, type Engine } from '../../db/connect'
import { createServerDatabase } from './pg'

export interface TestEngine {
  name: Engine
  /** Opens a private copy of the prepared (migrated, seeded) database; `close` removes the copy. */
  open(): Promise<Db>
  /** Opens a new empty database (no migrations); `close` removes it. */
  openEmpty(): Promise<Db>
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
      openEmpty: () => createDb({ dataDir: 'memory://' }),
    },
  ]
  const adminUrl = inject('postgresUrl')
  const template = inject('postgresTemplate')
  if (adminUrl && template) {
    const openServer = async (tpl?: string) => {
      const server = await createServerDatabase(adminUrl, tpl)
      const db = await createDb({ databaseUrl: server.url, dataDir: 'unused' })
      return { ...db, close: async () => { await db.close(); await server.drop() } }
    }
    engines.push({ name: 'postgresql', open: () => openServer(template), openEmpty: () => openServer() })
  }
  return engines
}
