import { allow, currentUser, seesInternalFigures } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { toExcelCsv } from '../../core/csv'
import { disclosureNote, downloadName, valuesFeatureCollection } from '../../core/values-geojson'
import { parseInput } from '../../http/validate'
import { deleteQuery } from './indicators.catalogue.schema'
import { createIndicator, deleteIndicator, indicatorHistory, updateIndicator } from './indicators.catalogue.service'
import { indicatorParams, seriesQuery, valuesQuery } from './indicators.schema'
import { getIndicators, getSeries, getValues } from './indicators.service'

/** A layer's current areas as GeoJSON text (the map's display copy), handed over by the app: features do not import each other. */
export interface IndicatorSources {
  areas(layerId: string, at?: string): Promise<string>
}

export function indicatorsRouter(db: Kysely<Database>, sources?: IndicatorSources): Router {
  const router = Router()
  router.get('/indicators', allow('public'), async (_req, res) => {
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
  router.get('/indicators/:id/values', allow('member'), async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    const { layer, period, format } = parseInput(valuesQuery, req.query)
    const values = await getValues(db, seesInternalFigures(req.user) ? 'internal' : 'outside', id, layer, period)
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
    // Swedish Excel opens this as it is: UTF-8 with BOM, semicolons, decimal comma.
    const hiddenText = (v: (typeof values.values)[number]) =>
      v.suppressed ? 'ja' : v.hiddenOutside === 'primary' ? 'nej (döljs utanför analys: för få)' : v.hiddenOutside === 'secondary' ? 'nej (döljs utanför analys: skyddar annat värde)' : 'nej'
    // The disclosure note travels with every row (an import ignores Anmärkning), as source and period do.
    const note = disclosureNote(values.suppression)
    // Indikator and Indelning make the file one the indicator-table import reads back as it is.
    const rows = values.values.map((v) => [v.name, v.code, values.period, v.value, v.numerator ?? null, v.denominator ?? null, v.ciLow ?? null, v.ciHigh ?? null, hiddenText(v), values.source, note, values.indicator, values.layer])
    // A count's denominator is the area's population (derived, never imported): named so, it reads back as no denominator.
    const header = ['Område', 'Kod', 'Period', 'Värde', 'Täljare', values.unit === 'count' ? 'Befolkning' : 'Nämnare', 'KI nedre', 'KI övre', 'Dold', 'Källa', 'Anmärkning', 'Indikator', 'Indelning']
    res
      .type('text/csv; charset=utf-8')
      .attachment(`lagesbild_${values.indicator}_${values.layer}_${values.period}.csv`)
      .send(toExcelCsv(header, rows))
  })
  router.get('/indicators/:id/series', allow('member'), async (req, res) => {
    const { id } = parseInput(indicatorParams, req.params, 'path')
    const { areas, periodKind } = parseInput(seriesQuery, req.query)
    res.json(await getSeries(db, seesInternalFigures(req.user) ? 'internal' : 'outside', id, areas, periodKind))
  })
  return router
}
