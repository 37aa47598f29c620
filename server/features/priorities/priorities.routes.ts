import { allow, currentUser } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { parseBody } from '../../http/validate-body'
import { parseInput } from '../../http/validate'
import { causeParams, idParams, stepParams, stepStatusInput, versionQuery, type FigureSource } from './priorities.schema'
import {
  addStep,
  createCause,
  createCycle,
  createProblemArea,
  deleteCause,
  deleteProblemArea,
  deleteStep,
  getProblemArea,
  listCauses,
  listCycles,
  listProblemAreas,
  listStepStatus,
  problemAreaHistory,
  setStepStatus,
  updateCause,
  updateCycle,
  updateProblemArea,
  updateStep,
  viewerOf,
} from './priorities.service'

/** No figures: evidence reads as naming its figure only (a router built without the indicators). */
const NO_FIGURES: FigureSource = { figure: async () => null }

/**
 * Cycles and their steps, the steps' status per perspective, problem areas and their orsaksanalys.
 * `figures` derives the evidence's figures (the indicators feature, handed over by app.ts).
 */
export function prioritiesRouter(db: Kysely<Database>, figures: FigureSource = NO_FIGURES): Router {
  const router = Router()

  router.get('/cycles', allow('member'), async (_req, res) => {
    res.json(await listCycles(db))
  })
  router.post('/cycles', allow('analyst'), async (req, res) => {
    res.status(201).json(await createCycle(db, currentUser(req), req.body))
  })
  router.patch('/cycles/:id', allow('analyst'), async (req, res) => {
    res.json(await updateCycle(db, currentUser(req), parseInput(idParams, req.params, 'path').id, req.body))
  })
  router.post('/cycles/:id/steps', allow('analyst'), async (req, res) => {
    res.status(201).json(await addStep(db, currentUser(req), parseInput(idParams, req.params, 'path').id, req.body))
  })
  router.patch('/cycles/:id/steps/:stepId', allow('analyst'), async (req, res) => {
    const { id, stepId } = parseInput(stepParams, req.params, 'path')
    res.json(await updateStep(db, currentUser(req), id, stepId, req.body))
  })
  router.delete('/cycles/:id/steps/:stepId', allow('analyst'), async (req, res) => {
    const { id, stepId } = parseInput(stepParams, req.params, 'path')
    res.json(await deleteStep(db, currentUser(req), id, stepId))
  })

  router.get('/cycles/:id/problem-areas', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.json(await listProblemAreas(db, id))
  })

  router.get('/cycles/:id/status', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.json(await listStepStatus(db, id))
  })
  // Any member: a local group sets its own stadsområde's round (the service refuses the rest).
  router.put('/cycles/:id/status', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.json(await setStepStatus(db, currentUser(req), id, parseBody(stepStatusInput, req.body)))
  })

  router.post('/problem-areas', allow('member'), async (req, res) => {
    res.status(201).json(await createProblemArea(db, currentUser(req), req.body))
  })
  router.get('/problem-areas/:id', allow('member'), async (req, res) => {
    res.json(await getProblemArea(db, parseInput(idParams, req.params, 'path').id))
  })
  router.patch('/problem-areas/:id', allow('member'), async (req, res) => {
    res.json(await updateProblemArea(db, currentUser(req), parseInput(idParams, req.params, 'path').id, req.body))
  })
  router.get('/problem-areas/:id/history', allow('member'), async (req, res) => {
    res.json(await problemAreaHistory(db, parseInput(idParams, req.params, 'path').id))
  })
  router.delete('/problem-areas/:id', allow('analyst'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    await deleteProblemArea(db, currentUser(req), id)
    res.status(204).end()
  })

  router.get('/problem-areas/:id/causes', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.json(await listCauses(db, figures, viewerOf(currentUser(req)), id))
  })
  router.post('/problem-areas/:id/causes', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.status(201).json(await createCause(db, figures, currentUser(req), id, req.body))
  })
  router.patch('/problem-areas/:id/causes/:causeId', allow('member'), async (req, res) => {
    const { id, causeId } = parseInput(causeParams, req.params, 'path')
    res.json(await updateCause(db, figures, currentUser(req), id, causeId, req.body))
  })
  router.delete('/problem-areas/:id/causes/:causeId', allow('member'), async (req, res) => {
    const { id, causeId } = parseInput(causeParams, req.params, 'path')
    const { version } = parseInput(versionQuery, req.query)
    await deleteCause(db, currentUser(req), id, causeId, version)
    res.status(204).end()
  })

  return router
}
