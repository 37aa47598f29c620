import { useState } from 'react'
import { BarChart } from '../../components/charts'
import { followUpKind, OutcomeChart } from '../../components/OutcomeChart'
import { paths, type AreaListItem, type IndicatorDto, type MeasureDto } from '../../lib/api'
import { countOf, formatNumber, periodLabel } from '../../lib/format'
import { LEVEL_LABELS, PREVENTION_LABELS, PURPOSE_LABELS, STATUS_LABELS } from '../../lib/labels'
import { useAreaList, useIndicators, useSeries } from '../../lib/queries'
import { useMeasures } from './queries'

function shares<K extends string>(measures: MeasureDto[], key: (m: MeasureDto) => K, labels: Record<K, string>) {
  const total = measures.length || 1
  return (Object.keys(labels) as K[]).map((k) => ({ id: k, label: labels[k], value: (100 * measures.filter((m) => key(m) === k).length) / total }))
}

/** The numbers a ledningsgrupp asks for: each measure's follow-up against its target, and the mix of measures. */
export function FollowUpPage() {
  const areas = useAreaList().data ?? []
  const indicators = useIndicators().data ?? []
  const [perspective, setPerspective] = useState('')
  const measures = useMeasures(perspective ? `areaId=${perspective}` : '').data
  const stadsomraden = areas.filter((a) => a.layer === 'stadsomrade')
  const name = perspective ? (stadsomraden.find((a) => String(a.id) === perspective)?.name ?? '') : 'Staden som helhet'

  return (
    <main className="page" id="main">
      <h1>Uppföljning</h1>
      <div className="field" style={{ maxWidth: '20rem' }}>
        <label htmlFor="fu-area">Perspektiv</label>
        <select id="fu-area" value={perspective} onChange={(e) => setPerspective(e.target.value)}>
          <option value="">Staden som helhet</option>
          {stadsomraden.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      {measures && (
        <>
          <section className="comparison" aria-labelledby="mix-h" data-testid="measure-mix">
            <h2 id="mix-h">
              {name}: {countOf(measures.length, 'åtgärd', 'åtgärder')} ({measures.filter((m) => m.status === 'pagaende').length} {STATUS_LABELS.pagaende.toLowerCase()})
            </h2>
            <div className="mix">
              <BarChart title="Andel per syfte" bars={shares(measures, (m) => m.purpose, PURPOSE_LABELS)} format={(v) => `${formatNumber(v, { decimals: 0 })} %`} width={340} testId="mix-purpose" />
              <BarChart title="Andel per preventionstyp" bars={shares(measures, (m) => m.prevention, PREVENTION_LABELS)} format={(v) => `${formatNumber(v, { decimals: 0 })} %`} width={340} testId="mix-prevention" />
              <BarChart title="Andel per nivå" bars={shares(measures, (m) => m.level, LEVEL_LABELS)} format={(v) => `${formatNumber(v, { decimals: 0 })} %`} width={340} testId="mix-level" />
            </div>
          </section>
          {measures
            .filter((m) => m.followUp.length > 0)
            .map((m) => (
              <MeasureFollowUp key={m.id} measure={m} areas={areas} indicators={indicators} />
            ))}
          {measures.every((m) => m.followUp.length === 0) && <p role="status">Inga åtgärder med uppföljningsindikatorer här ännu.</p>}
        </>
      )}
    </main>
  )
}

function MeasureFollowUp({ measure, areas, indicators }: { measure: MeasureDto; areas: AreaListItem[]; indicators: IndicatorDto[] }) {
  const f = measure.followUp[0]!
  const areaId = measure.areaIds[0]!
  const series = useSeries((kind) => paths.series(f.indicatorId, [areaId], kind), followUpKind(f)).data
  const indicator = indicators.find((i) => i.id === f.indicatorId)
  const own = series?.series[0]
  const latest = own?.points.filter((p) => p.value !== null && !p.suppressed).at(-1)
  return (
    <section className="comparison" aria-labelledby={`fu-${measure.id}`} data-testid={`followup-${measure.id}`}>
      <h2 id={`fu-${measure.id}`}>{measure.title}</h2>
      <p className="muted">
        {indicator?.name ?? f.indicatorId}, {areas.find((a) => a.id === areaId)?.name}: utgångsperiod {periodLabel(f.baselinePeriod)}, mål{' '}
        {formatNumber(f.target)} ({periodLabel(f.targetPeriod)})
        {latest ? `, senast ${formatNumber(latest.value)} (${periodLabel(latest.period)})` : ''}
        {series?.demo ? ' · DEMO – syntetiska data' : ''}
      </p>
      {own && (
        <OutcomeChart
          title={`${indicator?.name ?? f.indicatorId}: utfall mot mål`}
          points={own.points.map((p) => ({ period: p.period, value: p.value, suppressed: p.suppressed, ciLow: p.ciLow, ciHigh: p.ciHigh }))}
          followUp={{ ...f, baselineValue: null }}
          periodKind={series?.periodKind ?? null}
          width={560}
          testId={`followup-chart-${measure.id}`}
        />
      )}
    </section>
  )
}
