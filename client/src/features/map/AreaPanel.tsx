import { useCallback, useEffect, useRef, type ReactNode } from 'react'
import { Link } from 'react-router'
import { PeriodKindPicker, TrendChart, useWidth, type TrendPoint } from '../../components/charts'
import type { IndicatorDto, SeriesDto } from '../../lib/api'
import { useSeries } from '../../lib/queries'
import { useDataSource } from '../../lib/dataSource'
import { formatChange, formatNumber, formatValue, hiddenExplanation, hiddenOutsideLabel, periodLabel, unitLabel } from '../../lib/format'
import { metricOf, rankOf, type AreaMetric } from '../../lib/metrics'
import { PERIOD_KIND_LABELS, periodContaining, type PeriodKind } from '../../lib/periods'
import { serializeCompare, type Measure, type Mode } from '../../lib/viewState'

export interface AreaPanelProps {
  indicator: IndicatorDto
  areaId: number
  layerName: string
  metrics: readonly AreaMetric[]
  cityMetric: number | null
  measure: Measure
  /** A rate per 1 000 inhabitants, or per 100 000 (Brå's unit). */
  per?: 1000 | 100000
  mode: Mode
  period: string
  from: string | null
  threshold: number
  /** The kind of period the trend shows, as chosen (null: the server's default for the data). */
  periodKind: PeriodKind | null
  onPeriodKind(kind: PeriodKind): void
  onClose(): void
  /** Further sections about the area (e.g. the measures that run there). */
  children?: ReactNode
}

export function AreaPanel(p: AreaPanelProps) {
  const close = useCloseWithEscape(p.onClose)
  const me = p.metrics.find((m) => m.areaId === p.areaId)
  const source = useDataSource()
  const series = useSeries((kind) => source.series(p.indicator.id, [p.areaId], kind), p.periodKind)
  const perThousand = p.measure === 'rate'
  const unit = p.indicator.unit
  const per = p.per ?? 1000
  const fmt = (v: number | null) => (p.mode === 'change' ? formatChange(v, unit, { perThousand, per }) : formatValue(v, unit, { perThousand, per }))
  const rank = rankOf(p.metrics, p.areaId)
  // Rank 1 is the highest value: the worst, the best, or (an aktivitet) just the most.
  const rankNote = { higher_is_worse: 'plats 1 = högst, sämst', higher_is_better: 'plats 1 = högst, bäst', neutral: 'plats 1 = högst' }[p.indicator.polarity]

  let comparison: string | null = null
  if (me?.metric != null && p.cityMetric !== null) {
    if (p.mode === 'value' && unit === 'count' && !perThousand) {
      comparison = `${formatNumber((100 * me.metric) / p.cityMetric, { decimals: 1 })} % av staden som helhet (${formatValue(p.cityMetric, unit)})`
    } else {
      comparison = `${formatChange(me.metric - p.cityMetric, unit, { perThousand, per })} jämfört med staden som helhet (${fmt(p.cityMetric)})`
    }
  }

  const data = series.data ?? null
  const toPoint = (pt: SeriesDto['series'][number]['points'][number]): TrendPoint => ({
    period: pt.period,
    value: metricOf(pt, p.measure, per),
    suppressed: pt.suppressed,
    ciLow: p.measure === 'value' ? pt.ciLow : null,
    ciHigh: p.measure === 'value' ? pt.ciHigh : null,
  })
  const own = data?.series[0]
  const kind = data?.periodKind ?? null
  const each = kind && PERIOD_KIND_LABELS[kind].toLowerCase()
  const [trendBox, trendWidth] = useWidth<HTMLDivElement>(340)
  // The map's period, or the one of the trend's kind that holds it (March 2026 on a trend of years: 2026).
  const highlight = kind ? (periodContaining(p.period, kind) ?? undefined) : p.period

  return (
    <aside className="area-panel" aria-labelledby="area-panel-title" data-testid="area-panel">
      <header>
        <h2 id="area-panel-title">{me?.name ?? own?.name ?? 'Område'}</h2>
        <p className="muted">{p.layerName}</p>
        <button type="button" className="close" onClick={close} aria-label="Stäng områdespanelen">
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
              Plats {rank.rank} av {rank.of} ({rankNote})
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
      {series.isPending && <p>Hämtar tidsserie…</p>}
      {series.error && <p role="alert">Tidsserien kunde inte hämtas: {series.error.message}</p>}
      {own && data && (
        <div ref={trendBox}>
          <PeriodKindPicker kinds={data.periodKinds} chosen={p.periodKind} shown={kind} onChange={p.onPeriodKind} testId="area-period-kinds" />
          <TrendChart
            testId="area-trend"
            title={`${p.indicator.name}${perThousand ? `, ${unitLabel(unit, { perThousand, per })}` : ''}${each ? `, ${each} för ${each}` : ''}`}
            series={[{ id: String(own.areaId), label: own.name, color: '#b2182b', points: own.points.map(toPoint) }]}
            reference={
              data.city.length
                ? { id: 'city', label: 'Staden som helhet', color: '#6e7781', points: data.city.map(toPoint) }
                : undefined
            }
            highlightPeriod={highlight}
            periodKind={kind ?? undefined}
            width={Math.min(340, trendWidth)}
            format={(v) => formatNumber(v)}
          />
        </div>
      )}
      {data && (
        <p className="muted small">
          Källa: {data.source}
          {data.demo && <strong className="demo-flag"> · DEMO – syntetiska data</strong>} ·{' '}
          {data.suppression.internal ? `interna siffror: värden under ${data.suppression.threshold} och värden som skyddar dem visas inte för andra` : `värden under ${data.suppression.threshold} visas inte`}
          {own?.approximate && ' · ungefärliga gränser'}
          {perThousand && data.population && ` · ${data.population.note}`}
        </p>
      )}
      {!source.snapshot && (
        <p>
          <Link
            to={`/jamfor?${serializeCompare({ areas: [p.areaId], indicators: [p.indicator.id], measure: 'rate', per, periodKinds: p.periodKind ? { [p.indicator.id]: p.periodKind } : {} })}`}
          >
            Jämför med andra områden
          </Link>
        </p>
      )}
      {p.children}
    </aside>
  )
}

/**
 * Esc closes the panel from anywhere on the page, and closing hands the focus back to where it was when the
 * panel opened (the map, the area list, a table row), not to the page's top where the panel's button was.
 */
function useCloseWithEscape(onClose: () => void): () => void {
  const opener = useRef<Element | null>(null)
  const latest = useRef(onClose)
  latest.current = onClose
  useEffect(() => {
    opener.current = document.activeElement
  }, [])
  const close = useCallback(() => {
    const back = opener.current
    latest.current()
    if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus()
  }, [])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      // Esc in a dialog (a snapshot's form) closes that dialog, not the panel behind it.
      if (e.target instanceof Element && e.target.closest('dialog, [role=dialog]')) return
      e.preventDefault()
      close()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [close])
  return close
}
