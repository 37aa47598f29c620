import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Field reports (trygghetsrapporter): a local group's count
// of insecurity events of a category in a primärområde and an ISO week, with a short text free of personal
// data (checked by the app). The categories are a managed list: one in use is deactivated, never deleted.
// Their sums become the observations of an indicator, written with an import_log row of kind field_reports.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('field_report_categories')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[a-z][a-z0-9_]*$' AND length(id) <= 64`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('ordinal', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  const seed: Array<[string, string]> = [
    ['skadegorelse', 'Skadegörelse'],
    ['nedskrapning', 'Nedskräpning'],
    ['oro_i_grupp', 'Oro i grupp'],
    ['brand', 'Brand'],
    ['narkotikahandel_synlig', 'Synlig narkotikahandel'],
    ['otrygg_plats', 'Otrygg plats'],
  ]
  await db.insertInto('field_report_categories').values(seed.map(([id, name], i) => ({ id, name, ordinal: i + 1 }))).execute()

  await db.schema
    .createTable('field_reports')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
    .addColumn('week', 'text', (c) => c.notNull().check(sql`week ~ '^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$'`))
    .addColumn('category', 'text', (c) => c.notNull().references('field_report_categories.id'))
    .addColumn('count', 'integer', (c) => c.notNull().check(sql`count > 0`))
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .execute()
  await db.schema.createIndex('field_reports_week').on('field_reports').columns(['week', 'area_id']).execute()

  await sql`ALTER TABLE import_log DROP CONSTRAINT import_log_kind_check`.execute(db)
  await sql`ALTER TABLE import_log ADD CONSTRAINT import_log_kind_check
    CHECK (kind IN ('seed', 'incidents', 'observations', 'boundaries', 'population', 'tables', 'field_reports'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('field_reports').ifExists().execute()
  await db.schema.dropTable('field_report_categories').ifExists().execute()
  await sql`DELETE FROM observations WHERE import_id IN (SELECT id FROM import_log WHERE kind = 'field_reports')`.execute(db)
  await sql`DELETE FROM import_log WHERE kind = 'field_reports'`.execute(db)
  await sql`ALTER TABLE import_log DROP CONSTRAINT import_log_kind_check`.execute(db)
  await sql`ALTER TABLE import_log ADD CONSTRAINT import_log_kind_check
    CHECK (kind IN ('seed', 'incidents', 'observations', 'boundaries', 'population', 'tables'))`.execute(db)
}
