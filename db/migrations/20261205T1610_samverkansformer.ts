import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. The five samverkansformer as a register: each with its
// agreement (text and reference to the bilaga), parties and status (started, revised or ended by the
// city-wide group), versioned with a history for stale saves, and local adaptations per stadsområde.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('samverkansformer')
    .addColumn('agreement', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('agreement_ref', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('parties', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('aktiv').check(sql`status IN ('aktiv', 'vilande', 'avslutad')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('samverkansform_history')
    .addColumn('samverkansform_id', 'text', (c) => c.notNull().references('samverkansformer.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('decision_id', 'integer', (c) => c.references('decisions.id'))
    .addColumn('saved_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('samverkansform_history_pk', ['samverkansform_id', 'version'])
    .execute()
  await db.schema
    .createTable('samverkansform_adaptations')
    .addColumn('samverkansform_id', 'text', (c) => c.notNull().references('samverkansformer.id').onDelete('cascade'))
    .addColumn('stadsomrade_code', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('samverkansform_adaptations_pk', ['samverkansform_id', 'stadsomrade_code'])
    .execute()

  // The agreement is between the city and the police; which bilaga each follows is for the register to record.
  await db.updateTable('samverkansformer').set({ parties: JSON.stringify(['Göteborgs Stad', 'Polismyndigheten']) }).execute()
  // Version 1 of every row as it now stands, so a stale save against it can name what changed.
  await sql`INSERT INTO samverkansform_history (samverkansform_id, version, data)
    SELECT id, version, jsonb_build_object('description', description, 'agreement', agreement, 'agreementRef', agreement_ref, 'parties', parties, 'status', status)
    FROM samverkansformer`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('samverkansform_adaptations').ifExists().execute()
  await db.schema.dropTable('samverkansform_history').ifExists().execute()
  await db.schema
    .alterTable('samverkansformer')
    .dropColumn('agreement')
    .dropColumn('agreement_ref')
    .dropColumn('parties')
    .dropColumn('status')
    .dropColumn('version')
    .dropColumn('updated_at')
    .execute()
}
