import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. The cooperation organisation as data: the agreement's groups
// (ids kept as the decision register already names them), their members by function and organisation, working
// groups' uppdragsdirektiv, meetings with chair and note-taker, and action items that carry over until done.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('groups')
    // 'trygg_i_goteborg', 'lokal:<stadsområde code>', 'natverk', 'strategiskt_forum', 'arbetsgrupp:<n>'.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('ledningsgrupp', 'lokal_ledningsgrupp', 'natverk', 'forum', 'arbetsgrupp')`))
    .addColumn('stadsomrade_code', 'text')
    // A working group's uppdragsdirektiv: purpose, goals, deliverables, timeLimit, givenBy.
    .addColumn('mandate', 'jsonb')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('function', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().check(sql`organisation IN ('staden', 'polisen')`))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'ordinal'])
    .execute()
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('full_day', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('chair_organisation', 'text', (c) => c.notNull().check(sql`chair_organisation IN ('staden', 'polisen')`))
    // Null while planned and not yet settled.
    .addColumn('notes_organisation', 'text', (c) => c.check(sql`notes_organisation IN ('staden', 'polisen')`))
    .addColumn('agenda', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('minutes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('planerad').check(sql`status IN ('planerad', 'genomford')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('meetings_group_date').on('meetings').columns(['group_id', 'date']).execute()
  await db.schema
    .createTable('meeting_actions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('responsible', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('done_at', 'date')
    .addColumn('done_meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('organisation', 'text', (c) => c.check(sql`organisation IN ('staden', 'polisen')`))
    .execute()

  // The agreement's city-wide groups exist from the first start; the local ones follow the stadsområden (boot).
  await db
    .insertInto('groups')
    .values([
      { id: 'trygg_i_goteborg', name: 'Ledningsgrupp Trygg i Göteborg', kind: 'ledningsgrupp' },
      { id: 'natverk', name: 'Brottsförebyggande nätverket', kind: 'natverk' },
      { id: 'strategiskt_forum', name: 'Strategiskt forum', kind: 'forum' },
    ])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('organisation').execute()
  for (const t of ['meeting_actions', 'meetings', 'group_members', 'groups']) await db.schema.dropTable(t).ifExists().execute()
}
