import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. The true figures behind each frozen map (analysts' values),
// never served: a later release's disclosure audit needs them to tell which published cells are unchanged
// (those keep their state) and what the earlier release told an attacker about the ones that changed.
// Null for maps frozen before this column.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE snapshot_values ADD COLUMN basis jsonb`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE snapshot_values DROP COLUMN IF EXISTS basis`.execute(db)
}
