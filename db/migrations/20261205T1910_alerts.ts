import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Alerts: a significant rise of an indicator in an area in a
// week or the four weeks up to it, against the same weeks of earlier years. A row is written once when the
// rise is first found and then only gains who saw it and who handled it; the figures are those it was raised on.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('layer_id', 'text', (c) => c.notNull())
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('window', 'text', (c) => c.notNull().check(sql`"window" IN ('1w', '28d')`))
    // The window's last ISO week.
    .addColumn('week', 'text', (c) => c.notNull().check(sql`week ~ '^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$'`))
    .addColumn('observed', 'integer', (c) => c.notNull())
    .addColumn('expected', 'double precision', (c) => c.notNull())
    .addColumn('baseline_years', 'integer', (c) => c.notNull())
    .addColumn('p', 'double precision', (c) => c.notNull())
    .addColumn('p_adjusted', 'double precision', (c) => c.notNull())
    // False when a week it rests on is hidden from viewers outside the analysts: only analysts get it.
    .addColumn('shown_outside', 'boolean', (c) => c.notNull())
    .addColumn('data_version', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('seen_by', 'text')
    .addColumn('seen_at', 'timestamptz')
    .addColumn('handled_by', 'text')
    .addColumn('handled_at', 'timestamptz')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('alerts_unique', ['indicator_id', 'area_id', 'window', 'week'])
    .execute()
  await db.schema.createIndex('alerts_layer').on('alerts').columns(['layer_id', 'week']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alerts').execute()
}
