import { useState } from 'react'
import { BarChart } from '../../components/charts'
import { followUpKind, OutcomeChart } from '../../components/OutcomeChart'
import { paths, type AreaListItem, type DisplacementDto, type EvaluationRow, type IndicatorDto, type MeasureDto } from '../../lib/api'
import { countOf, formatNumber, formatValue, periodLabel } from '../../lib/format'
import { LEVEL_LABELS, PREVENTION_LABELS, PURPOSE_LABELS, STATUS_LABELS } from '../../lib/labels'
import { useAreaList, useIndicators, useSeries } from '../../lib/queries'
import { useEvaluation, useMeasures } from './queries'

function shares<K extends string>(measures: MeasureDto[], key: (m: MeasureDto) => K, labels: Record<K, string>) {
  const total = measures.length || 1
  return (Object.keys(labels) as K[]).map((k) => ({ id: k, label: labels[k], value: (100 * measures.filter((m) => key(m) === k).length) / total }))
}

const option = (a: AreaListItem) => (
  <option key={a.id} value={a.id}>
    {a.name}
  </option>
)

/** The numbers a ledningsgrupp asks for: each measure's follow-up against its target, and the mix of measures. */
export function FollowUpPage() {
  const areas = useAreaList().data ?? []
  const indicators = useIndicators().data ?? []
  const [perspective, setPerspective] = useState('')
  const measures = useMeasures(perspective ? `areaId=${perspective}` : '').data
  const stadsomraden = areas.filter((a) => a.layer === 'stadsomrade')
  const lokalpolisomraden = areas.filter((a) => a.layer === 'lokalpolisomrade')
  const name = perspective ? (areas.find((a) => String(a.id) === perspective)?.name ?? '') : 'Staden som helhet'

  return (
    <main className="page" id="main">
      <h1>Uppföljning</h1>
      <div className="field" style={{ maxWidth: '20rem' }}>
        <label htmlFor="fu-area">Perspektiv</label>
        <select id="fu-area" value={perspective} onChange={(e) => setPerspective(e.target.value)}>
          <option value="">Staden som helhet</option>
          <optgroup label="Stadsområden">{stadsomraden.map(option)}</optgroup>
          <optgroup label="Lokalpolisområden">{lokalpolisomraden.map(option)}</optgroup>
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
              <MeasureFollowUp key={m.id} measure={m} indicators={indicators} />
            ))}
          {measures.every((m) => m.followUp.length === 0) && <p role="status">Inga åtgärder med uppföljningsindikatorer här ännu.</p>}
        </>
      )}
    </main>
  )
}

const STATUS_TEXT = { gron: 'Grön', gul: 'Gul', rod: 'Röd' } as const
const STATUS_MEANING = { gron: 'målet nått eller signifikant bättre', gul: 'ingen signifikant förändring ännu', rod: 'signifikant sämre, eller målperioden passerad' } as const

/** The status with its word and a dot: never colour alone. */
function StatusChip({ status }: { status: EvaluationRow['status'] }) {
  if (status === null) return <span className="muted">–</span>
  return (
    <span className={`status-chip status-${status}`} title={STATUS_MEANING[status]}>
      <span className="status-dot" aria-hidden="true" />
      {STATUS_TEXT[status]}
    </span>
  )
}

const figure = (f: { value: number | null; suppressed: boolean; period: string } | null, unit: EvaluationRow['unit']) =>
  f === null ? '–' : `${f.suppressed ? 'dolt' : formatValue(f.value, unit)} (${periodLabel(f.period)})`

const pText = (p: number | null) => (p === null ? '–' : p < 0.001 ? '< 0,001' : formatNumber(p, { decimals: 3 }))

