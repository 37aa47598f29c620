import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. The change notification names the table that changed, so a
// listening server can tell a write to the process (a saved measure) from one to the figures and keep what is
// made of the figures alone (db/changes.ts, PROCESS_TABLES).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('lagesbild_changes', TG_TABLE_NAME);
      RETURN NULL;
    END $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('lagesbild_changes', '');
      RETURN NULL;
    END $$`.execute(db)
}
