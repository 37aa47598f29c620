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
  /** A private copy for another process: the environment that points at it, and a way to open it afterwards. */
  copyForProcess(): Promise<{ env: Record<string, string>; open(): Promise<Db>; remove(): Promise<void> }>
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
      async copyForProcess() {
        const dir = await mkdtemp(join(tmpdir(), 'lagesbild-proc-'))
        await cp(inject('pgliteTemplate'), dir, { recursive: true })
        return { env: { DATA_DIR: dir, DATABASE_URL: '' }, open: () => createDb({ dataDir: dir }), remove: () => rm(dir, { recursive: true, force: true }) }
      },
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
    engines.push({
      name: 'postgresql',
      open: () => openServer(template),
      openEmpty: () => openServer(),
      async copyForProcess() {
        const server = await createServerDatabase(adminUrl, template)
        return { env: { DATABASE_URL: server.url }, open: () => createDb({ databaseUrl: server.url, dataDir: 'unused' }), remove: () => server.drop() }
      },
    })
  }
  return engines
}
