import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { allow, currentUser } from '../../http/access'
import { parseBody } from '../../http/validate-body'
import { communicationPlanBody } from './communication.schema'
import { getPlan, savePlan } from './communication.service'

/** The communication plan: who speaks for staden and for polisen on each topic. Members read it, analysts keep it. */
export function communicationRouter(db: Kysely<Database>): Router {
  const router = Router()
  router.get('/communication-plan', allow('member'), async (_req, res) => {
    res.json(await getPlan(db))
  })
  router.put('/communication-plan', allow('analyst'), async (req, res) => {
    res.json(await savePlan(db, currentUser(req), parseBody(communicationPlanBody, req.body)))
  })
  return router
}
