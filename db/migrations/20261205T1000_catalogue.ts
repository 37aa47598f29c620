import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. The indicator catalogue as data an analyst edits
// (versioned, with licence and survey flag, the category "aktivitet" and neutral polarity), population
// per year from imports, and saved table-import recipes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE indicators DROP CONSTRAINT indicators_category_check`.execute(db)
  await sql`ALTER TABLE indicators ADD CONSTRAINT indicators_category_check
    CHECK (category IN ('brott', 'otrygghet', 'riskfaktor', 'skyddsfaktor', 'aktivitet'))`.execute(db)
  await sql`ALTER TABLE indicators DROP CONSTRAINT indicators_polarity_check`.execute(db)
  await sql`ALTER TABLE indicators ADD CONSTRAINT indicators_polarity_check
    CHECK (polarity IN ('higher_is_worse', 'higher_is_better', 'neutral'))`.execute(db)
  await db.schema
    .alterTable('indicators')
    .addColumn('licence', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('survey', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Survey shares so far are the indicators with intervals; the demo's are.
  await sql`UPDATE indicators SET survey = true WHERE unit = 'percent' AND category = 'otrygghet'`.execute(db)

  await db.schema
    .createTable('indicator_history')
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('saved_by', 'text')
    .addPrimaryKeyConstraint('indicator_history_pk', ['indicator_id', 'version'])
    .execute()

  await sql`ALTER TABLE import_log DROP CONSTRAINT import_log_kind_check`.execute(db)
  await sql`ALTER TABLE import_log ADD CONSTRAINT import_log_kind_check
    CHECK (kind IN ('seed', 'incidents', 'observations', 'boundaries', 'population', 'tables'))`.execute(db)

  // Which import a population figure came from (null: the first-start load).
  await db.schema
    .alterTable('area_population')
    .addColumn('import_id', 'integer', (c) => c.references('import_log.id'))
    .execute()

  await db.schema
    .createTable('import_recipes')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('tables'))
    .addColumn('recipe', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_recipes').ifExists().execute()
  await db.schema.alterTable('area_population').dropColumn('import_id').execute()
  await sql`ALTER TABLE import_log DROP CONSTRAINT import_log_kind_check`.execute(db)
  await sql`ALTER TABLE import_log ADD CONSTRAINT import_log_kind_check
    CHECK (kind IN ('seed', 'incidents', 'observations', 'boundaries'))`.execute(db)
  await db.schema.dropTable('indicator_history').ifExists().execute()
  await db.schema.alterTable('indicators').dropColumn('updated_at').dropColumn('version').dropColumn('survey').dropColumn('licence').execute()
}
