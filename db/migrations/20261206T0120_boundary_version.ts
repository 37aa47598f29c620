import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. A counter bumped in the same transaction as any change to
// the areas outside the hexagon grid (drawn places included, which come with no import): caches of what is
// built from boundaries — the incident import's area index — key on it, so a boundary import or another
// instance's change invalidates them. The grid is left out: it is laid once, at the first incident import.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE boundary_version (id boolean PRIMARY KEY DEFAULT true CHECK (id), v bigint NOT NULL)`.execute(db)
  await sql`INSERT INTO boundary_version (v) VALUES (1)`.execute(db)
  await sql`CREATE FUNCTION bump_boundary_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE boundary_version SET v = v + 1;
      RETURN NULL;
    END $$`.execute(db)
  await sql`CREATE TRIGGER areas_boundary_version_write AFTER INSERT OR UPDATE ON areas
    FOR EACH ROW WHEN (NEW.layer_id <> 'hex') EXECUTE FUNCTION bump_boundary_version()`.execute(db)
  await sql`CREATE TRIGGER areas_boundary_version_delete AFTER DELETE ON areas
    FOR EACH ROW WHEN (OLD.layer_id <> 'hex') EXECUTE FUNCTION bump_boundary_version()`.execute(db)
  await sql`CREATE TRIGGER areas_boundary_version_truncate AFTER TRUNCATE ON areas
    FOR EACH STATEMENT EXECUTE FUNCTION bump_boundary_version()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS areas_boundary_version_truncate ON areas`.execute(db)
  await sql`DROP TRIGGER IF EXISTS areas_boundary_version_delete ON areas`.execute(db)
  await sql`DROP TRIGGER IF EXISTS areas_boundary_version_write ON areas`.execute(db)
  await sql`DROP FUNCTION IF EXISTS bump_boundary_version()`.execute(db)
  await sql`DROP TABLE IF EXISTS boundary_version`.execute(db)
}
