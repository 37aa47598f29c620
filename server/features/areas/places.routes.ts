import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { allow, currentUser } from '../../http/access'
import { parseBody } from '../../http/validate-body'
import { placeInput } from './areas.schema'
import { createPlace } from './places.service'

export function placesRouter(db: Kysely<Database>): Router {
  const router = Router()
  router.post('/places', allow('member'), async (req, res) => {
    res.status(201).json(await createPlace(db, currentUser(req), parseBody(placeInput, req.body)))
  })
  return router
}
