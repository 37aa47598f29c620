import { Router } from 'express'
import { allow, seesInternalFigures } from '../../http/access'
import { parseInput } from '../../http/validate'
import { compareQuery } from './operational.schema'
import { compare, type OperationalSources } from './operational.service'

/**
 * The continuous local picture. Members: figures come through the values API as the caller may see them,
 * so a local group gets the same suppression here as on the map.
 */
export function operationalRouter(sources: (internal: boolean) => OperationalSources): Router {
  const router = Router()
  router.get('/operational/compare', allow('member'), async (req, res) => {
    res.json(await compare(sources(seesInternalFigures(req.user)), parseInput(compareQuery, req.query)))
  })
  return router
}
