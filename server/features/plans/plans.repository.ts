import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, TrafficLight } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export interface PlanRowValues {
  ordinal: number
  cause_id: number | null
  cause_text: string
  measure_id: number | null
  action: string
  goal: string
  timing: string
  responsible: string
  followup: string
}

/** A problem area with its area: the plan's scope (who may edit it, which groups adopt it). */
export async function problemAreaScopes(db: Executor, ids: number[]) {
  if (ids.length === 0) return []
  const { rows } = await sql<{
    id: number
    title: string
    cycle_id: number
    area_id: number | null
    layer_id: string | null
    code: string | null
    name: string | null
    parent_code: string | null
  }>`
    SELECT pa.id, pa.title, pa.cycle_id, pa.area_id, a.layer_id, a.code, a.name,
      (SELECT s.code FROM area_parents ap JOIN areas s ON s.id = ap.parent_id
        WHERE ap.child_id = a.id AND s.layer_id = 'stadsomrade' ORDER BY ap.share DESC LIMIT 1) AS parent_code
    FROM problem_areas pa LEFT JOIN areas a ON a.id = pa.area_id
    WHERE pa.id = ANY(${sql.val(ids)}::int[])`.execute(db)
  return rows
}

export async function planRows(db: Executor, f: { ids?: number[]; problemAreaId?: number; cycleId?: number }) {
  let q = db.selectFrom('plans as p').innerJoin('problem_areas as pa', 'pa.id', 'p.problem_area_id').selectAll('p').orderBy('pa.cycle_id', 'desc').orderBy('pa.ordinal').orderBy('p.id')
  if (f.ids) {
    if (f.ids.length === 0) return []
    q = q.where('p.id', 'in', f.ids)
  }
  if (f.problemAreaId !== undefined) q = q.where('p.problem_area_id', '=', f.problemAreaId)
  if (f.cycleId !== undefined) q = q.where('pa.cycle_id', '=', f.cycleId)
  return q.execute()
}

export async function versionRows(db: Executor, planIds: number[]) {
  if (planIds.length === 0) return []
  return db
    .selectFrom('plan_versions as v')
    .leftJoin('decisions as d', 'd.id', 'v.decision_id')
    .select(['v.plan_id', 'v.version', 'v.revision', 'v.decision_id', 'v.adopted_at', 'v.created_at', 'v.updated_at', 'd.date as decision_date', 'd.group_id as decision_group', 'd.text as decision_text'])
    .where('v.plan_id', 'in', planIds)
    .orderBy('v.plan_id')
    .orderBy('v.version')
    .execute()
}

export async function rowRows(db: Executor, planIds: number[]) {
  if (planIds.length === 0) return []
  return db.selectFrom('plan_rows').selectAll().where('plan_id', 'in', planIds).orderBy('plan_id').orderBy('version').orderBy('ordinal').execute()
}

export async function followUpRows(db: Executor, rowIds: number[]) {
  if (rowIds.length === 0) return []
  return db.selectFrom('plan_row_followups').selectAll().where('row_id', 'in', rowIds).orderBy('date').orderBy('id').execute()
}

export async function planOfProblemArea(db: Executor, problemAreaId: number) {
  return db.selectFrom('plans').select(['id', 'title']).where('problem_area_id', '=', problemAreaId).executeTakeFirst()
}

export async function insertPlan(trx: Transaction<Database>, problemAreaId: number, title: string): Promise<number> {
  const { id } = await trx.insertInto('plans').values({ problem_area_id: problemAreaId, title }).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function insertVersion(trx: Transaction<Database>, planId: number, version: number) {
  await trx.insertInto('plan_versions').values({ plan_id: planId, version }).execute()
}

export async function insertRows(trx: Transaction<Database>, planId: number, version: number, rows: PlanRowValues[]) {
  if (rows.length) await trx.insertInto('plan_rows').values(rows.map((r) => ({ ...r, plan_id: planId, version }))).execute()
}

export async function deleteRows(trx: Transaction<Database>, planId: number, version: number) {
  await trx.deleteFrom('plan_rows').where('plan_id', '=', planId).where('version', '=', version).execute()
}

/**
 * Moves a draft from `revision` to the next; false when it is adopted or at another revision by now (a
 * racing save or adoption).
 */
export async function bumpDraftRevision(trx: Transaction<Database>, planId: number, version: number, revision: number): Promise<boolean> {
  const r = await trx
    .updateTable('plan_versions')
    .set({ revision: revision + 1, updated_at: new Date() })
    .where('plan_id', '=', planId)
    .where('version', '=', version)
    .where('revision', '=', revision)
    .where('decision_id', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Adopts a draft; false when it was adopted or saved meanwhile. */
export async function adoptDraft(trx: Transaction<Database>, planId: number, version: number, revision: number, decisionId: number): Promise<boolean> {
  const r = await trx
    .updateTable('plan_versions')
    .set({ decision_id: decisionId, adopted_at: new Date(), updated_at: new Date() })
    .where('plan_id', '=', planId)
    .where('version', '=', version)
    .where('revision', '=', revision)
    .where('decision_id', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function decisionRow(db: Executor, id: number) {
  return db.selectFrom('decisions').select(['id', 'date', 'group_id', 'text']).where('id', '=', id).executeTakeFirst()
}

/** Those of the causes that belong to the problem area, with their titles. */
export async function causesOfProblemArea(db: Executor, problemAreaId: number, ids: number[]) {
  if (ids.length === 0) return []
  return db.selectFrom('causes').select(['id', 'title']).where('problem_area_id', '=', problemAreaId).where('id', 'in', ids).execute()
}

/** Those of the measures that belong to the problem area. */
export async function measuresOfProblemArea(db: Executor, problemAreaId: number, ids: number[]) {
  if (ids.length === 0) return []
  return db.selectFrom('measures').select(['id', 'title']).where('problem_area_id', '=', problemAreaId).where('id', 'in', ids).execute()
}

export async function insertFollowUp(trx: Transaction<Database>, rowId: number, f: { status: TrafficLight; date: string; comment: string; createdBy: string }): Promise<number> {
  const { id } = await trx
    .insertInto('plan_row_followups')
    .values({ row_id: rowId, status: f.status, date: f.date, comment: f.comment, created_by: f.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Deletes a plan none of whose versions is adopted; false when one is (an adoption raced the check). */
export async function deleteUnadoptedPlan(trx: Transaction<Database>, planId: number): Promise<boolean> {
  const r = await trx
    .deleteFrom('plans')
    .where('id', '=', planId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('plan_versions').select('plan_id').whereRef('plan_id', '=', 'plans.id').where('decision_id', 'is not', null))))
    .executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}
