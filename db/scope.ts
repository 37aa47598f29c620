import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema'

/** A local group's areas: those lying (nearly) wholly inside its stadsområde. */
export const INSIDE_SHARE = 0.99

/**
 * For each area, the share of its surface inside the current stadsområde with this code. Used by every
 * feature that lets a local group write only in its own stadsområde.
 */
export async function shareInsideStadsomrade(
  db: Kysely<Database> | Transaction<Database>,
  areaIds: number[],
  stadsomradeCode: string,
): Promise<Map<number, number>> {
  if (areaIds.length === 0) return new Map()
  const { rows } = await sql<{ id: number; share: number | null }>`
    SELECT a.id,
      (SELECT ST_Area(ST_Intersection(a.geom, s.geom)) / NULLIF(ST_Area(a.geom), 0)
         FROM areas s WHERE s.layer_id = 'stadsomrade' AND s.code = ${stadsomradeCode} AND s.valid_to IS NULL) AS share
    FROM areas a WHERE a.id = ANY(${sql.val(areaIds)}::int[])`.execute(db)
  return new Map(rows.map((r) => [r.id, Number(r.share ?? 0)]))
}
