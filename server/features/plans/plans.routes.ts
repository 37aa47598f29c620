import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { allow, currentUser } from '../../http/access'
import { parseInput } from '../../http/validate'
import { decisionFilters } from './decisions.schema'
import { createDecision, decisionGroups, deleteDecision, getDecision, listDecisions } from './decisions.service'
import { idParams, planFilters, rowParams, versionParams } from './plans.schema'
import { addFollowUp, adoptVersion, createPlan, deletePlan, getPlan, listPlans, newVersion, saveDraft } from './plans.service'

/** Åtgärdsplaner in versions and the register of the ledningsgruppernas decisions that adopt them. */
export function plansRouter(db: Kysely<Database>): Router {
  const router = Router()

  router.get('/decision-groups', allow('member'), async (_req, res) => {
    res.json(await decisionGroups(db))
  })
  router.get('/decisions', allow('member'), async (req, res) => {
    res.json(await listDecisions(db, parseInput(decisionFilters, req.query)))
  })
  router.post('/decisions', allow('member'), async (req, res) => {
    res.status(201).json(await createDecision(db, currentUser(req), req.body))
  })
  router.get('/decisions/:id', allow('member'), async (req, res) => {
    res.json(await getDecision(db, parseInput(idParams, req.params, 'path').id))
  })
  router.delete('/decisions/:id', allow('analyst'), async (req, res) => {
    await deleteDecision(db, currentUser(req), parseInput(idParams, req.params, 'path').id)
    res.status(204).end()
  })

  router.get('/plans', allow('member'), async (req, res) => {
    res.json(await listPlans(db, parseInput(planFilters, req.query)))
  })
  router.post('/plans', allow('member'), async (req, res) => {
    res.status(201).json(await createPlan(db, currentUser(req), req.body))
  })
  router.get('/plans/:id', allow('member'), async (req, res) => {
    res.json(await getPlan(db, parseInput(idParams, req.params, 'path').id))
  })
  router.delete('/plans/:id', allow('member'), async (req, res) => {
    await deletePlan(db, currentUser(req), parseInput(idParams, req.params, 'path').id)
    res.status(204).end()
  })
  router.post('/plans/:id/versions', allow('member'), async (req, res) => {
    res.status(201).json(await newVersion(db, currentUser(req), parseInput(idParams, req.params, 'path').id))
  })
  router.put('/plans/:id/versions/:v', allow('member'), async (req, res) => {
    const { id, v } = parseInput(versionParams, req.params, 'path')
    res.json(await saveDraft(db, currentUser(req), id, v, req.body))
  })
  router.post('/plans/:id/versions/:v/adopt', allow('member'), async (req, res) => {
    const { id, v } = parseInput(versionParams, req.params, 'path')
    res.json(await adoptVersion(db, currentUser(req), id, v, req.body))
  })
  router.post('/plans/:id/rows/:rowId/followups', allow('member'), async (req, res) => {
    const { id, rowId } = parseInput(rowParams, req.params, 'path')
    res.status(201).json(await addFollowUp(db, currentUser(req), id, rowId, req.body))
  })
  return router
}
