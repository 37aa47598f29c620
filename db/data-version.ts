import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

/** Every change to observations, areas or nesting comes with an import; its latest id versions the data. */
export async function dataVersion(db: Kysely<Database> | Transaction<Database>): Promise<number> {
  const row = await db.selectFrom('import_log').select((e) => e.fn.max('id').as('v')).executeTakeFirst()
  return Number(row?.v ?? 0)
}
