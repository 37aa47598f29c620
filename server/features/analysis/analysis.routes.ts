import { Router } from 'express'
import type { Kysely } from 'kysely'
import { dataVersion } from '../../../db/data-version'
import type { Database } from '../../../db/schema'
import { allow } from '../../http/access'
import { parseInput } from '../../http/validate'
import { changeQuery, emergingQuery, hotspotsQuery, ratesQuery } from './analysis.schema'
import * as service from './analysis.service'

/**
 * Hot spots (one period, or emerging over many), smoothed rates and change tests. For analysts only: a z-score or a smoothed rate is computed
 * from every count, hidden ones included, and could give a hidden count away; others see published
 * results in snapshots.
 */
export function analysisRouter(db: Kysely<Database>, sources: service.AnalysisSources): Router {
  const router = Router()
  router.get('/analysis/hotspots', allow('analyst'), async (req, res) => {
    res.json(await service.hotspots(db, sources, await dataVersion(db), parseInput(hotspotsQuery, req.query)))
  })
  router.get('/analysis/rates', allow('analyst'), async (req, res) => {
    res.json(await service.rates(db, sources, await dataVersion(db), parseInput(ratesQuery, req.query)))
  })
  router.get('/analysis/change', allow('analyst'), async (req, res) => {
    res.json(await service.change(db, sources, await dataVersion(db), parseInput(changeQuery, req.query)))
  })
  router.get('/analysis/emerging', allow('analyst'), async (req, res) => {
    res.json(await service.emerging(sources, parseInput(emergingQuery, req.query)))
  })
  return router
}
