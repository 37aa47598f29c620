import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { allow, seesInternalFigures } from '../../http/access'
import { parseInput } from '../../http/validate'
import { profileMonths } from './time-profile.repository'
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
    const layers = new Map<string, TimeProfileLayersDto['layers'][number]>()
    for (const r of await profileMonths(db)) {
      if (!internal && r.layer_id !== OUTSIDE_LAYER) continue
      const k = `${r.indicator_id}|${r.layer_id}`
      const l = layers.get(k) ?? layers.set(k, { indicator: r.indicator_id, layer: r.layer_id, months: [] }).get(k)!
      l.months.push(r.period)
    }
    const body: TimeProfileLayersDto = { layers: [...layers.values()] }
    res.json(body)
  })
  return router
}
