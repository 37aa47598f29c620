import { allow, currentUser, seesInternalFigures } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { downloadName, seriesCsv, valuesCsv, valuesFeatureCollection } from '../../core/values-geojson'
import { parseInput } from '../../http/validate'
import { doNotKeep, prepared } from '../../http/prepared'
import { deleteQuery } from './indicators.catalogue.schema'
import { createIndicator, deleteIndicator, indicatorHistory, updateIndicator } from './indicators.catalogue.service'
import { indicatorParams, seriesQuery, valuesQuery } from './indicators.schema'
import { getIndicators, getSeries, getValues, isProvisional } from './indicators.service'

/** A layer's current areas as GeoJSON text (the map's display copy), handed over by the app: features do not import each other. */
export interface IndicatorSources {
  areas(layerId: string, at?: string): Promise<string>
}

export function indicatorsRouter(db: Kysely<Database>, sources?: IndicatorSources): Router {
  const router = Router()
  router.get('/indicators', allow('public'), prepared(db, 'figures'), async (_req, res) => {
    res.json(await getIndicators(db))
  })
  // The catalogue: analysts define indicators (an import then accepts their values).
  router.post('/indicators', allow('analyst'), async (req, res) => {
    res.status(201).json(await createIndicator(db, currentUser(req), req.body))
  })
  router.patch('/indicators/:id', allow('analyst'), async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    res.json(await updateIndicator(db, currentUser(req), id, req.body))
  })
  router.delete('/indicators/:id', allow('analyst'), async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    const { version } = parseInput(deleteQuery, req.query)
    await deleteIndicator(db, currentUser(req), id, version)
    res.status(204).end()
  })
  router.get('/indicators/:id/history', allow('analyst'), async (req, res) => {
    res.json(await indicatorHistory(db, parseInput(indicatorParams, req.params, 'path').id))
  })
  router.get('/indicators/:id/values', allow('member'), prepared(db, 'figures'), async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    const { layer, period, format } = parseInput(valuesQuery, req.query)
    const values = await getValues(db, seesInternalFigures(req.user) ? 'internal' : 'outside', id, layer, period)
    // Figures the LP audit has not settled change without a write; a download says when it was made.
    if (isProvisional(values) || format === 'geojson') doNotKeep(res)
    if (format === 'json') {
      res.json(values)
      return
    }
    if (format === 'geojson') {
      if (!sources) throw new Error('indicatorsRouter: no area source for geojson')
      let areas = JSON.parse(await sources.areas(values.layer)) as { features: Array<{ geometry: unknown; properties: { id: number } }> }
      // An area retired since the period still has its shape as it was at the period's end.
      const have = new Set(areas.features.map((f) => f.properties.id))
      if (values.values.some((v) => !have.has(v.areaId))) {
        const then = JSON.parse(await sources.areas(values.layer, values.periodEnd)) as typeof areas
        areas = { features: [...areas.features, ...then.features.filter((f) => !have.has(f.properties.id))] }
      }
      const name = (await getIndicators(db)).find((i) => i.id === values.indicator)?.name ?? values.indicator
      res
        .type('application/geo+json')
        .attachment(downloadName(values, 'geojson'))
        .send(JSON.stringify(valuesFeatureCollection(values, areas, { name, generatedAt: new Date().toISOString() })))
      return
    }
    res.type('text/csv; charset=utf-8').attachment(downloadName(values, 'csv')).send(valuesCsv(values))
  })
  router.get('/indicators/:id/series', allow('member'), prepared(db, 'figures'), async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    const { areas, periodKind, format } = parseInput(seriesQuery, req.query)
    const series = await getSeries(db, seesInternalFigures(req.user) ? 'internal' : 'outside', id, areas, periodKind)
    if (isProvisional(series)) doNotKeep(res)
    if (format === 'json') {
      res.json(series)
      return
    }
    const span = series.periods.length ? `${series.periods[0]}-${series.periods.at(-1)}` : 'inga-perioder'
    res.type('text/csv; charset=utf-8').attachment(downloadName({ indicator: series.indicator, layer: 'jamforelse', period: span }, 'csv')).send(seriesCsv(series))
  })
  return router
}
