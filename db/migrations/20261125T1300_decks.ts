import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. A presentation deck built on a published snapshot: kept
// apart from the snapshot's frozen tables, since the deck is edited after publication while the figures never are.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('snapshot_decks')
    .addColumn('snapshot_id', 'integer', (c) => c.primaryKey().references('snapshots.id').onDelete('cascade'))
    .addColumn('slides', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('snapshot_decks').ifExists().execute()
}
