import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { parseInput } from '../../http/validate'
import { indicatorParams, seriesQuery, valuesQuery } from './indicators.schema'
import { getIndicators, getSeries, getValues } from './indicators.service'

export function indicatorsRouter(db: Kysely<Database>): Router {
  const router = Router()
  router.get('/indicators', async (_req, res) => {
    res.json(await getIndicators(db))
  })
  router.get('/indicators/:id/values', async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    const { layer, period } = parseInput(valuesQuery, req.query)
    res.json(await getValues(db, id, layer, period))
  })
  router.get('/indicators/:id/series', async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    const { areas } = parseInput(seriesQuery, req.query)
    res.json(await getSeries(db, id, areas))
  })
  return router
}
