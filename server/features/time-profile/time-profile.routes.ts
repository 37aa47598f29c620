import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { allow, seesInternalFigures } from '../../http/access'
import { parseInput } from '../../http/validate'
import { profileLayers } from './time-profile.repository'
import { timeProfileQuery, type TimeProfileLayersDto } from './time-profile.schema'
import { OUTSIDE_LAYER, timeProfile, type TimeProfileSources } from './time-profile.service'

/** Weekday × hour tables for members: analysts see every count, everyone else the disclosed tables of stadsområden. */
export function timeProfileRouter(db: Kysely<Database>, sources: TimeProfileSources): Router {
  const router = Router()
  router.get('/analysis/time-profile', allow('member'), async (req, res) => {
    res.json(await timeProfile(db, sources, seesInternalFigures(req.user), parseInput(timeProfileQuery, req.query)))
  })
  router.get('/analysis/time-profile/layers', allow('member'), async (req, res) => {
    const internal = seesInternalFigures(req.user)
    const rows = (await profileLayers(db)).filter((r) => internal || r.layer_id === OUTSIDE_LAYER)
    const body: TimeProfileLayersDto = { layers: rows.map((r) => ({ indicator: r.indicator_id, layer: r.layer_id })) }
    res.json(body)
  })
  return router
}
