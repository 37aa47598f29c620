import { allow, currentUser } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { recordAudit } from '../../../db/audit'
import { AppError } from '../../errors'
import { parseBody } from '../../http/validate-body'
import { parseInput } from '../../http/validate'
import type { CycleDto, ProblemAreaDto } from './priorities.schema'

const idParams = z.object({ id: z.coerce.number().int().positive() })
const statusBody = z.object({
  stepId: z.number().int().positive(),
  /** null: the city-wide round. */
  areaId: z.number().int().positive().nullable(),
  status: z.enum(['ej_paborjad', 'pagar', 'klar']),
})

export async function listCycles(db: Kysely<Database>): Promise<CycleDto[]> {
  const [cycles, steps] = await Promise.all([
    db.selectFrom('cycles').selectAll().orderBy('start_year', 'desc').execute(),
    db.selectFrom('cycle_steps').selectAll().orderBy('ordinal').execute(),
  ])
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
  if (!(await db.selectFrom('cycles').select('id').where('id', '=', id).executeTakeFirst())) throw AppError.notFound(`Okänd cykel: ${id}`, [{ field: 'id', message: 'no such cycle' }])
  const [areas, links, counts] = await Promise.all([
    db.selectFrom('problem_areas').selectAll().where('cycle_id', '=', id).orderBy('parent_id', 'desc').orderBy('ordinal').execute(),
    db.selectFrom('problem_area_indicators').selectAll().execute(),
    db.selectFrom('measures').select(['problem_area_id', (e) => e.fn.countAll<number>().as('n')]).groupBy('problem_area_id').execute(),
  ])
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

export function prioritiesRouter(db: Kysely<Database>): Router {
  const router = Router()

  router.get('/cycles', allow('member'), async (_req, res) => {
    res.json(await listCycles(db))
  })

  router.get('/cycles/:id/problem-areas', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.json(await listProblemAreas(db, id))
  })

  router.get('/cycles/:id/status', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    const rows = await db
      .selectFrom('step_status as s')
      .innerJoin('cycle_steps as c', 'c.id', 's.step_id')
      .select(['s.step_id', 's.perspective_area_id', 's.status', 's.updated_at'])
      .where('c.cycle_id', '=', id)
      .execute()
    res.json(rows.map((r) => ({ stepId: r.step_id, areaId: r.perspective_area_id || null, status: r.status, updatedAt: new Date(r.updated_at).toISOString() })))
  })

  router.put('/cycles/:id/status', allow('analyst'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    const body = parseBody(statusBody, req.body)
    const step = await db.selectFrom('cycle_steps').select('id').where('id', '=', body.stepId).where('cycle_id', '=', id).executeTakeFirst()
    if (!step) throw new AppError(422, 'validation_failed', 'Steget finns inte i cykeln', [{ field: 'stepId', message: `step ${body.stepId} is not in cycle ${id}` }])
    if (body.areaId !== null) {
      const area = await db.selectFrom('areas').select('layer_id').where('id', '=', body.areaId).executeTakeFirst()
      if (!area || !['stadsomrade', 'lokalpolisomrade'].includes(area.layer_id)) {
        throw new AppError(422, 'validation_failed', 'Perspektivet måste vara staden, ett stadsområde eller ett lokalpolisområde', [
          { field: 'areaId', message: 'not a stadsområde or lokalpolisområde' },
        ])
      }
    }
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('step_status').select('status').where('step_id', '=', body.stepId).where('perspective_area_id', '=', body.areaId ?? 0).executeTakeFirst()
      await trx
        .insertInto('step_status')
        .values({ step_id: body.stepId, perspective_area_id: body.areaId ?? 0, status: body.status })
        .onConflict((oc) => oc.columns(['step_id', 'perspective_area_id']).doUpdateSet({ status: body.status, updated_at: new Date() }))
        .execute()
      await recordAudit(trx, currentUser(req), {
        action: 'update',
        entity: 'step_status',
        entityId: `${body.stepId}/${body.areaId ?? 'staden'}`,
        summary: `Steg ${body.stepId} (${body.areaId ? `område ${body.areaId}` : 'staden'}): ${before?.status ?? 'ej_paborjad'} → ${body.status}`,
        before: before ?? null,
        after: { status: body.status },
      })
    })
    res.json({ stepId: body.stepId, areaId: body.areaId, status: body.status })
  })

  router.delete('/problem-areas/:id', allow('analyst'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    const area = await db.selectFrom('problem_areas').select(['id', 'title']).where('id', '=', id).executeTakeFirst()
    if (!area) throw AppError.notFound(`Okänt problemområde: ${id}`, [{ field: 'id', message: 'no such problem area' }])
    const measures = await db.selectFrom('measures').select(['id', 'title']).where('problem_area_id', '=', id).execute()
    const children = await db.selectFrom('problem_areas').select(['id', 'title']).where('parent_id', '=', id).execute()
    if (measures.length || children.length) {
      throw new AppError(409, 'conflict', `”${area.title}” kan inte tas bort: ${measures.length} åtgärder och ${children.length} delområden hör till det.`, [
        ...measures.map((m) => ({ field: 'measures', message: `åtgärd ${m.id}: ${m.title}` })),
        ...children.map((c) => ({ field: 'children', message: `delområde ${c.id}: ${c.title}` })),
      ])
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('problem_areas').where('id', '=', id).execute()
      await recordAudit(trx, currentUser(req), { action: 'delete', entity: 'problem_area', entityId: id, summary: `Problemområde ”${area.title}” borttaget`, before: area })
    })
    res.status(204).end()
  })

  router.get('/samverkansformer', allow('member'), async (_req, res) => {
    res.json(await db.selectFrom('samverkansformer').selectAll().orderBy('name').execute())
  })

  return router
}
