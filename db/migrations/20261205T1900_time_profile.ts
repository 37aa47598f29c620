import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Incident counts per area, month, ISO weekday and Stockholm
// hour, for the local layers' weekday × hour tables. Counts only, and only where > 0 (absent = 0); hour 24 =
// the row gave a date without a time of day. Written and replaced with the month's observations.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE time_profile (
    indicator_id text NOT NULL REFERENCES indicators(id),
    layer_id text NOT NULL REFERENCES area_layers(id),
    area_id integer NOT NULL REFERENCES areas(id),
    period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 24),
    count integer NOT NULL CHECK (count > 0),
    import_id integer NOT NULL REFERENCES import_log(id),
    PRIMARY KEY (indicator_id, layer_id, area_id, period, weekday, hour)
  )`.execute(db)
  await sql`CREATE INDEX time_profile_period ON time_profile (indicator_id, period)`.execute(db)
  await sql`CREATE INDEX time_profile_import ON time_profile (import_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE time_profile`.execute(db)
}
