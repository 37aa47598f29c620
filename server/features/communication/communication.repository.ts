import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/schema'
import type { CommunicationPlanRowDto } from './communication.schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function findPlan(db: Executor) {
  return db.selectFrom('communication_plan').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
}

export async function planRows(db: Executor) {
  return db.selectFrom('communication_plan_rows').select(['topic', 'organisation', 'function', 'contact']).orderBy('ordinal').execute()
}

/** Raises the version only from the one read: false when another save came first. */
export async function bumpPlan(db: Executor, from: number, by: string): Promise<boolean> {
  const r = await db
    .updateTable('communication_plan')
    .set({ version: from + 1, updated_by: by, updated_at: new Date() })
    .where('id', '=', 1)
    .where('version', '=', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function replaceRows(db: Executor, rows: CommunicationPlanRowDto[]) {
  await db.deleteFrom('communication_plan_rows').execute()
  if (rows.length) await db.insertInto('communication_plan_rows').values(rows.map((r, i) => ({ ordinal: i + 1, ...r }))).execute()
}
