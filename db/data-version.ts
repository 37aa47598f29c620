import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema'

/** Every change to observations, areas or nesting comes with an import; its latest id versions the data. */
export async function dataVersion(db: Kysely<Database> | Transaction<Database>): Promise<number> {
  const row = await db.selectFrom('import_log').select((e) => e.fn.max('id').as('v')).executeTakeFirst()
  return Number(row?.v ?? 0)
}

/**
 * Bumped by a trigger in the same transaction as any change to the areas but the hexagon grid, drawn places
 * included (they come with no import): what is built from boundaries alone keys on it.
 */
export async function boundaryVersion(db: Kysely<Database> | Transaction<Database>): Promise<number> {
  const { rows } = await sql<{ v: number }>`SELECT v FROM boundary_version`.execute(db)
  return Number(rows[0]?.v ?? 0)
}

/** Both versions in one statement, for what is built from the areas and from imported data together. */
export async function areasAndDataVersion(db: Kysely<Database> | Transaction<Database>): Promise<string> {
  const { rows } = await sql<{ b: number | null; d: number | null }>`
    SELECT (SELECT v FROM boundary_version) AS b, (SELECT max(id) FROM import_log) AS d`.execute(db)
  return `${Number(rows[0]?.b ?? 0)}:${Number(rows[0]?.d ?? 0)}`
}

export interface Versions {
  /** The latest import's id. */
  data: number
  /** Which snapshots are published (their ids): a release published or deleted changes what the audit must hold. */
  releases: string
}

/** The data version and the published releases in one statement: what an indicator's disclosure cube keys on. */
export async function dataAndReleases(db: Kysely<Database> | Transaction<Database>): Promise<Versions> {
  const { rows } = await sql<{ d: number | null; r: string | null }>`
    SELECT (SELECT max(id) FROM import_log) AS d,
           (SELECT string_agg(id::text, ',' ORDER BY id) FROM snapshots WHERE published_at IS NOT NULL) AS r`.execute(db)
  return { data: Number(rows[0]?.d ?? 0), releases: rows[0]?.r ?? '' }
}
