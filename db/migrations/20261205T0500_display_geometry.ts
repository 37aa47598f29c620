import type { Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. How each area's display geometry (geom_web) was made, so
// that a start can redo the areas made an older way. 1 is the first way: each polygon simplified alone
// (ST_SimplifyPreserveTopology, 3 m), so neighbours' shared edges drifted apart, and wound clockwise. 0 is
// a stand-in while a layer's display geometry is being made.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('areas')
    .addColumn('geom_web_version', 'smallint', (c) => c.notNull().defaultTo(1))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('areas').dropColumn('geom_web_version').execute()
}
