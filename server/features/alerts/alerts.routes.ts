import { Router } from 'express'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { allow, currentUser, seesInternalFigures } from '../../http/access'
import { parseInput } from '../../http/validate'
import { parseBody } from '../../http/validate-body'
import { alertPatch, alertsQuery } from './alerts.schema'
import { listAlerts, patchAlert, type AlertSources } from './alerts.service'

const params = z.object({ id: z.coerce.number().int().positive() })

/** Alerts of rises for members: local groups get those whose figures they may see, analysts every one. */
export function alertsRouter(db: Kysely<Database>, sources: AlertSources): Router {
  const router = Router()
  router.get('/alerts', allow('member'), async (req, res) => {
    const user = currentUser(req)
    res.json(await listAlerts(db, sources, { id: user.id, email: user.email, internal: seesInternalFigures(user) }, parseInput(alertsQuery, req.query)))
  })
  router.patch('/alerts/:id', allow('member'), async (req, res) => {
    const user = currentUser(req)
    const { id } = parseInput(params, req.params, 'path')
    res.json(await patchAlert(db, { id: user.id, email: user.email, internal: seesInternalFigures(user) }, id, parseBody(alertPatch, req.body)))
  })
  return router
}
