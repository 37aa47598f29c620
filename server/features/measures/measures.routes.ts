import { allow, currentUser, seesInternalFigures } from '../../http/access'
import { Router, type Request } from 'express'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { parseInput } from '../../http/validate'
import { discloseMeasures, evaluateMeasure, type EvaluationSources } from './measures.evaluation'
import { measureFilters, type MeasureDto } from './measures.schema'
import { createMeasure, deleteMeasure, getMeasure, listMeasures, updateMeasure, type DiscloseMeasures } from './measures.service'

const idParams = z.object({ id: z.coerce.number().int().positive() })
export const deleteQuery = z.object({ version: z.coerce.number({ error: 'ange versionen du läste (version)' }).int().positive() })

/** Figures from the indicators feature (handed over by app.ts): 'internal' shows every value, 'outside' the disclosed ones. */
export interface MeasureSources {
  values(viewer: 'internal' | 'outside', indicator: string, layer: string, period: string): ReturnType<EvaluationSources['values']>
  indicators: EvaluationSources['indicators']
}

export function measuresRouter(db: Kysely<Database>, sources: MeasureSources): Router {
  const router = Router()
  /**
   * The caller's figures and the measures as the caller may see them: analysts and admins everything,
   * everyone else the disclosed figures, and no target that gives a hidden or small count away.
   */
  const forCaller = (req: Request) => {
    const viewer = seesInternalFigures(req.user) ? 'internal' : 'outside'
    const figures: EvaluationSources = { values: (indicator, layer, period) => sources.values(viewer, indicator, layer, period), indicators: sources.indicators }
    const disclose: DiscloseMeasures = viewer === 'internal' ? async (ms) => ms : (ms) => discloseMeasures(db, figures, ms)
    return { figures, disclose, one: async (m: MeasureDto) => (await disclose([m]))[0]! }
  }
  router.get('/measures', allow('member'), async (req, res) => {
    res.json(await forCaller(req).disclose(await listMeasures(db, parseInput(measureFilters, req.query))))
  })
  router.post('/measures', allow('member'), async (req, res) => {
    res.status(201).json(await forCaller(req).one(await createMeasure(db, currentUser(req), req.body)))
  })
  router.get('/measures/:id', allow('member'), async (req, res) => {
    res.json(await forCaller(req).one(await getMeasure(db, parseInput(idParams, req.params, 'path').id)))
  })
  // Computed for the caller: analysts and admins test every figure, everyone else only the disclosed ones.
  router.get('/measures/:id/evaluation', allow('member'), async (req, res) => {
    const { figures, one } = forCaller(req)
    const measure = await one(await getMeasure(db, parseInput(idParams, req.params, 'path').id))
    res.json(await evaluateMeasure(db, figures, measure))
  })
  router.patch('/measures/:id', allow('member'), async (req, res) => {
    const { disclose, one } = forCaller(req)
    res.json(await one(await updateMeasure(db, currentUser(req), parseInput(idParams, req.params, 'path').id, req.body, disclose)))
  })
  router.delete('/measures/:id', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    const { version } = parseInput(deleteQuery, req.query)
    await deleteMeasure(db, currentUser(req), id, version, forCaller(req).disclose)
    res.status(204).end()
  })
  return router
}
