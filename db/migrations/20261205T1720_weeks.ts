import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Observations may be kept per ISO week (2026-W10) as well
// as per year, half-year, quarter and month: incident imports count weeks for the continuous local picture.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE observations DROP CONSTRAINT observations_period_check`.execute(db)
  await sql`ALTER TABLE observations ADD CONSTRAINT observations_period_check
    CHECK (period ~ '^[0-9]{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]|W(0[1-9]|[1-4][0-9]|5[0-3])))?$')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM observations WHERE period LIKE '%-W%'`.execute(db)
  await sql`ALTER TABLE observations DROP CONSTRAINT observations_period_check`.execute(db)
  await sql`ALTER TABLE observations ADD CONSTRAINT observations_period_check CHECK (period ~ '^[0-9]{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$')`.execute(db)
}
