/**
 * The map page's view model: what the link asks for (parseView), the data it needs, and everything the
 * controls, the legend, the map and the area panel show. The components only render it.
 */
import { useCallback, useMemo } from 'react'
import { useSearchParams } from 'react-router'
import { featureBounds, type Bounds } from '../../components/map/bounds'
import { paths, type IndicatorDto } from '../../lib/api'
import { classCount, classify, divergingClassify } from '../../lib/classify'
import { useDataSource, type DataSource } from '../../lib/dataSource'
import { formatChange, formatValue, suppressedLabel, unitLabel } from '../../lib/format'
import { areaMetrics, canShowRate, chooseMeasure, cityMetric, hiddenLabels } from '../../lib/metrics'
import { defaultPalette, divergingColors, getPalette } from '../../lib/palettes'
import { useConfig, useIndicators, useLayerAreas, useLayers, useMeasure, useValues } from '../../lib/queries'
import { isAnalyst, useSession, type SessionUser } from '../../lib/session'
import { parseView, serializeView, type MapViewState, type Measure } from '../../lib/viewState'
import { defaultPeriod } from '../../lib/periods'
import { areaStates, useMapAnalysis, withSmoothed } from './useMapAnalysis'

export const OVERLAY_LAYER = 'utsatt_omrade'

export interface MapModelInput {
  view: MapViewState
  source: DataSource
  user: SessionUser | null
  /** ?atgard=<id>: a measure whose areas are marked on the live map. */
  measureId: number | null
}

