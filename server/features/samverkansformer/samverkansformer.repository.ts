import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function samverkansformRows(db: Executor, id?: string) {
  let q = db.selectFrom('samverkansformer').selectAll().orderBy('name')
  if (id !== undefined) q = q.where('id', '=', id)
  return q.execute()
}
export type SamverkansformRow = Awaited<ReturnType<typeof samverkansformRows>>[number]

export async function historyData(db: Executor, id: string, version: number) {
  const row = await db.selectFrom('samverkansform_history').select('data').where('samverkansform_id', '=', id).where('version', '=', version).executeTakeFirst()
  return row?.data ?? null
}

/** Writes the new version if the stored one is still `version`; false when someone else got there first. */
export async function updateAt(
  trx: Transaction<Database>,
  id: string,
  version: number,
  v: { description: string; agreement: string; agreementRef: string; parties: string[]; status: SamverkansformRow['status'] },
): Promise<boolean> {
  const res = await trx
    .updateTable('samverkansformer')
    .set({ description: v.description, agreement: v.agreement, agreement_ref: v.agreementRef, parties: JSON.stringify(v.parties), status: v.status, version: version + 1, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function insertHistory(trx: Transaction<Database>, id: string, version: number, data: Record<string, unknown>, decisionId: number | null, savedBy: string) {
  await trx.insertInto('samverkansform_history').values({ samverkansform_id: id, version, data: JSON.stringify(data), decision_id: decisionId, saved_by: savedBy }).execute()
}

export async function linkDecision(trx: Transaction<Database>, decisionId: number, id: string) {
  await trx
    .insertInto('decision_affects')
    .values({ decision_id: decisionId, kind: 'samverkansform', ref: id })
    .onConflict((oc) => oc.columns(['decision_id', 'kind', 'ref']).doNothing())
    .execute()
}

export async function decisionById(db: Executor, id: number) {
  return db.selectFrom('decisions').select(['id', 'group_id', 'date']).where('id', '=', id).executeTakeFirst()
}

export async function currentStadsomraden(db: Executor) {
  return db.selectFrom('areas').select(['code', 'name']).where('layer_id', '=', 'stadsomrade').where('valid_to', 'is', null).orderBy('name').execute()
}

export async function adaptationRows(db: Executor, id: string) {
  return db.selectFrom('samverkansform_adaptations').selectAll().where('samverkansform_id', '=', id).execute()
}

export async function adaptationRow(db: Executor, id: string, code: string) {
  return db.selectFrom('samverkansform_adaptations').selectAll().where('samverkansform_id', '=', id).where('stadsomrade_code', '=', code).executeTakeFirst()
}

export async function upsertAdaptation(trx: Transaction<Database>, id: string, code: string, text: string, by: string) {
  await trx
    .insertInto('samverkansform_adaptations')
    .values({ samverkansform_id: id, stadsomrade_code: code, text, updated_by: by })
    .onConflict((oc) => oc.columns(['samverkansform_id', 'stadsomrade_code']).doUpdateSet({ text, updated_by: by, updated_at: sql<Date>`now()` }))
    .execute()
}

export async function deleteAdaptation(trx: Transaction<Database>, id: string, code: string) {
  await trx.deleteFrom('samverkansform_adaptations').where('samverkansform_id', '=', id).where('stadsomrade_code', '=', code).execute()
}

/** The register's decisions that name this samverkansform, newest first. */
export async function decisionsNaming(db: Executor, id: string) {
  return db
    .selectFrom('decisions')
    .innerJoin('decision_affects', 'decision_affects.decision_id', 'decisions.id')
    .select(['decisions.id', 'decisions.date', 'decisions.group_id', 'decisions.text'])
    .where('decision_affects.kind', '=', 'samverkansform')
    .where('decision_affects.ref', '=', id)
    .orderBy('decisions.date', 'desc')
    .orderBy('decisions.id', 'desc')
    .execute()
}

/** The measures that run in this samverkansform, with their areas and how many follow-up rows they carry. */
export async function measuresIn(db: Executor, id: string) {
  const measures = await db.selectFrom('measures').select(['id', 'title', 'status']).where('samverkansform', '=', id).orderBy('start_date', 'desc').orderBy('id').execute()
  if (measures.length === 0) return []
  const ids = measures.map((m) => m.id)
  const [areas, followUps] = await Promise.all([
    db.selectFrom('measure_areas').select(['measure_id', 'area_id']).where('measure_id', 'in', ids).orderBy('area_id').execute(),
    db.selectFrom('measure_followups').select(['measure_id', (e) => e.fn.countAll<string | number>().as('n')]).where('measure_id', 'in', ids).groupBy('measure_id').execute(),
  ])
  return measures.map((m) => ({
    ...m,
    areaIds: areas.filter((a) => a.measure_id === m.id).map((a) => a.area_id),
    followUps: Number(followUps.find((f) => f.measure_id === m.id)?.n ?? 0),
  }))
}
