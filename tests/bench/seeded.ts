import { existsSync } from 'node:fs'
import { cp, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createDb, migrateToLatest, type Db } from '../../db/connect'
import { openDatabase } from '../../server/boot'

/** An embedded database with the demo: the test suite's prepared template when there is one (saves the first start). */
export async function openSeeded(dir: string): Promise<Db> {
  const tmp = join(process.cwd(), '.tmp')
  const template = existsSync(tmp) ? (await readdir(tmp)).find((d) => d.startsWith('pglite-template-') && existsSync(join(tmp, d, '.ready'))) : undefined
  if (template) {
    await cp(join(tmp, template), dir, { recursive: true })
    const db = await createDb({ dataDir: dir })
    await migrateToLatest(db.kysely)
    return db
  }
  return openDatabase({ dataDir: dir, databaseUrl: undefined })
}
