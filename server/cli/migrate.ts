import { createDb, migrateToLatest } from '../../db/connect'
import { assertNotHeld, DataDirBusyError } from '../../db/data-dir-lock'
import { loadConfig } from '../config'

const config = loadConfig()
if (!config.databaseUrl) {
  await assertNotHeld(config.dataDir).catch((err: unknown) => {
    if (!(err instanceof DataDirBusyError)) throw err
    console.error(err.message)
    process.exit(3)
  })
}
const db = await createDb(config)
try {
  const applied = await migrateToLatest(db.kysely)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date')
} finally {
  await db.close()
}
