import type { Kysely, Transaction } from 'kysely'
import type { Database, StepStatusTable } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function listCycleRows(db: Executor) {
  return db.selectFrom('cycles').selectAll().orderBy('start_year', 'desc').execute()
}

export async function listStepRows(db: Executor) {
  return db.selectFrom('cycle_steps').selectAll().orderBy('ordinal').execute()
}

export async function cycleExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom('cycles').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

export async function listProblemAreaRows(db: Executor, cycleId: number) {
  return db.selectFrom('problem_areas').selectAll().where('cycle_id', '=', cycleId).orderBy('parent_id', 'desc').orderBy('ordinal').execute()
}

export async function listProblemAreaIndicatorLinks(db: Executor) {
  return db.selectFrom('problem_area_indicators').selectAll().execute()
}

export async function measureCountsByProblemArea(db: Executor) {
  return db.selectFrom('measures').select(['problem_area_id', (e) => e.fn.countAll<number>().as('n')]).groupBy('problem_area_id').execute()
}

export async function listStepStatusRows(db: Executor, cycleId: number) {
  return db
    .selectFrom('step_status as s')
    .innerJoin('cycle_steps as c', 'c.id', 's.step_id')
    .select(['s.step_id', 's.perspective_area_id', 's.status', 's.updated_at'])
    .where('c.cycle_id', '=', cycleId)
    .execute()
}

export async function stepInCycle(db: Executor, stepId: number, cycleId: number): Promise<boolean> {
  return (await db.selectFrom('cycle_steps').select('id').where('id', '=', stepId).where('cycle_id', '=', cycleId).executeTakeFirst()) !== undefined
}

export async function areaLayerId(db: Executor, areaId: number): Promise<string | null> {
  return (await db.selectFrom('areas').select('layer_id').where('id', '=', areaId).executeTakeFirst())?.layer_id ?? null
}

/** `perspectiveAreaId` 0 is the city-wide round (the key column cannot be null). */
export async function findStepStatus(db: Executor, stepId: number, perspectiveAreaId: number) {
  return db.selectFrom('step_status').select('status').where('step_id', '=', stepId).where('perspective_area_id', '=', perspectiveAreaId).executeTakeFirst()
}

export async function upsertStepStatus(db: Executor, stepId: number, perspectiveAreaId: number, status: StepStatusTable['status']) {
  await db
    .insertInto('step_status')
    .values({ step_id: stepId, perspective_area_id: perspectiveAreaId, status })
    .onConflict((oc) => oc.columns(['step_id', 'perspective_area_id']).doUpdateSet({ status, updated_at: new Date() }))
    .execute()
}

export async function findProblemArea(db: Executor, id: number) {
  return db.selectFrom('problem_areas').select(['id', 'title']).where('id', '=', id).executeTakeFirst()
}

export async function measuresOfProblemArea(db: Executor, id: number) {
  return db.selectFrom('measures').select(['id', 'title']).where('problem_area_id', '=', id).execute()
}

export async function childProblemAreas(db: Executor, id: number) {
  return db.selectFrom('problem_areas').select(['id', 'title']).where('parent_id', '=', id).execute()
}

export async function deleteProblemAreaRow(db: Executor, id: number) {
  await db.deleteFrom('problem_areas').where('id', '=', id).execute()
}

export async function listSamverkansformRows(db: Executor) {
  return db.selectFrom('samverkansformer').selectAll().orderBy('name').execute()
}
