import type { Insertable, Kysely, Transaction } from 'kysely'
import type { AlertTable, Database } from '../../../db/schema'

type Db = Kysely<Database> | Transaction<Database>

export type NewAlert = Omit<Insertable<AlertTable>, 'id' | 'raised_at' | 'seen_by' | 'seen_at' | 'handled_by' | 'handled_at' | 'note' | 'version'>

/** A rise found again is the same alert: the first finding, and who saw and handled it, are kept. */
export async function insertNew(db: Db, rows: NewAlert[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('alerts')
    .values(rows)
    .onConflict((oc) => oc.columns(['indicator_id', 'area_id', 'window', 'week']).doNothing())
    .execute()
}

export function alertRows(db: Db, f: { layer?: string; area?: number; id?: number; openOnly?: boolean; outsideOnly?: boolean }) {
  let q = db
    .selectFrom('alerts as al')
    .innerJoin('areas as a', 'a.id', 'al.area_id')
    .innerJoin('indicators as i', 'i.id', 'al.indicator_id')
    .selectAll('al')
    .select(['a.code as area_code', 'a.name as area_name', 'i.name as indicator_name'])
  if (f.layer !== undefined) q = q.where('al.layer_id', '=', f.layer)
  if (f.area !== undefined) q = q.where('al.area_id', '=', f.area)
  if (f.id !== undefined) q = q.where('al.id', '=', f.id)
  if (f.openOnly) q = q.where('al.handled_at', 'is', null)
  if (f.outsideOnly) q = q.where('al.shown_outside', '=', true)
  return q.orderBy('al.week', 'desc').orderBy('al.p_adjusted', 'asc').orderBy('al.id', 'asc').execute()
}
export type AlertRow = Awaited<ReturnType<typeof alertRows>>[number]

export async function updateAlert(
  db: Db,
  id: number,
  version: number,
  set: { seen_by?: string; seen_at?: string; handled_by?: string | null; handled_at?: string | null; note?: string },
): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
