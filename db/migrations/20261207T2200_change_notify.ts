import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Every committed change to a table tells the listening
// servers (NOTIFY, delivered at commit, one per transaction): what a server serves from memory is then
// dropped when another process (a second instance, the command-line import) changes the data. Left out:
// sign-in attempts and API tokens (a token's last use is written on reads; tokens are always checked in
// the database), the migrator's own tables and PostGIS's. A table added later gets the same trigger in its
// migration; tests/integration/prepared-reads.test.ts fails if one has none.
const LEFT_OUT = ['sign_in_attempts', 'api_tokens', 'kysely_migration', 'kysely_migration_lock', 'spatial_ref_sys']

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('lagesbild_changes', '');
      RETURN NULL;
    END $$`.execute(db)
  const { rows } = await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()`.execute(db)
  for (const { t } of rows) {
    if (LEFT_OUT.includes(t)) continue
    await sql`CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.id(t)}
      FOR EACH STATEMENT EXECUTE FUNCTION notify_change()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS notify_change() CASCADE`.execute(db)
}
