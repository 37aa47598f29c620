import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { allow, currentUser, seesInternalFigures } from '../../http/access'
import { cacheForever } from '../../http/caching'
import { doNotKeep, prepared } from '../../http/prepared'
import { parseInput } from '../../http/validate'
import { downloadName, valuesCsv, valuesFeatureCollection, type ValuesForDownload } from '../../core/values-geojson'
import { parseBody } from '../../http/validate-body'
import { deckBody, meetingQuery, snapshotAreasQuery, snapshotBody, snapshotParams, snapshotSeriesQuery, snapshotValuesQuery } from './snapshots.schema'
import * as service from './snapshots.service'
import { areaCsv, areaPage, latestPublishedId } from './area-page'
import { approveBody, areaCodeParams, areaCsvParams, areaPageQuery, statementBody } from './statement.schema'
import { approveStatement, getStatement, writeStatement } from './statement.service'

/** Frozen, published lägesbilder: what the public and the strategic forum see. */
export function snapshotsRouter(db: Kysely<Database>, sources: service.SnapshotSources): Router {
  const router = Router()
  router.get('/snapshots', allow('public'), prepared(db), async (req, res) => {
    res.json(await service.listSnapshotDtos(db, seesInternalFigures(req.user)))
  })
  router.post('/snapshots', allow('analyst'), async (req, res) => {
    res.status(201).json(await service.createSnapshot(db, sources, currentUser(req), parseBody(snapshotBody, req.body)))
  })
  router.get('/snapshots/:id', allow('public'), prepared(db), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    cacheForever(req, res)
    res.json(await service.getSnapshot(db, id, seesInternalFigures(req.user)))
  })
  router.delete('/snapshots/:id', allow('analyst'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    await service.deleteSnapshot(db, currentUser(req), id)
    res.status(204).end()
  })
  router.post('/snapshots/:id/publish', allow('analyst'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    res.json(await service.publishSnapshot(db, currentUser(req), id))
  })
  // The snapshot's catalogue and layers in the live API's shapes, so the map reads a snapshot like live data.
  router.get('/snapshots/:id/indicators', allow('public'), prepared(db), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    cacheForever(req, res)
    res.json((await service.getSnapshot(db, id, seesInternalFigures(req.user))).indicatorInfo)
  })
  router.get('/snapshots/:id/layers', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    cacheForever(req, res)
    res.json((await service.getSnapshot(db, id, seesInternalFigures(req.user))).layerInfo)
  })
  router.get('/snapshots/:id/values', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    cacheForever(req, res)
    const q = parseInput(snapshotValuesQuery, req.query)
    const internal = seesInternalFigures(req.user)
    const values = await service.getSnapshotValues(db, id, internal, q.indicator, q.layer, q.period)
    if (q.format === 'csv') {
      const frozen = { ...(values as unknown as ValuesForDownload), indicator: q.indicator, layer: q.layer }
      res.type('text/csv; charset=utf-8').attachment(downloadName(frozen, 'csv')).send(valuesCsv(frozen))
      return
    }
    if (q.format === 'geojson') {
      // A download says when it was made.
      doNotKeep(res)
      const frozen = { ...(values as unknown as ValuesForDownload), indicator: q.indicator, layer: q.layer }
      const stored = await service.getSnapshotAreas(db, id, internal, q.layer)
      const areas = (typeof stored === 'string' ? JSON.parse(stored) : stored) as { features: [] }
      const name = (await service.getSnapshot(db, id, internal)).indicatorInfo.find((i) => i.id === q.indicator)?.name
      res
        .type('application/geo+json')
        .attachment(downloadName(frozen, 'geojson'))
        .send(JSON.stringify(valuesFeatureCollection(frozen, areas, { name: typeof name === 'string' ? name : q.indicator, generatedAt: new Date().toISOString(), snapshot: id })))
      return
    }
    res.json(values)
  })
  router.get('/snapshots/:id/series', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    cacheForever(req, res)
    const q = parseInput(snapshotSeriesQuery, req.query)
    res.json(await service.getSnapshotSeries(db, id, seesInternalFigures(req.user), q.indicator, q.areas, q.periodKind))
  })
  router.get('/snapshots/:id/areas', allow('public'), prepared(db, 'figures'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    cacheForever(req, res)
    const { layer } = parseInput(snapshotAreasQuery, req.query)
    res.type('application/geo+json').json(await service.getSnapshotAreas(db, id, seesInternalFigures(req.user), layer))
  })
  router.get('/snapshots/:id/deck', allow('public'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    res.json(await service.getDeck(db, id, seesInternalFigures(req.user)))
  })
  router.put('/snapshots/:id/deck', allow('analyst'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    res.json(await service.saveDeck(db, currentUser(req), id, parseBody(deckBody, req.body)))
  })
  router.get('/snapshots/:id/meeting', allow('public'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    res.json(await service.getMeeting(db, sources, id, seesInternalFigures(req.user), req.user !== undefined, parseInput(meetingQuery, req.query)))
  })
  // The joint statement: analysts write it; staden and polisen each approve it once; then the public sees it.
  router.get('/snapshots/:id/statement', allow('public'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    res.json(await getStatement(db, id, seesInternalFigures(req.user)))
  })
  router.post('/snapshots/:id/statement', allow('analyst'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    res.json(await writeStatement(db, currentUser(req), id, parseBody(statementBody, req.body)))
  })
  router.post('/snapshots/:id/statement/approve', allow('analyst'), async (req, res) => {
    const { id } = parseInput(snapshotParams, req.params, 'path')
    res.json(await approveStatement(db, currentUser(req), id, parseBody(approveBody, req.body ?? {})))
  })
  // The public page of a stadsområde, in one call, from published lägesbilder only (the latest by default).
  router.get('/stadsomraden/:code', allow('public'), prepared(db), async (req, res) => {
    const { code } = parseInput(areaCodeParams, req.params, 'path')
    const { snapshot } = parseInput(areaPageQuery, req.query)
    res.json(await areaPage(db, sources, snapshot ?? (await latestPublishedId(db)), code))
  })
  router.get('/snapshots/:id/stadsomraden/:code.csv', allow('public'), async (req, res) => {
    const { id, code } = parseInput(areaCsvParams, req.params, 'path')
    const { filename, csv } = await areaCsv(db, id, code)
    res.type('text/csv; charset=utf-8').attachment(filename).send(csv)
  })
  return router
}
