import { Router } from 'express'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { allow, currentUser } from '../../http/access'
import { parseInput } from '../../http/validate'
import { deleteQuery, reportFilters } from './field-reports.schema'
import { createCategory, createReport, deleteCategory, deleteReport, listCategories, listReports, reportableAreas, reportablePlaces, updateCategory, updateReport } from './field-reports.service'

const reportParams = z.object({ id: z.coerce.number().int().positive() })
const categoryParams = z.object({ id: z.string().min(1).max(64) })

/** Field reports (trygghetsrapporter): local groups' weekly counts by category, and the managed category list. */
export function fieldReportsRouter(db: Kysely<Database>): Router {
  const router = Router()
  router.get('/field-reports/categories', allow('member'), async (_req, res) => {
    res.json(await listCategories(db))
  })
  router.post('/field-reports/categories', allow('analyst'), async (req, res) => {
    res.status(201).json(await createCategory(db, currentUser(req), req.body))
  })
  router.patch('/field-reports/categories/:id', allow('analyst'), async (req, res) => {
    res.json(await updateCategory(db, currentUser(req), parseInput(categoryParams, req.params, 'path').id, req.body))
  })
  router.delete('/field-reports/categories/:id', allow('analyst'), async (req, res) => {
    await deleteCategory(db, currentUser(req), parseInput(categoryParams, req.params, 'path').id)
    res.status(204).end()
  })
  router.get('/field-reports/areas', allow('member'), async (req, res) => {
    res.json(await reportableAreas(db, currentUser(req)))
  })
  router.get('/field-reports/places', allow('member'), async (req, res) => {
    res.json(await reportablePlaces(db, currentUser(req)))
  })
  router.get('/field-reports', allow('member'), async (req, res) => {
    res.json(await listReports(db, currentUser(req), parseInput(reportFilters, req.query)))
  })
  router.post('/field-reports', allow('member'), async (req, res) => {
    res.status(201).json(await createReport(db, currentUser(req), req.body))
  })
  router.patch('/field-reports/:id', allow('member'), async (req, res) => {
    res.json(await updateReport(db, currentUser(req), parseInput(reportParams, req.params, 'path').id, req.body))
  })
  router.delete('/field-reports/:id', allow('member'), async (req, res) => {
    const { id } = parseInput(reportParams, req.params, 'path')
    await deleteReport(db, currentUser(req), id, parseInput(deleteQuery, req.query).version)
    res.status(204).end()
  })
  return router
}
