import { allow } from '../../http/access'
import { prepared } from '../../http/prepared'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { parseInput } from '../../http/validate'
import { areasQuery, layerParams, populationQuery } from './areas.schema'
import { layerPopulation } from './population.service'
import { areaCollectionBody, areaList, layerDtos, queenNeighbours, today } from './areas.service'

export function areasRouter(db: Kysely<Database>): Router {
  const router = Router()

  router.get('/layers', allow('public'), prepared(db, 'figures'), async (_req, res) => {
    res.json(await layerDtos(db))
  })

  router.get('/layers/:layer/areas', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { layer: layerId } = parseInput(layerParams, req.params, 'path')
    const { at = today() } = parseInput(areasQuery, req.query)
    const body = await areaCollectionBody(db, layerId, at)
    // The ETag names the version (no hash of megabytes per request); gzip is made once per version. Kept by
    // `prepared` (the usual case), the answer is hashed and gzipped once there instead.
    res.type('application/geo+json').set('ETag', body.etag).vary('Accept-Encoding')
    if (req.fresh) {
      res.status(304).end()
      return
    }
    // Kept by `prepared`, the plain text is gzipped there once; otherwise the gzip made once per version.
    if (!res.locals.keeping && req.acceptsEncodings('gzip', 'identity') === 'gzip') res.set('Content-Encoding', 'gzip').send(await body.gzipped())
    else res.send(body.text)
  })

  router.get('/layers/:layer/neighbours', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { layer } = parseInput(layerParams, req.params, 'path')
    const { at = today() } = parseInput(areasQuery, req.query)
    res.json(await queenNeighbours(db, layer, at))
  })

  // Public statistics: population per area is published by SCB and the city.
  router.get('/layers/:layer/population', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { layer } = parseInput(layerParams, req.params, 'path')
    const { year } = parseInput(populationQuery, req.query)
    res.json(await layerPopulation(db, layer, year, today()))
  })

  router.get('/areas', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { at = today() } = parseInput(areasQuery, req.query)
    res.json(await areaList(db, at))
  })

  return router
}