/** The map from what the link says, the source and the user: pure of the router, so it is tested on its own. */
export function useMapModel({ view, source, user, measureId }: MapModelInput) {
  const snapshot = source.snapshot
  // Analysts see every figure live; they are told which ones the others do not see.
  const internal = !snapshot && isAnalyst(user)
  const shownMeasure = useMeasure(measureId && !snapshot ? measureId : null).data ?? null
  const highlightIds = useMemo(() => shownMeasure?.areaIds ?? [], [shownMeasure])

  const config = useConfig().data ?? null
  const layers = useLayers(source.layers()).data ?? []
  const indicatorsLoad = useIndicators(source.indicators())
  const indicators = indicatorsLoad.data ?? []
  const land = useLayerAreas(paths.layerAreas('stadsomrade')).data ?? null
  const overlay = useLayerAreas(paths.layerAreas(OVERLAY_LAYER)).data ?? null
  const layerId = layers.length && !layers.some((l) => l.id === view.layer) ? layers[0]!.id : view.layer
  const areas = useLayerAreas(layers.length ? source.layerAreas(layerId) : null).data ?? null
  const layer = layers.find((l) => l.id === layerId)
  // The chosen area's extent, for the map to zoom to; kept while the same area stays chosen on the same data.
  const chosenBounds = featureBounds(view.area !== null ? areas?.features.find((f) => f.properties.id === view.area) : null)
  const chosenKey = chosenBounds ? `${view.area}:${chosenBounds.flat().join(',')}` : ''
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const areaBounds: Bounds | null = useMemo(() => chosenBounds, [chosenKey])
  const chosenName = view.area !== null ? (areas?.features.find((f) => f.properties.id === view.area)?.properties.name ?? null) : null

  const indicator: IndicatorDto | undefined =
    indicators.find((i) => i.id === view.indicator) ??
    indicators.find((i) => i.category === 'brott' && i.layers.some((l) => l.layer === layerId)) ??
    indicators[0]
  const onLayer = indicator?.layers.find((l) => l.layer === layerId)
  const periods = onLayer?.periods ?? []
  const period = view.period && periods.includes(view.period) ? view.period : (defaultPeriod(periods) ?? null)
  const change = view.mode === 'change'
  const from = change ? (view.from && periods.includes(view.from) && view.from !== period ? view.from : (periods.find((p) => p !== period) ?? null)) : null

  const valuesLoad = useValues(indicator && onLayer && period ? source.values(indicator.id, layerId, period) : null)
  const values = valuesLoad.data ?? null
  const baseline = useValues(indicator && onLayer && from ? source.values(indicator.id, layerId, from) : null).data ?? null
  const ownRates = canShowRate(values)
  // Where the data carry no population (DeSO, hexagons), analysts get rates on the primärområden's, estimated.
  const estimatedRates = internal && !change && view.analysis === 'none' && indicator?.unit === 'count' && values !== null && !ownRates
  const rateOk = ownRates || estimatedRates
  const measure: Measure = chooseMeasure(view.measure, { ownRates, estimatedRates })
  const perThousand = measure === 'rate'
  const per = view.per
  const unit = indicator?.unit ?? 'count'
  const threshold = values?.suppression.threshold ?? indicator?.minPublishCount ?? 5

  // Only once the values are here: until then the default measure (rate or count) is not known, and a
  // hot spot analysis asked for on the wrong one would be computed for nothing.
  const analysisModel = useMapAnalysis({ internal, change, unit, indicatorId: indicator && onLayer && values ? indicator.id : null, layerId, period, periods, from, measure, estimatedRates, view })
  const { analysis, classified, smoothed, insignificant, analysed, keyParts } = analysisModel

  const metrics = useMemo(
    () => withSmoothed(values && (!change || baseline) ? areaMetrics(values, measure, change ? baseline : undefined, per) : [], smoothed, per),
    [values, baseline, change, measure, smoothed, per],
  )
  const classification = useMemo(() => {
    const xs = metrics.map((m) => m.metric)
    return change ? divergingClassify(xs, view.classes) : classify(xs, view.method, view.classes)
  }, [metrics, change, view.method, view.classes])
  const polarity = indicator?.polarity ?? 'higher_is_worse'
  const palette =
    view.palette && getPalette(view.palette).id === view.palette && (getPalette(view.palette).kind === 'diverging') === change
      ? getPalette(view.palette)
      : defaultPalette({ polarity, mode: change ? 'change' : 'value' })
  const colors = useMemo(() => {
    if (!classification) return []
    const k = classCount(classification)
    return change ? divergingColors(palette, k, polarity) : palette.colors(k)
  }, [classification, palette, change, polarity])
  const { states, shownColors } = useMemo(
    () => areaStates(analysis, classified, metrics, classification, colors, insignificant),
    [metrics, classification, analysis, classified, colors, insignificant],
  )
  const labels = useMemo(() => hiddenLabels(areas, metrics, suppressedLabel(threshold)), [areas, metrics, threshold])

  const city = change
    ? (() => {
        const a = cityMetric(values?.city, measure, per)
        const b = cityMetric(baseline?.city, measure, per)
        return a !== null && b !== null ? a - b : null
      })()
    : cityMetric(values?.city, measure, per)

  const ready = Boolean(values && areas && areas.metadata.layer === layerId && values.layer === layerId && (!change || baseline) && analysed)
  const renderKey = ready
    ? [
        ...[layerId, indicator?.id, period, view.mode, from, measure === 'rate' && per === 100000 ? 'rate100000' : measure, view.method, view.classes, palette.id],
        ...keyParts,
        // Last, so that tests can tell a measure's map by the key's end.
        shownMeasure ? `atgard${shownMeasure.id}` : '',
      ].join('|')
    : ''
  const fmt = (v: number | null) => (change ? formatChange(v, unit, { perThousand, per }) : formatValue(v, unit, { perThousand, per }))
  const legendTitle = `${indicator?.name ?? ''}${change ? ', förändring' : ''} (${change && unit === 'percent' ? 'procentenheter' : unitLabel(unit, { perThousand, per })})`
  // Which year's population the rates are per, and whether estimated (for the note under the measure).
  const populationNote = measure === 'rate' && values?.population ? values.population.note : null

  return {
    view,
    snapshot,
    internal,
    shownMeasure,
    highlightIds,
    config,
    layers,
    indicators,
    indicatorsLoad,
    land,
    overlay,
    layerId,
    layer,
    areas,
    areaBounds,
    chosenName,
    indicator,
    onLayer,
    periods,
    period,
    change,
    from,
    valuesLoad,
    values,
    rateOk,
    measure,
    perThousand,
    per,
    populationNote,
    unit,
    threshold,
    analysis: analysisModel,
    metrics,
    classification,
    palette,
    colors,
    states,
    shownColors,
    labels,
    city,
    ready,
    renderKey,
    fmt,
    legendTitle,
  }
}

export type MapModel = ReturnType<typeof useMapModel>

/** The view model from the page's link, data source and session; `update` writes a change back into the link. */
export function useMapPage() {
  const [params, setParams] = useSearchParams()
  const view = useMemo(() => parseView(params), [params])
  const update = useCallback(
    (patch: Partial<MapViewState>) => setParams(serializeView({ ...parseView(params), ...patch }), { replace: true }),
    [params, setParams],
  )
  const source = useDataSource()
  const { user } = useSession()
  const model = useMapModel({ view, source, user, measureId: Number(params.get('atgard')) || null })
  return { ...model, user, update, search: params.toString() }
}

export type MapPageModel = ReturnType<typeof useMapPage>
export type Update = MapPageModel['update']
