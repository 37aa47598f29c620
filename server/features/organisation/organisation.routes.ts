import { Router } from 'express'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { allow, currentUser } from '../../http/access'
import { parseInput } from '../../http/validate'
import { arshjulQuery, meetingFilters, rulesQuery } from './organisation.schema'
import { addAction, arshjul, createGroup, createMeeting, listGroups, listMeetings, meetingRules, updateAction, updateGroup, updateMeeting } from './organisation.service'

const groupParams = z.object({ id: z.string().min(1).max(100) })
const meetingParams = z.object({ id: z.coerce.number().int().positive() })
const actionParams = z.object({ id: z.coerce.number().int().positive(), actionId: z.coerce.number().int().positive() })

/** The cooperation organisation: the agreement's groups and working groups, their meetings and action items. */
export function organisationRouter(db: Kysely<Database>): Router {
  const router = Router()
  router.get('/groups', allow('member'), async (_req, res) => {
    res.json(await listGroups(db))
  })
  router.post('/groups', allow('analyst'), async (req, res) => {
    res.status(201).json(await createGroup(db, currentUser(req), req.body))
  })
  router.patch('/groups/:id', allow('analyst'), async (req, res) => {
    res.json(await updateGroup(db, currentUser(req), parseInput(groupParams, req.params, 'path').id, req.body))
  })
  router.get('/meetings/rules', allow('member'), async (req, res) => {
    res.json(await meetingRules(db, parseInput(rulesQuery, req.query).year))
  })
  router.get('/arshjul', allow('member'), async (req, res) => {
    res.json(await arshjul(db, parseInput(arshjulQuery, req.query).year))
  })
  router.get('/meetings', allow('member'), async (req, res) => {
    res.json(await listMeetings(db, parseInput(meetingFilters, req.query)))
  })
  router.post('/meetings', allow('member'), async (req, res) => {
    res.status(201).json(await createMeeting(db, currentUser(req), req.body))
  })
  router.patch('/meetings/:id', allow('member'), async (req, res) => {
    res.json(await updateMeeting(db, currentUser(req), parseInput(meetingParams, req.params, 'path').id, req.body))
  })
  router.post('/meetings/:id/actions', allow('member'), async (req, res) => {
    res.status(201).json(await addAction(db, currentUser(req), parseInput(meetingParams, req.params, 'path').id, req.body))
  })
  router.patch('/meetings/:id/actions/:actionId', allow('member'), async (req, res) => {
    const { id, actionId } = parseInput(actionParams, req.params, 'path')
    res.json(await updateAction(db, currentUser(req), id, actionId, req.body))
  })
  return router
}
