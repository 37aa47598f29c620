import { allow, currentUser } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { parseBody } from '../../http/validate-body'
import { parseInput } from '../../http/validate'
import { idParams, stepStatusInput } from './priorities.schema'
import { deleteProblemArea, listCycles, listProblemAreas, listSamverkansformer, listStepStatus, setStepStatus } from './priorities.service'

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
    res.json(await listStepStatus(db, id))
  })

  router.put('/cycles/:id/status', allow('analyst'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.json(await setStepStatus(db, currentUser(req), id, parseBody(stepStatusInput, req.body)))
  })

  router.delete('/problem-areas/:id', allow('analyst'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    await deleteProblemArea(db, currentUser(req), id)
    res.status(204).end()
  })

  router.get('/samverkansformer', allow('member'), async (_req, res) => {
    res.json(await listSamverkansformer(db))
  })

  return router
}
