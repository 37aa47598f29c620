import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/schema'

export async function findIndicator(db: Kysely<Database>, id: string) {
  return db.selectFrom('indicators').select(['id', 'name', 'unit', 'min_publish_count']).where('id', '=', id).executeTakeFirst()
}

export async function findArea(db: Kysely<Database>, id: number) {
  return db.selectFrom('areas').select(['id', 'layer_id', 'code', 'name']).where('id', '=', id).executeTakeFirst()
}

export async function layerExists(db: Kysely<Database>, id: string) {
  return (await db.selectFrom('area_layers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/**
 * The months of a year in which an incident import that counted weekdays and hours wrote the area's value:
 * those the profile covers, zeros included (the profile keeps only counts > 0).
 */
export async function coveredMonths(db: Kysely<Database>, indicatorId: string, areaId: number, year: number): Promise<string[]> {
  const { rows } = await sql<{ period: string }>`
    SELECT o.period FROM observations o JOIN import_log i ON i.id = o.import_id
    WHERE o.indicator_id = ${indicatorId} AND o.area_id = ${areaId} AND o.period LIKE ${`${year}-__`}
      AND i.kind = 'incidents' AND i.details->>'timeProfile' = 'true'
    ORDER BY o.period`.execute(db)
  return rows.map((r) => r.period)
}

export async function profileCounts(db: Kysely<Database>, indicatorId: string, areaId: number, months: string[]) {
  if (months.length === 0) return []
  return db
    .selectFrom('time_profile')
    .select(['period', 'weekday', 'hour', 'count'])
    .where('indicator_id', '=', indicatorId)
    .where('area_id', '=', areaId)
    .where('period', 'in', months)
    .execute()
}

/** (indicator, layer, month) with a time profile. */
export async function profileMonths(db: Kysely<Database>) {
  return db.selectFrom('time_profile').select(['indicator_id', 'layer_id', 'period']).distinct().orderBy('indicator_id').orderBy('layer_id').orderBy('period').execute()
}