function EvaluationTable({ measure, rows }: { measure: MeasureDto; rows: EvaluationRow[] }) {
  return (
    <div className="table-scroll">
      <table className="evaluation" data-testid={`evaluation-${measure.id}`}>
        <caption className="muted small">
          Utgångsvärdet beräknas ur data för utgångsperioden. p-värdet prövar det senaste värdet mot utgångsvärdet: exakt Poisson-test för antal (befolkningen som exponering),
          test av två andelar för enkätandelar.
        </caption>
        <thead>
          <tr>
            <th scope="col">Indikator</th>
            <th scope="col">Område</th>
            <th scope="col">Utgångsvärde</th>
            <th scope="col">Senast</th>
            <th scope="col">Mål</th>
            <th scope="col">p-värde</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.indicatorId}-${r.areaId}`}>
              <th scope="row">{r.indicatorName}</th>
              <td>{r.areaName}</td>
              <td>{figure(r.baseline, r.unit)}</td>
              <td>{figure(r.latest, r.unit)}</td>
              <td>
                {formatValue(r.target, r.unit)} ({periodLabel(r.targetPeriod)})
              </td>
              <td>{pText(r.p)}</td>
              <td>
                <StatusChip status={r.status} />
                {r.reason && <div className="muted small">{r.reason}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function DisplacementResult({ d }: { d: DisplacementDto }) {
  return (
    <div className="displacement" data-testid="displacement">
      <h3>Förskjutning</h3>
      <p className="small">
        Jämförelseområde {d.comparisonArea.name}; buffertzon inom {formatNumber(d.bufferM)} m: {d.bufferAreas.map((a) => a.name).join(', ') || 'inga områden'}.
      </p>
      {d.warnings.map((w) => (
        <p key={w} className="small">
          {w}
        </p>
      ))}
      {d.indicators.length === 0 && <p className="muted small">Ingen uppföljningsindikator är ett antal: förskjutning mäts på antal brott.</p>}
      {d.indicators.map((i) => (
        <div key={i.indicatorId}>
          <p className="small">
            <strong>{i.indicatorName}</strong>, {periodLabel(i.before)} → {i.after ? periodLabel(i.after) : '–'}
            {i.counts &&
              `: åtgärdsområdet ${formatNumber(i.counts.a0)} → ${formatNumber(i.counts.a1)}, buffertzonen ${formatNumber(i.counts.b0)} → ${formatNumber(i.counts.b1)}, jämförelseområdet ${formatNumber(i.counts.c0)} → ${formatNumber(i.counts.c1)}`}
          </p>
          <p className="small">{i.interpretation ?? i.reason}</p>
        </div>
      ))}
    </div>
  )
}

function MeasureFollowUp({ measure, indicators }: { measure: MeasureDto; indicators: IndicatorDto[] }) {
  const evaluation = useEvaluation(measure.id)
  const rows = evaluation.data?.indicators ?? []
  return (
    <section className="comparison" aria-labelledby={`fu-${measure.id}`} data-testid={`followup-${measure.id}`}>
      <h2 id={`fu-${measure.id}`}>{measure.title}</h2>
      {evaluation.error && <p role="alert">Utvärderingen kunde inte hämtas: {evaluation.error.message}</p>}
      {rows.length > 0 && <EvaluationTable measure={measure} rows={rows} />}
      <div className="followup-charts">
        {rows.map((r, i) => (
          <RowChart key={`${r.indicatorId}-${r.areaId}`} row={r} followUp={measure.followUp.find((f) => f.indicatorId === r.indicatorId)!} indicator={indicators.find((x) => x.id === r.indicatorId)} testId={`followup-chart-${measure.id}-${i}`} />
        ))}
      </div>
      {evaluation.data?.displacement && <DisplacementResult d={evaluation.data.displacement} />}
    </section>
  )
}

/** One indicator in one area: the outcome against the line from the computed baseline to the target. */
function RowChart({ row, followUp, indicator, testId }: { row: EvaluationRow; followUp: MeasureDto['followUp'][number]; indicator: IndicatorDto | undefined; testId: string }) {
  const series = useSeries((kind) => paths.series(row.indicatorId, [row.areaId], kind), followUpKind(followUp)).data
  const own = series?.series[0]
  if (!own) return null
  return (
    <div className="followup-chart">
      <OutcomeChart
        title={`${indicator?.name ?? row.indicatorId}, ${row.areaName}: utfall mot mål${series.demo ? ' (DEMO)' : ''}`}
        points={own.points.map((p) => ({ period: p.period, value: p.value, suppressed: p.suppressed, ciLow: p.ciLow, ciHigh: p.ciHigh }))}
        followUp={{ ...followUp, baselineValue: row.baseline.value }}
        periodKind={series.periodKind ?? null}
        width={420}
        testId={testId}
      />
    </div>
  )
}
