import type { Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. A meeting's pack: the published lägesbild it is read
// from. A snapshot that is attached to a meeting is published, so it is never deleted; set null guards anyway.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('snapshot_id', 'integer', (c) => c.references('snapshots.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').dropColumn('snapshot_id').execute()
}
