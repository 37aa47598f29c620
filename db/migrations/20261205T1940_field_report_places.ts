import { type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. A field report may name a drawn place (an area of the
// `plats` layer) where it happened; its primärområde (area_id) is then the one holding most of the place, so
// the figures stay per primärområde. Nullable: a report without a place names only its primärområde.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('field_reports')
    .addColumn('place_id', 'integer', (c) => c.references('areas.id'))
    .execute()
  await db.schema.createIndex('field_reports_place').on('field_reports').column('place_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('field_reports_place').ifExists().execute()
  await db.schema.alterTable('field_reports').dropColumn('place_id').execute()
}
