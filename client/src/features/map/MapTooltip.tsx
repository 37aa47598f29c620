import { formatNumber, formatValue, hiddenExplanation, hiddenOutsideLabel, periodLabel } from '../../lib/format'
import { metricOf } from '../../lib/metrics'
import { describeEmerging, describeHotspot, emergingStrip } from './useMapAnalysis'
import type { MapPageModel } from './useMapPage'

export type Hover = { id: number; x: number; y: number }

/** The hovered area's figure, what hides it, its statistic and its counts. */
export function MapTooltip({ m, hover }: { m: MapPageModel; hover: Hover }) {
  const { threshold, fmt, unit, change, measure, per, values, period } = m
  const { hotspotOf, emergingOf, smoothed, smooth, smoothedRows, changeTest } = m.analysis
  const hovered = m.metrics.find((x) => x.areaId === hover.id)
  if (!hovered) return null
  const test = changeTest?.values.find((v) => v.areaId === hovered.areaId)
  const row = smoothedRows.get(hovered.areaId)
  return (
    <div className="tooltip" role="tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} data-testid="tooltip">
      <strong>{hovered.name}</strong>
      <div>{hovered.suppressed ? hiddenExplanation(threshold) : fmt(hovered.metric)}</div>
      {hovered.current.hiddenOutside && <div className="hidden-outside">{hiddenOutsideLabel(hovered.current.hiddenOutside, threshold)}</div>}
      {hotspotOf.get(hovered.areaId) && <div data-testid="tooltip-analysis">{describeHotspot(hotspotOf.get(hovered.areaId)!)}</div>}
      {emergingOf.get(hovered.areaId) && <div data-testid="tooltip-analysis">{describeEmerging(emergingOf.get(hovered.areaId)!)}</div>}
      {emergingOf.get(hovered.areaId) && m.analysis.emerging && (
        <div className="muted small" data-testid="tooltip-emerging-periods" aria-label="Per period: ▲ het punkt, ▼ kall punkt, · ingendera">
          {periodLabel(m.analysis.emerging.from)} {emergingStrip(emergingOf.get(hovered.areaId)!.bins)} {periodLabel(m.analysis.emerging.to)}
        </div>
      )}
      {smoothed && !hovered.suppressed && (
        <div className="muted">
          {smooth !== 'none' ? `Rått tal: ${formatValue(row?.rate ?? null, unit, { perThousand: true })}, ` : ''}
          {formatValue(row?.numerator ?? null, 'count')} fall, befolkning {formatNumber(roundOrNull(row?.denominator))}
          {smoothed.populationEstimated ? ' (uppskattad)' : ''}
        </div>
      )}
      {test?.p != null && (
        <div className="muted">
          {test.significant ? 'Säker förändring' : 'Ingen säker förändring'} (p = {formatNumber(test.p, { decimals: 3 })})
        </div>
      )}
      {!hovered.suppressed && unit === 'count' && hovered.current.denominator != null && !change && (
        <div className="muted">
          {measure === 'rate' ? `${formatValue(hovered.current.value, unit)} fall` : formatValue(metricOf(hovered.current, 'rate', per), unit, { perThousand: true, per })}, befolkning{' '}
          {formatValue(Math.round(hovered.current.denominator), 'count')}
          {values?.population ? ` (${values.population.year}${values.population.estimated ? ', uppskattad' : ''})` : ''}
        </div>
      )}
      {!hovered.suppressed && unit === 'percent' && hovered.current.denominator != null && (
        <div className="muted">
          {formatValue(hovered.current.numerator, 'count')} av {formatValue(hovered.current.denominator, 'count')}
          {hovered.current.ciLow != null && hovered.current.ciHigh != null ? `, 95 % KI ${formatValue(hovered.current.ciLow, unit)}–${formatValue(hovered.current.ciHigh, unit)}` : ''}
        </div>
      )}
      <div className="muted small">
        {values?.demo ? 'DEMO · ' : ''}
        {periodLabel(period ?? '')} · {values?.source}
      </div>
    </div>
  )
}

const roundOrNull = (v: number | null | undefined) => (v == null ? null : Math.round(v))
