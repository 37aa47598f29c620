import { useMemo } from 'react'
import type { Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { Legend } from '../../components/map/Legend'
import type { AreaState } from '../../components/map/MapView'
import { paths, type IndicatorDto } from '../../lib/api'
import { classCount, classify, classIndex } from '../../lib/classify'
import { snapshotSource } from '../../lib/dataSource'
import { hiddenExplanation, periodLabel, suppressedLabel, unitLabel } from '../../lib/format'
import { areaMetrics, hiddenLabels } from '../../lib/metrics'
import { useLayerAreas, useValues } from '../../lib/queries'
import { defaultPalette, getPalette, NO_DATA_COLOR } from '../../lib/palettes'
import { SlideMap } from './SlideMap'
import { mapKeyOf } from './slides'

type MapSlideSpec = Extract<Slide, { kind: 'map' }>

/**
 * A map view of a published snapshot, for the projector: the same map as the lägesbild page, with its
 * legend, source, period, the demo mark and the disclosure note always in view.
 */
export function MapSlide({ snapshotId, slide, indicator }: { snapshotId: number; slide: MapSlideSpec; indicator: IndicatorDto | undefined }) {
  const source = useMemo(() => snapshotSource(snapshotId, ''), [snapshotId])
  const areas = useLayerAreas(source.layerAreas(slide.layer)).data ?? null
  const land = useLayerAreas(paths.layerAreas('stadsomrade')).data ?? null
  const values = useValues(source.values(slide.indicator, slide.layer, slide.period)).data ?? null
  const measure = slide.measure === 'rate' && values?.values.some((v) => v.denominator) ? 'rate' : 'value'
  const per = slide.per ?? 1000
  const metrics = useMemo(() => (values ? areaMetrics(values, measure, null, per) : []), [values, measure, per])
  const classification = useMemo(() => classify(metrics.map((m) => m.metric), slide.method, slide.classes), [metrics, slide.method, slide.classes])
  const palette = slide.palette && getPalette(slide.palette).kind !== 'diverging' ? getPalette(slide.palette) : defaultPalette({ polarity: indicator?.polarity ?? 'higher_is_worse', mode: 'value' })
  const colors = classification ? palette.colors(classCount(classification)) : []
  const states = useMemo(() => {
    const m = new Map<number, AreaState>()
    for (const a of metrics) m.set(a.areaId, { cls: a.metric !== null && classification ? classIndex(classification, a.metric) : null, suppressed: a.suppressed })
    return m
  }, [metrics, classification])
  const threshold = values?.suppression.threshold ?? 5
  const labels = useMemo(() => hiddenLabels(areas, metrics, suppressedLabel(threshold)), [areas, metrics, threshold])
  const ready = Boolean(values && areas)
  const unit = values?.unit ?? 'count'
  const title = `${indicator?.name ?? slide.indicator} (${unitLabel(unit, { perThousand: measure === 'rate', per })})`

  return (
    <div className="map-slide">
      <SlideMap
        ready={ready}
        land={land}
        areas={areas}
        colors={colors}
        states={states}
        renderKey={mapKeyOf(slide)!}
        labels={labels}
        ariaLabel={`Karta: ${title}, ${periodLabel(slide.period)}`}
      />
      <aside className="map-slide-key">
        {ready && (
          <Legend
            title={title}
            classification={classification}
            colors={colors}
            unit={unit}
            perThousand={measure === 'rate'}
            change={false}
            noDataColor={NO_DATA_COLOR}
            threshold={threshold}
            hasSuppressed={metrics.some((m) => m.suppressed)}
            hasMissing={metrics.some((m) => m.metric === null && !m.suppressed)}
          />
        )}
        <p className="slide-meta" data-testid="slide-meta">
          {periodLabel(slide.period)} · Källa: {values?.source ?? indicator?.source ?? ''}
          {values?.demo && <strong className="demo-flag"> · DEMO – syntetiska data</strong>}
          {values?.approximate && ' · ungefärliga gränser'}
        </p>
        <p className="slide-meta" data-testid="slide-disclosure">
          Värden under {threshold} visas inte. {hiddenExplanation(threshold)}.
        </p>
        {slide.note && <p className="slide-note">{slide.note}</p>}
      </aside>
    </div>
  )
}
