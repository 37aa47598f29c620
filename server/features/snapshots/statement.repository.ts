import type { Kysely, Transaction } from 'kysely'
import type { Database, Organisation } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function findStatement(db: Executor, snapshotId: number) {
  return db.selectFrom('snapshot_statements').selectAll().where('snapshot_id', '=', snapshotId).executeTakeFirst()
}

export async function statementApprovals(db: Executor, snapshotId: number) {
  return db.selectFrom('snapshot_statement_approvals').selectAll().where('snapshot_id', '=', snapshotId).orderBy('approved_at').orderBy('organisation').execute()
}

export async function upsertStatement(db: Executor, snapshotId: number, text: string, version: number, by: string) {
  await db
    .insertInto('snapshot_statements')
    .values({ snapshot_id: snapshotId, text, version, updated_by: by })
    .onConflict((oc) => oc.column('snapshot_id').doUpdateSet({ text, version, updated_by: by, updated_at: new Date() }))
    .execute()
}

export async function clearApprovals(db: Executor, snapshotId: number) {
  await db.deleteFrom('snapshot_statement_approvals').where('snapshot_id', '=', snapshotId).execute()
}

/** False when the party has approved already (the key holds one approval per party). */
export async function insertApproval(db: Executor, snapshotId: number, organisation: Organisation, user: { id: number; email: string; name: string }): Promise<boolean> {
  const r = await db
    .insertInto('snapshot_statement_approvals')
    .values({ snapshot_id: snapshotId, organisation, user_id: user.id, user_email: user.email, user_name: user.name })
    .onConflict((oc) => oc.columns(['snapshot_id', 'organisation']).doNothing())
    .returning('organisation')
    .executeTakeFirst()
  return r !== undefined
}
