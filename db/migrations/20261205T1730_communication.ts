import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Joint communication: the communication plan (who speaks
// for each party on each topic), versioned as a whole so a stale save is refused, and the joint statement on
// a published lägesbild that staden and polisen each approve once; changing its text withdraws both.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('communication_plan')
    // One plan for the agreement: a single row carries its version.
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'timestamptz')
    .execute()
  await db.insertInto('communication_plan').values({ id: 1, version: 0 }).execute()
  await db.schema
    .createTable('communication_plan_rows')
    .addColumn('ordinal', 'integer', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().check(sql`organisation IN ('staden', 'polisen')`))
    .addColumn('function', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull().defaultTo(''))
    .execute()

  await db.schema
    .createTable('snapshot_statements')
    .addColumn('snapshot_id', 'integer', (c) => c.primaryKey().references('snapshots.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    // Raised by every change of the text: an approval names the version its approver read.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('snapshot_statement_approvals')
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('snapshot_statements.snapshot_id').onDelete('cascade'))
    .addColumn('organisation', 'text', (c) => c.notNull().check(sql`organisation IN ('staden', 'polisen')`))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('user_email', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('approved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // One approval per party: the key makes a second one from the same organisation impossible.
    .addPrimaryKeyConstraint('snapshot_statement_approvals_pk', ['snapshot_id', 'organisation'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('snapshot_statement_approvals').ifExists().execute()
  await db.schema.dropTable('snapshot_statements').ifExists().execute()
  await db.schema.dropTable('communication_plan_rows').ifExists().execute()
  await db.schema.dropTable('communication_plan').ifExists().execute()
}
