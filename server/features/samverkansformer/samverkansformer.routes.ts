import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { allow, currentUser } from '../../http/access'
import { parseInput } from '../../http/validate'
import { adaptationParams, idParams } from './samverkansformer.schema'
import { getSamverkansform, listSamverkansformer, setAdaptation, updateSamverkansform } from './samverkansformer.service'

/** The samverkansformer register: agreement, parties, status, local adaptations, decisions and measures. */
export function samverkansformerRouter(db: Kysely<Database>): Router {
  const router = Router()
  router.get('/samverkansformer', allow('member'), async (_req, res) => {
    res.json(await listSamverkansformer(db))
  })
  router.get('/samverkansformer/:id', allow('member'), async (req, res) => {
    res.json(await getSamverkansform(db, currentUser(req), parseInput(idParams, req.params, 'path').id))
  })
  router.patch('/samverkansformer/:id', allow('analyst'), async (req, res) => {
    res.json(await updateSamverkansform(db, currentUser(req), parseInput(idParams, req.params, 'path').id, req.body))
  })
  // Any member: a local group writes its own stadsområde's adaptation (the service refuses the rest).
  router.put('/samverkansformer/:id/adaptations/:stadsomradeCode', allow('member'), async (req, res) => {
    const { id, stadsomradeCode } = parseInput(adaptationParams, req.params, 'path')
    res.json(await setAdaptation(db, currentUser(req), id, stadsomradeCode, req.body))
  })
  return router
}
