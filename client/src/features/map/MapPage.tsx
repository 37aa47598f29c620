import { useState, type ReactNode } from 'react'
import { Link } from 'react-router'
import type { Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { MapView } from '../../components/map/MapView'
import { Select } from '../../components/Select'
import { countOf, periodLabel } from '../../lib/format'
import { NO_DATA_COLOR } from '../../lib/palettes'
import { isAnalyst } from '../../lib/session'
import { AnalysisControls } from './AnalysisControls'
import { AreaPanel } from './AreaPanel'
import { DrawPlace } from './DrawPlace'
import { MapControls } from './MapControls'
import { MapKey } from './MapKey'
import { MapTooltip, type Hover } from './MapTooltip'
import { useMapPage, type MapPageModel } from './useMapPage'
import { ValueTable } from './ValueTable'
import { Downloads } from './Downloads'

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
  /** In the area panel on the live map: the weekday × hour table, for members, where the layer has one. */
  areaTimeProfile?(p: { indicator: string; layer: string; areaId: number }): ReactNode
}

export function MapPage(slots: MapPageSlots) {
  const m = useMapPage()
  const { view, update, snapshot, ready, indicator, period, layer, layerId } = m
  const [hover, setHover] = useState<Hover | null>(null)
  const [corners, setCorners] = useState<Array<[number, number]> | null>(null)

  return (
    <div className="map-page">
      <section className="controls" aria-label="Kartinställningar">
        <MapControls m={m} />
        {m.analysis.canAnalyse && <AnalysisControls m={m} />}
        <MapKey m={m} />
        {!snapshot && <DrawPlace corners={corners} setCorners={setCorners} />}
        <FeatureSlots m={m} slots={slots} />
        <Select
          id="ctl-area"
          label="Välj område"
          value={view.area ?? ''}
          onChange={(e) => update({ area: e.target.value ? Number(e.target.value) : null })}
          options={[...(m.areas?.features ?? [])]
            .sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'sv'))
            .map((f) => ({ value: f.properties.id, label: f.properties.name }))}
        >
          <option value="">–</option>
        </Select>
        {ready && <ValueTable m={m} />}
        {ready && <Downloads m={m} />}
      </section>

      <div className="map-wrap" data-map-ready={ready ? 'true' : 'false'}>
        <MapView
          basemapStyleUrl={m.config ? m.config.basemapStyleUrl : null}
          land={m.land}
          areas={m.areas}
          overlay={m.overlay}
          showOverlay={view.overlay}
          colors={m.shownColors}
          noDataColor={NO_DATA_COLOR}
          states={m.states}
          selectedId={view.area}
          highlightIds={m.highlightIds}
          renderKey={m.renderKey}
          labels={m.labels}
          onHover={setHover}
          drawing={corners}
          onDrawClick={(c) => setCorners((list) => (list ? [...list, c] : list))}
          onSelect={(id) => update({ area: id })}
          ariaLabel={`Karta: ${m.legendTitle}, ${layer?.name ?? ''}`}
          focus={m.areaBounds}
          animateFocus
        />
        {hover && <MapTooltip m={m} hover={hover} />}
        {!ready && <div className="map-loading" role="status">Hämtar kartan…</div>}
        {/* Always in the page, so that screen readers announce each area as it is chosen. */}
        <p className="sr-only" aria-live="polite" data-testid="area-announcement">
          {m.chosenName && view.area !== null && ready ? `Visar ${m.chosenName}` : ''}
        </p>
        {m.shownMeasure && (
          <div className="measure-banner" role="status" data-testid="measure-banner">
            Åtgärd: <strong>{m.shownMeasure.title}</strong> ({countOf(m.shownMeasure.areaIds.length, 'område markerat', 'områden markerade')} i grönt){' '}
            <Link to={`/atgarder?problemAreaId=${m.shownMeasure.problemAreaId}`}>Till åtgärderna</Link>
          </div>
        )}
      </div>

      {view.area !== null && indicator && period && ready && (
        <AreaPanel
          indicator={indicator}
          areaId={view.area}
          layerName={layer?.name ?? layerId}
          metrics={m.metrics}
          cityMetric={m.city}
          measure={m.measure}
          per={m.per}
          mode={view.mode}
          period={period}
          from={m.from}
          threshold={m.threshold}
          periodKind={view.periodKind}
          onPeriodKind={(k) => update({ periodKind: k })}
          onClose={() => update({ area: null })}
        >
          {!snapshot && slots.areaTimeProfile?.({ indicator: indicator.id, layer: layerId, areaId: view.area })}
          {!snapshot && slots.areaMeasures?.(view.area)}
        </AreaPanel>
      )}
    </div>
  )
}

/** The other features' pieces: a snapshot of the live map, or the snapshot's map as a slide. */
function FeatureSlots({ m, slots }: { m: MapPageModel; slots: MapPageSlots }) {
  const { snapshot, internal, user, indicator, onLayer, period, layer, layerId, view, change, measure } = m
  if (internal) {
    return slots.createSnapshot?.({
      settings: { layer: layerId, indicator: indicator?.id ?? null, period, search: m.search },
      mapIndicator: indicator ? { id: indicator.id, name: indicator.name } : null,
    })
  }
  if (!snapshot || !isAnalyst(user) || !indicator || !onLayer || !period) return null
  return slots.addToDeck?.({
    snapshotId: snapshot.id,
    disabledReason: change ? 'En kartbild visar värden: välj värden i stället för förändring.' : null,
    slide: {
      kind: 'map',
      title: `${indicator.name}, ${(layer?.name ?? layerId).toLowerCase()}, ${periodLabel(period)}`,
      indicator: indicator.id,
      layer: layerId,
      period,
      method: view.method,
      classes: view.classes,
      palette: view.palette,
      measure,
      per: view.per,
      note: '',
    },
  })
}
