import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { AppError } from '../../errors'
import * as repo from './priorities.repository'
import type { CycleDto, ProblemAreaDto, StepStatusDto, StepStatusInput } from './priorities.schema'

export async function listCycles(db: Kysely<Database>): Promise<CycleDto[]> {
  const [cycles, steps] = await Promise.all([repo.listCycleRows(db), repo.listStepRows(db)])
  return cycles.map((c) => ({
    id: c.id,
    name: c.name,
    startYear: c.start_year,
    endYear: c.end_year,
    current: c.current,
    steps: steps.filter((s) => s.cycle_id === c.id).map((s) => ({ id: s.id, ordinal: s.ordinal, name: s.name })),
  }))
}

export async function listProblemAreas(db: Kysely<Database>, id: number): Promise<ProblemAreaDto[]> {
  if (!(await repo.cycleExists(db, id))) throw AppError.notFound(`Okänd cykel: ${id}`, [{ field: 'id', message: 'cykeln finns inte' }])
  const [areas, links, counts] = await Promise.all([repo.listProblemAreaRows(db, id), repo.listProblemAreaIndicatorLinks(db), repo.measureCountsByProblemArea(db)])
  const ordered = [...areas].sort((a, b) => (a.parent_id ?? a.id) - (b.parent_id ?? b.id) || (a.parent_id === null ? -1 : 1) - (b.parent_id === null ? -1 : 1) || a.ordinal - b.ordinal)
  return ordered.map((a) => ({
    id: a.id,
    parentId: a.parent_id,
    title: a.title,
    analysis: a.analysis,
    goals: a.goals,
    indicatorIds: links.filter((l) => l.problem_area_id === a.id).map((l) => l.indicator_id).sort(),
    measureCount: Number(counts.find((c) => c.problem_area_id === a.id)?.n ?? 0),
  }))
}

export async function listStepStatus(db: Kysely<Database>, cycleId: number): Promise<StepStatusDto[]> {
  const rows = await repo.listStepStatusRows(db, cycleId)
  return rows.map((r) => ({ stepId: r.step_id, areaId: r.perspective_area_id || null, status: r.status, updatedAt: new Date(r.updated_at).toISOString() }))
}

/** A step's status for the city (areaId null) or one stadsområde or lokalpolisområde, audited. */
export async function setStepStatus(db: Kysely<Database>, actor: Actor, cycleId: number, input: StepStatusInput) {
  if (!(await repo.stepInCycle(db, input.stepId, cycleId))) {
    throw new AppError(422, 'validation_failed', 'Steget finns inte i cykeln', [{ field: 'stepId', message: `step ${input.stepId} is not in cycle ${cycleId}` }])
  }
  if (input.areaId !== null) {
    const layer = await repo.areaLayerId(db, input.areaId)
    if (!layer || !['stadsomrade', 'lokalpolisomrade'].includes(layer)) {
      throw new AppError(422, 'validation_failed', 'Perspektivet måste vara staden, ett stadsområde eller ett lokalpolisområde', [
        { field: 'areaId', message: 'not a stadsområde or lokalpolisområde' },
      ])
    }
  }
  const perspective = input.areaId ?? 0
  await db.transaction().execute(async (trx) => {
    const before = await repo.findStepStatus(trx, input.stepId, perspective)
    await repo.upsertStepStatus(trx, input.stepId, perspective, input.status)
    await recordAudit(trx, actor, {
      action: 'update',
      entity: 'step_status',
      entityId: `${input.stepId}/${input.areaId ?? 'staden'}`,
      summary: `Steg ${input.stepId} (${input.areaId ? `område ${input.areaId}` : 'staden'}): ${before?.status ?? 'ej_paborjad'} → ${input.status}`,
      before: before ?? null,
      after: { status: input.status },
    })
  })
  return { stepId: input.stepId, areaId: input.areaId, status: input.status }
}

/** Refused (409, naming each) while measures or sub-areas still belong to the problem area. */
export async function deleteProblemArea(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  const area = await repo.findProblemArea(db, id)
  if (!area) throw AppError.notFound(`Okänt problemområde: ${id}`, [{ field: 'id', message: 'problemområdet finns inte' }])
  const measures = await repo.measuresOfProblemArea(db, id)
  const children = await repo.childProblemAreas(db, id)
  if (measures.length || children.length) {
    throw new AppError(409, 'conflict', `”${area.title}” kan inte tas bort: ${measures.length} åtgärder och ${children.length} delområden hör till det.`, [
      ...measures.map((m) => ({ field: 'measures', message: `åtgärd ${m.id}: ${m.title}` })),
      ...children.map((c) => ({ field: 'children', message: `delområde ${c.id}: ${c.title}` })),
    ])
  }
  await db.transaction().execute(async (trx) => {
    await repo.deleteProblemAreaRow(trx, id)
    await recordAudit(trx, actor, { action: 'delete', entity: 'problem_area', entityId: id, summary: `Problemområde ”${area.title}” borttaget`, before: area })
  })
}

export const listSamverkansformer = (db: Kysely<Database>) => repo.listSamverkansformRows(db)
