import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Accounts, sessions, the audit log and published
// snapshots (issue 6).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('admin', 'analyst', 'local')`))
    // A local group's stadsområde, by code: area ids change with boundary imports, codes do not.
    .addColumn('stadsomrade_code', 'text')
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_local_has_area', sql`role <> 'local' OR stadsomrade_code IS NOT NULL`)
    .execute()
  await db.schema
    .createTable('sessions')
    // sha256 of the cookie's token: a leaked table does not give working sessions.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Kept as text too: the log must still say who after the account is deleted.
    .addColumn('user_id', 'integer')
    .addColumn('user_email', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute()
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute()

  await db.schema
    .createTable('snapshots')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('priorities', 'jsonb', (c) => c.notNull())
    .addColumn('data_version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .addColumn('published_by', 'text')
    .execute()
  await db.schema
    .createTable('snapshot_indicators')
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('snapshots.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    .addColumn('info', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('snapshot_indicators_pk', ['snapshot_id', 'indicator_id'])
    .execute()
  await db.schema
    .createTable('snapshot_layers')
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('snapshots.id').onDelete('cascade'))
    .addColumn('layer_id', 'text', (c) => c.notNull())
    .addColumn('info', 'jsonb', (c) => c.notNull())
    .addColumn('areas', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('snapshot_layers_pk', ['snapshot_id', 'layer_id'])
    .execute()
  await db.schema
    .createTable('snapshot_values')
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('snapshots.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    .addColumn('layer_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('snapshot_values_pk', ['snapshot_id', 'indicator_id', 'layer_id', 'period'])
    .execute()

  // A published snapshot never changes, whatever code runs against the database.
  await sql`
    CREATE FUNCTION snapshot_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE sid integer;
    BEGIN
      IF TG_TABLE_NAME = 'snapshots' THEN
        IF OLD.published_at IS NOT NULL THEN RAISE EXCEPTION 'snapshot % is published and cannot change', OLD.id; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END IF;
      sid := CASE WHEN TG_OP = 'INSERT' THEN NEW.snapshot_id ELSE OLD.snapshot_id END;
      IF EXISTS (SELECT 1 FROM snapshots WHERE id = sid AND published_at IS NOT NULL) THEN
        RAISE EXCEPTION 'snapshot % is published and cannot change', sid;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$`.execute(db)
  for (const table of ['snapshot_indicators', 'snapshot_layers', 'snapshot_values']) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_frozen`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION snapshot_frozen()`.execute(db)
  }
  // Publishing itself is the one update allowed: the trigger sees OLD.published_at still null.
  await sql`CREATE TRIGGER snapshots_frozen BEFORE UPDATE OR DELETE ON snapshots
    FOR EACH ROW EXECUTE FUNCTION snapshot_frozen()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['snapshot_values', 'snapshot_layers', 'snapshot_indicators', 'snapshots', 'audit_log', 'sessions', 'users']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
  await sql`DROP FUNCTION IF EXISTS snapshot_frozen()`.execute(db)
}
