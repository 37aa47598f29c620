import { allow, currentUser } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { parseInput } from '../../http/validate'
import { measureFilters } from './measures.schema'
import { createMeasure, deleteMeasure, getMeasure, listMeasures, updateMeasure } from './measures.service'

const idParams = z.object({ id: z.coerce.number().int().positive() })
const deleteQuery = z.object({ version: z.coerce.number({ error: 'ange versionen du läste (version)' }).int().positive() })

export function measuresRouter(db: Kysely<Database>): Router {
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
