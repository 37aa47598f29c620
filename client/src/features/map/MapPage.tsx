import { useCallback, useMemo, useState, type ReactNode } from 'react'
import { Link, useSearchParams } from 'react-router'
import type { Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { CategoryLegend, Legend } from '../../components/map/Legend'
import { MapView } from '../../components/map/MapView'
import { ANALYSIS_LABELS, categoryCounts, NOT_SIGNIFICANT_CHANGE, SMOOTH_LABELS, SMOOTH_NOTE } from '../../lib/analysis'
import { paths, type IndicatorDto } from '../../lib/api'
import { useConfig, useIndicators, useLayerAreas, useLayers, useMeasure, useValues } from '../../lib/queries'
import { useDataSource } from '../../lib/dataSource'
import { isAnalyst, useSession } from '../../lib/session'
import { classCount, classify, divergingClassify } from '../../lib/classify'
import { formatChange, formatNumber, formatValue, hiddenExplanation, hiddenOutsideLabel, periodLabel, suppressedLabel, unitLabel } from '../../lib/format'
import { areaMetrics, canShowRate, cityMetric, hiddenLabels, metricOf } from '../../lib/metrics'
import { defaultPalette, divergingColors, getPalette, NO_DATA_COLOR, PALETTES } from '../../lib/palettes'
import { parseView, serializeView, type MapViewState, type Smooth } from '../../lib/viewState'
import { AreaPanel } from './AreaPanel'
import { DrawPlace } from './DrawPlace'
import { Metadata } from './Metadata'
import { areaStates, describeHotspot, useMapAnalysis, withSmoothed } from './useMapAnalysis'

const CATEGORIES: Array<{ id: IndicatorDto['category']; label: string }> = [
  { id: 'brott', label: 'Brott' },
  { id: 'otrygghet', label: 'Otrygghet' },
  { id: 'riskfaktor', label: 'Riskfaktorer' },
  { id: 'skyddsfaktor', label: 'Skyddsfaktorer' },
]
const METHOD_LABELS = { quantile: 'Kvantiler (lika många områden per klass)', jenks: 'Naturliga brytpunkter (Jenks)', equal: 'Lika intervall' }
const OVERLAY_LAYER = 'utsatt_omrade'

/**
 * What other features add to the map page, filled in by client/src/app (features do not import each other).
 * The page decides where and when each shows; a slot left out shows nothing.
 */
export interface MapPageSlots {
  /** Analysts on the live map: freeze the figures, with the map as it is set, into a snapshot. */
  createSnapshot?(p: { settings: Record<string, unknown>; mapIndicator: { id: string; name: string } | null }): ReactNode
  /** Analysts on a snapshot's map: the map as it is set becomes the next slide of the snapshot's presentation. */
  addToDeck?(p: { snapshotId: number; slide: Extract<Slide, { kind: 'map' }>; disabledReason: string | null }): ReactNode
  /** In the area panel on the live map: the measures that run in the area. */
  areaMeasures?(areaId: number): ReactNode
}

export function MapPage(slots: MapPageSlots) {
  const [params, setParams] = useSearchParams()
  const view = useMemo(() => parseView(params), [params])
  const update = useCallback(
    (patch: Partial<MapViewState>) => setParams(serializeView({ ...parseView(params), ...patch }), { replace: true }),
    [params, setParams],
  )
  const source = useDataSource()
  const snapshot = source.snapshot
  const { user } = useSession()
  // Analysts see every figure live; they are told which ones the others do not see.
  const internal = !snapshot && isAnalyst(user)
  const [hover, setHover] = useState<{ id: number; x: number; y: number } | null>(null)
  const [corners, setCorners] = useState<Array<[number, number]> | null>(null)
  const measureId = Number(params.get('atgard')) || null
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

  const indicator =
    indicators.find((i) => i.id === view.indicator) ??
    indicators.find((i) => i.category === 'brott' && i.layers.some((l) => l.layer === layerId)) ??
    indicators[0]
  const onLayer = indicator?.layers.find((l) => l.layer === layerId)
  const periods = onLayer?.periods ?? []
  const period = view.period && periods.includes(view.period) ? view.period : (periods.at(-1) ?? null)
  const change = view.mode === 'change'
  const from = change ? (view.from && periods.includes(view.from) && view.from !== period ? view.from : (periods.find((p) => p !== period) ?? null)) : null

  const valuesLoad = useValues(indicator && onLayer && period ? source.values(indicator.id, layerId, period) : null)
  const values = valuesLoad.data ?? null
  const baseline = useValues(indicator && onLayer && from ? source.values(indicator.id, layerId, from) : null).data ?? null
  const ownRates = canShowRate(values)
  // Where the data carry no population (DeSO, hexagons), analysts get rates on the primärområden's, estimated.
  const estimatedRates = internal && !change && view.analysis === 'none' && indicator?.unit === 'count' && values !== null && !ownRates
  const rateOk = ownRates || estimatedRates
  const measure = view.measure === 'rate' && rateOk ? 'rate' : 'value'
  const perThousand = measure === 'rate'
  const unit = indicator?.unit ?? 'count'
  const threshold = values?.suppression.threshold ?? indicator?.minPublishCount ?? 5

  const { canAnalyse, analysis, smooth, hotspotsLoad, ratesLoad, changeLoad, hotspots, smoothed, smoothedRows, changeTest, insignificant, hotspotOf, analysed, keyParts } =
    useMapAnalysis({ internal, change, unit, indicatorId: indicator && onLayer ? indicator.id : null, layerId, period, from, measure, estimatedRates, view })

  const metrics = useMemo(
    () => withSmoothed(values && (!change || baseline) ? areaMetrics(values, measure, change ? baseline : undefined) : [], smoothed),
    [values, baseline, change, measure, smoothed],
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
    () => areaStates(analysis, hotspots, metrics, classification, colors, insignificant),
    [metrics, classification, analysis, hotspots, colors, insignificant],
  )
  const labels = useMemo(() => hiddenLabels(areas, metrics, suppressedLabel(threshold)), [areas, metrics, threshold])

  const city = change
    ? (() => {
        const a = cityMetric(values?.city, measure)
        const b = cityMetric(baseline?.city, measure)
        return a !== null && b !== null ? a - b : null
      })()
    : cityMetric(values?.city, measure)

  const ready = Boolean(values && areas && areas.metadata.layer === layerId && values.layer === layerId && (!change || baseline) && analysed)
  const renderKey = ready
    ? [
        ...[layerId, indicator?.id, period, view.mode, from, measure, view.method, view.classes, palette.id],
        ...keyParts,
        // Last, so that tests can tell a measure's map by the key's end.
        shownMeasure ? `atgard${shownMeasure.id}` : '',
      ].join('|')
    : ''
  const fmt = (v: number | null) => (change ? formatChange(v, unit, { perThousand }) : formatValue(v, unit, { perThousand }))
  const hovered = hover ? metrics.find((m) => m.areaId === hover.id) : undefined
  const legendTitle = `${indicator?.name ?? ''}${change ? ', förändring' : ''} (${change && unit === 'percent' ? 'procentenheter' : unitLabel(unit, { perThousand })})`

  return (
    <div className="map-page">
      <section className="controls" aria-label="Kartinställningar">
        <div className="field">
          <label htmlFor="ctl-layer">Indelning</label>
          <select id="ctl-layer" value={layerId} onChange={(e) => update({ layer: e.target.value, area: null })}>
            {layers.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
                {l.approximate ? ' (ungefärliga gränser)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ctl-indicator">Indikator</label>
          <select id="ctl-indicator" value={indicator?.id ?? ''} onChange={(e) => update({ indicator: e.target.value, period: null, from: null })}>
            {CATEGORIES.map((c) => (
              <optgroup key={c.id} label={c.label}>
                {indicators
                  .filter((i) => i.category === c.id)
                  .map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        {indicator && !onLayer && (
          <p role="status" className="notice">
            {indicator.name} finns inte för {layer?.name ?? layerId}. Finns för:{' '}
            {indicator.layers.map((l) => layers.find((x) => x.id === l.layer)?.name ?? l.layer).join(', ')}.
          </p>
        )}
        <fieldset className="field">
          <legend>Visa</legend>
          <label>
            <input type="radio" name="mode" checked={!change} onChange={() => update({ mode: 'value' })} /> Värde för en period
          </label>
          <label>
            <input type="radio" name="mode" checked={change} disabled={periods.length < 2} onChange={() => update({ mode: 'change' })} />{' '}
            Förändring mellan två perioder
          </label>
        </fieldset>
        <div className="field-row">
          {change && (
            <div className="field">
              <label htmlFor="ctl-from">Från</label>
              <select id="ctl-from" value={from ?? ''} onChange={(e) => update({ from: e.target.value })}>
                {periods
                  .filter((p) => p !== period)
                  .map((p) => (
                    <option key={p} value={p}>
                      {periodLabel(p)}
                    </option>
                  ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="ctl-period">{change ? 'Till' : 'Period'}</label>
            <select id="ctl-period" value={period ?? ''} onChange={(e) => update({ period: e.target.value })}>
              {periods.map((p) => (
                <option key={p} value={p}>
                  {periodLabel(p)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset className="field">
          <legend>Mått</legend>
          <label>
            <input type="radio" name="measure" checked={measure === 'value'} onChange={() => update({ measure: 'value' })} /> {unit === 'count' ? 'Antal' : 'Värde'}
          </label>
          <label title={rateOk ? undefined : 'Kräver antal och befolkning för indelningen'}>
            <input type="radio" name="measure" checked={measure === 'rate'} disabled={!rateOk} onChange={() => update({ measure: 'rate' })} /> Per 1 000 invånare
          </label>
          {!rateOk && unit === 'count' && values && <small className="muted">Befolkning saknas för denna indelning.</small>}
        </fieldset>
        <div className="field-row">
          <div className="field">
            <label htmlFor="ctl-method">Klassindelning</label>
            <select id="ctl-method" value={view.method} disabled={change} onChange={(e) => update({ method: e.target.value as MapViewState['method'] })}>
              {Object.entries(METHOD_LABELS).map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ctl-classes">Klasser</label>
            <select id="ctl-classes" value={view.classes} onChange={(e) => update({ classes: Number(e.target.value) })}>
              {[3, 4, 5, 6, 7].map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="ctl-palette">Färgskala</label>
          <select id="ctl-palette" value={palette.id} onChange={(e) => update({ palette: e.target.value })}>
            {PALETTES.filter((pal) => (pal.kind === 'diverging') === change).map((pal) => (
              <option key={pal.id} value={pal.id}>
                {pal.label}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={view.overlay} onChange={(e) => update({ overlay: e.target.checked })} /> Visa utsatta områden (polisens lista
          2025)
        </label>
        {canAnalyse && (
          <fieldset className="field analysis-controls">
            <legend>Analys (analytiker)</legend>
            {(['none', 'gistar', 'lisa'] as const).map((a) => (
              <label key={a}>
                <input type="radio" name="analysis" checked={analysis === a} disabled={change && a !== 'none'} onChange={() => update({ analysis: a })} /> {ANALYSIS_LABELS[a]}
              </label>
            ))}
            <label className="check">
              <input type="checkbox" checked={view.fdr} onChange={(e) => update({ fdr: e.target.checked })} /> Korrigera för många test (FDR)
            </label>
            {measure === 'rate' && analysis === 'none' && !change && (
              <div className="field">
                <label htmlFor="ctl-smooth">Utjämning av tal per 1 000</label>
                <select id="ctl-smooth" value={smooth} onChange={(e) => update({ smooth: e.target.value as Smooth })}>
                  {Object.entries(SMOOTH_LABELS).map(([id, label]) => (
                    <option key={id} value={id}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {hotspotsLoad.error && <p role="alert">Analysen kunde inte göras: {hotspotsLoad.error.message}</p>}
            {ratesLoad.error && <p role="alert">Utjämningen kunde inte göras: {ratesLoad.error.message}</p>}
            {changeLoad.error && <p role="alert">Förändringen kunde inte prövas: {changeLoad.error.message}</p>}
          </fieldset>
        )}

        {ready && internal && values!.suppression.internal && (
          <p className="notice internal-notice" role="note" data-testid="internal-notice">
            Interna siffror: du ser alla värden. {metrics.filter((m) => m.current.hiddenOutside).length} av {metrics.length} visas inte för andra än
            analytiker ({metrics.filter((m) => m.current.hiddenOutside === 'primary').length} färre än {threshold},{' '}
            {metrics.filter((m) => m.current.hiddenOutside === 'secondary').length} för att skydda dem).
          </p>
        )}
        {indicatorsLoad.error && <p role="alert">Indikatorerna kunde inte hämtas: {indicatorsLoad.error.message}</p>}
        {valuesLoad.error && <p role="alert">Värdena kunde inte hämtas: {valuesLoad.error.message}</p>}
        {ready && (
          <>
            {analysis !== 'none' && hotspots ? (
              <CategoryLegend
                title={`${ANALYSIS_LABELS[analysis]}: ${indicator?.name ?? ''} (${measure === 'rate' ? 'per 1 000 invånare' : 'antal'})`}
                categories={categoryCounts(analysis, hotspots.values)}
                noDataColor={NO_DATA_COLOR}
                hasMissing={hotspots.values.some((v) => v.class === 'missing') || (areas?.features.length ?? 0) > hotspots.values.length}
                note={`${hotspots.weights}; ${hotspots.permutations ? `${hotspots.permutations} permutationer (frö ${hotspots.seed})` : 'analytiska p-värden'}${hotspots.fdr ? ', FDR-korrigerade (Benjamini–Hochberg)' : ''}.`}
              />
            ) : (
              <Legend
                title={smooth !== 'none' ? `${legendTitle}, ${SMOOTH_LABELS[smooth].toLowerCase()}` : legendTitle}
                classification={classification}
                colors={colors}
                unit={unit}
                perThousand={perThousand}
                change={change}
                noDataColor={NO_DATA_COLOR}
                threshold={threshold}
                hasSuppressed={metrics.some((m) => m.suppressed)}
                hasMissing={metrics.some((m) => m.metric === null && !m.suppressed) || (areas?.features.length ?? 0) > metrics.length}
                extra={insignificant.size ? [NOT_SIGNIFICANT_CHANGE] : undefined}
              />
            )}
            {smoothed && (
              <p className="muted small" data-testid="smooth-note">
                {smooth !== 'none' ? `${SMOOTH_NOTE} ` : ''}
                {smoothed.populationNote}.
              </p>
            )}
            {change && !changeTest && <p className="muted small">Förändringen är inte signifikansprövad.</p>}
            {change && changeTest && (
              <p className="muted small" data-testid="change-test-note">
                {changeTest.test === 'poisson'
                  ? 'Prövat med exakt test för två Poisson-tal (per invånare där befolkning finns)'
                  : 'Prövat med test för två andelar'}
                ; ”ingen säker förändring” där p ≥ 0,05{changeTest.fdr ? ' efter FDR-korrigering' : ''}.
              </p>
            )}
            <Metadata
              source={values!.source}
              period={period!}
              from={from}
              demo={values!.demo}
              approximateReason={values!.approximateReason}
              method={values!.method}
              threshold={threshold}
            />
          </>
        )}
        {!snapshot && <DrawPlace corners={corners} setCorners={setCorners} />}
        {internal &&
          slots.createSnapshot?.({
            settings: { layer: layerId, indicator: indicator?.id ?? null, period, search: params.toString() },
            mapIndicator: indicator ? { id: indicator.id, name: indicator.name } : null,
          })}
        {snapshot &&
          isAnalyst(user) &&
          indicator &&
          onLayer &&
          period &&
          slots.addToDeck?.({
            snapshotId: snapshot.id,
            disabledReason: change ? 'En kartbild visar värden: välj värden i stället för förändring.' : null,
            slide: { kind: 'map', title: `${indicator.name}, ${(layer?.name ?? layerId).toLowerCase()}, ${periodLabel(period)}`, indicator: indicator.id, layer: layerId, period, method: view.method, classes: view.classes, palette: view.palette, measure, note: '' },
          })}
        <div className="field">
          <label htmlFor="ctl-area">Välj område</label>
          <select id="ctl-area" value={view.area ?? ''} onChange={(e) => update({ area: e.target.value ? Number(e.target.value) : null })}>
            <option value="">–</option>
            {[...(areas?.features ?? [])]
              .sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'sv'))
              .map((f) => (
                <option key={f.properties.id} value={f.properties.id}>
                  {f.properties.name}
                </option>
              ))}
          </select>
        </div>
        {ready && (
          <details className="value-table">
            <summary>Visa värdena som tabell</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">Område</th>
                  <th scope="col">{change ? 'Förändring' : 'Värde'}</th>
                </tr>
              </thead>
              <tbody>
                {[...metrics]
                  .sort((a, b) => (b.metric ?? -Infinity) - (a.metric ?? -Infinity))
                  .map((m) => (
                    <tr key={m.areaId}>
                      <th scope="row">{m.name}</th>
                      <td className="num">
                        {m.suppressed ? suppressedLabel(threshold) : fmt(m.metric)}
                        {m.current.hiddenOutside && (
                          <span className="hidden-outside" title={hiddenOutsideLabel(m.current.hiddenOutside, threshold)}>
                            {' '}
                            (dolt för andra)
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </details>
        )}
      </section>

      <div className="map-wrap" data-map-ready={ready ? 'true' : 'false'}>
        <MapView
          basemapStyleUrl={config ? config.basemapStyleUrl : null}
          land={land}
          areas={areas}
          overlay={overlay}
          showOverlay={view.overlay}
          colors={shownColors}
          noDataColor={NO_DATA_COLOR}
          states={states}
          selectedId={view.area}
          highlightIds={highlightIds}
          renderKey={renderKey}
          labels={labels}
          onHover={setHover}
          drawing={corners}
          onDrawClick={(c) => setCorners((list) => (list ? [...list, c] : list))}
          onSelect={(id) => update({ area: id })}
          ariaLabel={`Karta: ${legendTitle}, ${layer?.name ?? ''}`}
        />
        {hover && hovered && (
          <div className="tooltip" role="tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} data-testid="tooltip">
            <strong>{hovered.name}</strong>
            <div>{hovered.suppressed ? hiddenExplanation(threshold) : fmt(hovered.metric)}</div>
            {hovered.current.hiddenOutside && <div className="hidden-outside">{hiddenOutsideLabel(hovered.current.hiddenOutside, threshold)}</div>}
            {hotspotOf.get(hovered.areaId) && <div data-testid="tooltip-analysis">{describeHotspot(hotspotOf.get(hovered.areaId)!)}</div>}
            {smoothed && !hovered.suppressed && (
              <div className="muted">
                {smooth !== 'none' ? `Rått tal: ${formatValue(smoothedRows.get(hovered.areaId)?.rate ?? null, unit, { perThousand: true })}, ` : ''}
                {formatValue(smoothedRows.get(hovered.areaId)?.numerator ?? null, 'count')} fall, befolkning {formatNumber(roundOrNull(smoothedRows.get(hovered.areaId)?.denominator))}
                {smoothed.populationEstimated ? ' (uppskattad)' : ''}
              </div>
            )}
            {changeTest && (() => {
              const t = changeTest.values.find((v) => v.areaId === hovered.areaId)
              return t?.p != null ? <div className="muted">{t.significant ? 'Säker förändring' : 'Ingen säker förändring'} (p = {formatNumber(t.p, { decimals: 3 })})</div> : null
            })()}
            {!hovered.suppressed && unit === 'count' && hovered.current.denominator != null && !change && (
              <div className="muted">
                {measure === 'rate'
                  ? `${formatValue(hovered.current.value, unit)} fall`
                  : formatValue(metricOf(hovered.current, 'rate'), unit, { perThousand: true })}
                , befolkning {formatValue(hovered.current.denominator, 'count')}
              </div>
            )}
            {!hovered.suppressed && unit === 'percent' && hovered.current.denominator != null && (
              <div className="muted">
                {formatValue(hovered.current.numerator, 'count')} av {formatValue(hovered.current.denominator, 'count')}
                {hovered.current.ciLow != null && hovered.current.ciHigh != null
                  ? `, 95 % KI ${formatValue(hovered.current.ciLow, unit)}–${formatValue(hovered.current.ciHigh, unit)}`
                  : ''}
              </div>
            )}
            <div className="muted small">
              {values?.demo ? 'DEMO · ' : ''}
              {periodLabel(period ?? '')} · {values?.source}
            </div>
          </div>
        )}
        {!ready && <div className="map-loading" role="status">Hämtar kartan…</div>}
        {shownMeasure && (
          <div className="measure-banner" role="status" data-testid="measure-banner">
            Åtgärd: <strong>{shownMeasure.title}</strong> ({shownMeasure.areaIds.length} områden markerade i grönt){' '}
            <Link to={`/atgarder?problemAreaId=${shownMeasure.problemAreaId}`}>Till åtgärderna</Link>
          </div>
        )}
      </div>

      {view.area !== null && indicator && period && ready && (
        <AreaPanel
          indicator={indicator}
          areaId={view.area}
          layerName={layer?.name ?? layerId}
          metrics={metrics}
          cityMetric={city}
          measure={measure}
          mode={view.mode}
          period={period}
          from={from}
          threshold={threshold}
          periodKind={view.periodKind}
          onPeriodKind={(k) => update({ periodKind: k })}
          onClose={() => update({ area: null })}
        >
          {!snapshot && slots.areaMeasures?.(view.area)}
        </AreaPanel>
      )}
    </div>
  )
}

const roundOrNull = (v: number | null | undefined) => (v == null ? null : Math.round(v))
