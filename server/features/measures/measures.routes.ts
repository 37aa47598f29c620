import { allow, currentUser, seesInternalFigures } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { parseInput } from '../../http/validate'
import { evaluateMeasure, type EvaluationSources } from './measures.evaluation'
import { measureFilters } from './measures.schema'
import { createMeasure, deleteMeasure, getMeasure, listMeasures, updateMeasure } from './measures.service'

const idParams = z.object({ id: z.coerce.number().int().positive() })
export const deleteQuery = z.object({ version: z.coerce.number({ error: 'ange versionen du läste (version)' }).int().positive() })

/** Figures from the indicators feature (handed over by app.ts): 'internal' shows every value, 'outside' the disclosed ones. */
export interface MeasureSources {
  values(viewer: 'internal' | 'outside', indicator: string, layer: string, period: string): ReturnType<EvaluationSources['values']>
  indicators: EvaluationSources['indicators']
}

export function measuresRouter(db: Kysely<Database>, sources: MeasureSources): Router {
  const router = Router()
  router.get('/measures', allow('member'), async (req, res) => {
    res.json(await listMeasures(db, parseInput(measureFilters, req.query)))
  })
  router.post('/measures', allow('member'), async (req, res) => {
    res.status(201).json(await createMeasure(db, currentUser(req), req.body))
  })
  router.get('/measures/:id', allow('member'), async (req, res) => {
    res.json(await getMeasure(db, parseInput(idParams, req.params, 'path').id))
  })
  // Computed for the caller: analysts and admins test every figure, everyone else only the disclosed ones.
  router.get('/measures/:id/evaluation', allow('member'), async (req, res) => {
    const measure = await getMeasure(db, parseInput(idParams, req.params, 'path').id)
    const viewer = seesInternalFigures(req.user) ? 'internal' : 'outside'
    res.json(await evaluateMeasure(db, { values: (indicator, layer, period) => sources.values(viewer, indicator, layer, period), indicators: sources.indicators }, measure))
  })
  router.patch('/measures/:id', allow('member'), async (req, res) => {
    res.json(await updateMeasure(db, currentUser(req), parseInput(idParams, req.params, 'path').id, req.body))
  })
  router.delete('/measures/:id', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    const { version } = parseInput(deleteQuery, req.query)
    await deleteMeasure(db, currentUser(req), id, version)
    res.status(204).end()
  })
  return router
}
