import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports.
export async function up(db: Kysely<any>): Promise<void> {
  // An import replaced by a later one keeps its log row (what was decided on stays traceable).
  await db.schema.alterTable('import_log').addColumn('replaced_at', 'timestamptz').execute()
  await db.schema.alterTable('import_log').addColumn('replaced_by', 'integer', (c) => c.references('import_log.id')).execute()
  await db.schema.createIndex('import_log_hash').on('import_log').columns(['kind', 'file_sha256']).execute()
  await db.schema.createIndex('observations_import').on('observations').column('import_id').execute()
  await db.schema.createIndex('observations_area_period').on('observations').columns(['area_id', 'period_start']).execute()
  await sql`ALTER TABLE areas ADD CONSTRAINT areas_code_nonempty CHECK (length(code) > 0)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE areas DROP CONSTRAINT areas_code_nonempty`.execute(db)
  await db.schema.dropIndex('observations_area_period').execute()
  await db.schema.dropIndex('observations_import').execute()
  await db.schema.dropIndex('import_log_hash').execute()
  await db.schema.alterTable('import_log').dropColumn('replaced_by').execute()
  await db.schema.alterTable('import_log').dropColumn('replaced_at').execute()
}
