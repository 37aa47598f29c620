import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { TrendChart, type TrendPoint } from '../charts'
import { useGet, type IndicatorDto, type SeriesDto } from '../../lib/api'
import { useDataSource } from '../../lib/dataSource'
import { formatChange, formatNumber, formatValue, hiddenExplanation, hiddenOutsideLabel, periodLabel } from '../../lib/format'
import { metricOf, rankOf, type AreaMetric } from './metrics'
import type { Measure, Mode } from './viewState'

export interface AreaPanelProps {
  indicator: IndicatorDto
  areaId: number
  layerName: string
  metrics: readonly AreaMetric[]
  cityMetric: number | null
  measure: Measure
  mode: Mode
  period: string
  from: string | null
  threshold: number
  onClose(): void
  /** Further sections about the area (e.g. the measures that run there). */
  children?: ReactNode
}

export function AreaPanel(p: AreaPanelProps) {
  const me = p.metrics.find((m) => m.areaId === p.areaId)
  const series = useGet<SeriesDto>(useDataSource().series(p.indicator.id, [p.areaId]))
  const perThousand = p.measure === 'rate'
  const unit = p.indicator.unit
  const fmt = (v: number | null) => (p.mode === 'change' ? formatChange(v, unit, { perThousand }) : formatValue(v, unit, { perThousand }))
  const rank = rankOf(p.metrics, p.areaId)
  const worse = p.indicator.polarity === 'higher_is_worse'

  let comparison: string | null = null
  if (me?.metric != null && p.cityMetric !== null) {
    if (p.mode === 'value' && unit === 'count' && !perThousand) {
      comparison = `${formatNumber((100 * me.metric) / p.cityMetric, { decimals: 1 })} % av staden som helhet (${formatValue(p.cityMetric, unit)})`
    } else {
      comparison = `${formatChange(me.metric - p.cityMetric, unit, { perThousand })} jämfört med staden som helhet (${fmt(p.cityMetric)})`
    }
  }

  const data = series.state === 'ok' ? series.data : null
  const toPoint = (pt: SeriesDto['series'][number]['points'][number]): TrendPoint => ({
    period: pt.period,
    value: metricOf(pt, p.measure),
    suppressed: pt.suppressed,
    ciLow: p.measure === 'value' ? pt.ciLow : null,
    ciHigh: p.measure === 'value' ? pt.ciHigh : null,
  })
  const own = data?.series[0]

  return (
    <aside className="area-panel" aria-labelledby="area-panel-title" data-testid="area-panel">
      <header>
        <h2 id="area-panel-title">{me?.name ?? own?.name ?? 'Område'}</h2>
        <p className="muted">{p.layerName}</p>
        <button type="button" className="close" onClick={p.onClose} aria-label="Stäng områdespanelen">
          ×
        </button>
      </header>
      <dl className="facts">
        <dt>{p.mode === 'change' ? `Förändring ${periodLabel(p.from ?? '')} → ${periodLabel(p.period)}` : `${p.indicator.name}, ${periodLabel(p.period)}`}</dt>
        <dd data-testid="area-value">{me?.suppressed ? hiddenExplanation(p.threshold) : fmt(me?.metric ?? null)}</dd>
        {me?.current.hiddenOutside && (
          <dd className="hidden-outside" data-testid="area-hidden-outside">
            {hiddenOutsideLabel(me.current.hiddenOutside, p.threshold)}
          </dd>
        )}
        {me?.current.denominator != null && unit === 'count' && (
          <>
            <dt>Befolkning</dt>
            <dd>{formatNumber(me.current.denominator)}</dd>
          </>
        )}
        {me?.current.ciLow != null && me.current.ciHigh != null && p.mode === 'value' && !perThousand && (
          <>
            <dt>95 % konfidensintervall</dt>
            <dd>
              {formatValue(me.current.ciLow, unit)} – {formatValue(me.current.ciHigh, unit)}
            </dd>
          </>
        )}
        {rank && (
          <>
            <dt>Rangordning</dt>
            <dd>
              Plats {rank.rank} av {rank.of} ({worse ? 'plats 1 = högst, sämst' : 'plats 1 = högst, bäst'})
            </dd>
          </>
        )}
        {comparison && (
          <>
            <dt>Mot staden</dt>
            <dd>{comparison}</dd>
          </>
        )}
      </dl>
      {series.state === 'loading' && <p>Hämtar tidsserie…</p>}
      {series.state === 'error' && <p role="alert">Tidsserien kunde inte hämtas: {series.message}</p>}
      {own && data && (
        <TrendChart
          testId="area-trend"
          title={`${p.indicator.name}${perThousand ? ', per 1 000 invånare' : ''}, alla perioder`}
          series={[{ id: String(own.areaId), label: own.name, color: '#b2182b', points: own.points.map(toPoint) }]}
          reference={
            data.city.length
              ? { id: 'city', label: 'Staden som helhet', color: '#6e7781', points: data.city.map(toPoint) }
              : undefined
          }
          highlightPeriod={p.period}
          width={340}
          format={(v) => formatNumber(v)}
        />
      )}
      {data && (
        <p className="muted small">
          Källa: {data.source}
          {data.demo && <strong className="demo-flag"> · DEMO – syntetiska data</strong>} ·{' '}
          {data.suppression.internal ? `interna siffror: värden under ${data.suppression.threshold} och värden som skyddar dem visas inte för andra` : `värden under ${data.suppression.threshold} visas inte`}
          {own?.approximate && ' · ungefärliga gränser'}
        </p>
      )}
      {!useDataSource().snapshot && (
        <p>
          <Link to={`/jamfor?omraden=${p.areaId}&indikatorer=${p.indicator.id}`}>Jämför med andra områden</Link>
        </p>
      )}
      {p.children}
    </aside>
  )
}
