import { createDb, migrateToLatest } from '../../db/connect'
import { loadConfig } from '../config'

const config = loadConfig()
const db = await createDb(config)
try {
  const applied = await migrateToLatest(db.kysely)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date')
} finally {
  await db.close()
}
