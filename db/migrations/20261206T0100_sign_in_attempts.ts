import type { Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Failed sign-ins per key (address, or address and e-mail)
// in the database, so every instance of the app counts the same attempts. The key is a sha256: the table
// names no address and no e-mail.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sign_in_attempts_reset').on('sign_in_attempts').column('reset_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_attempts').ifExists().execute()
}
