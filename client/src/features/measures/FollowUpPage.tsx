import { useState } from 'react'
import { Link } from 'react-router'
import { BarChart, useWidth } from '../../components/charts'
import { followUpKind, OutcomeChart } from '../../components/OutcomeChart'
import { paths, type AreaListItem, type DisplacementDto, type EvaluationRow, type IndicatorDto, type MeasureDto } from '../../lib/api'
import { countOf, formatNumber, formatValue, periodLabel, sentence } from '../../lib/format'
import { LEVEL_LABELS, PREVENTION_LABELS, PURPOSE_LABELS, STATUS_LABELS } from '../../lib/labels'
import { parsePeriod } from '../../lib/periods'
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
  // Charts drawn at the width they get keep their 11 px text on a phone instead of shrinking.
  const [mixBox, mixWidth] = useWidth<HTMLDivElement>(1100)
  const barWidth = Math.min(340, mixWidth)

  return (
    <main className="page" id="main">
      <h1>Uppföljning</h1>
      <p className="lead">
        Varje åtgärds uppföljningsindikatorer i varje område där den genomförs. Utgångsvärdet beräknas ur data för utgångsperioden; p-värdet prövar det senaste värdet mot
        det (exakt Poisson-test för antal med befolkningen som exponering, test av två andelar för enkätandelar). Status: <StatusChip status="gron" /> {STATUS_MEANING.gron},{' '}
        <StatusChip status="gul" /> {STATUS_MEANING.gul}, <StatusChip status="rod" /> {STATUS_MEANING.rod}.
      </p>
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
            <div className="mix" ref={mixBox}>
              <BarChart title="Andel per syfte" bars={shares(measures, (m) => m.purpose, PURPOSE_LABELS)} format={(v) => `${formatNumber(v, { decimals: 0 })} %`} width={barWidth} testId="mix-purpose" />
              <BarChart title="Andel per preventionstyp" bars={shares(measures, (m) => m.prevention, PREVENTION_LABELS)} format={(v) => `${formatNumber(v, { decimals: 0 })} %`} width={barWidth} testId="mix-prevention" />
              <BarChart title="Andel per nivå" bars={shares(measures, (m) => m.level, LEVEL_LABELS)} format={(v) => `${formatNumber(v, { decimals: 0 })} %`} width={barWidth} testId="mix-level" />
            </div>
          </section>
          {measures
            .filter((m) => m.followUp.length > 0)
            .map((m) => (
              <MeasureFollowUp key={m.id} measure={m} indicators={indicators} />
            ))}
          {measures.every((m) => m.followUp.length === 0) && (
            <p role="status">
              Inga åtgärder med uppföljningsindikatorer{perspective ? ' i området' : ''} ännu. Ge en åtgärd en uppföljningsindikator med utgångsperiod och mål under{' '}
              <Link to="/atgarder">Åtgärder</Link>, så följs den upp här.
            </p>
          )}
        </>
      )}
    </main>
  )
}

const STATUS_TEXT = { gron: 'Grön', gul: 'Gul', rod: 'Röd' } as const
const STATUS_MEANING = { gron: 'målet nått eller signifikant bättre', gul: 'ingen signifikant förändring ännu', rod: 'signifikant sämre, eller målperioden passerad utan att målet nåtts' } as const

/** Why this row has its status, in words: the rule of core/evaluation.ts read back from the row. */
function statusWhy(r: EvaluationRow): string | null {
  if (r.status === null || r.latest === null || r.latest.value === null || r.target === null) return null
  const latest = r.latest.value
  const reached = r.direction === 'up' ? latest >= r.target : r.direction === 'down' ? latest <= r.target : latest === r.target
  if (r.status === 'gron') return reached ? 'målet är nått' : 'signifikant bättre än utgångsvärdet'
  if (r.status === 'gul') return 'ingen signifikant förändring ännu'
  const [l, t] = [parsePeriod(r.latest.period), parsePeriod(r.targetPeriod)]
  const due = l !== null && t !== null && l.end >= t.end
  return due ? 'målperioden är nådd utan att målet nåtts' : 'signifikant sämre än utgångsvärdet'
}

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
      <table className="evaluation stack-narrow" data-testid={`evaluation-${measure.id}`}>
        <caption className="sr-only">Uppföljning av {measure.title}</caption>
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
              <td data-label="Område">{r.areaName}</td>
              <td data-label="Utgångsvärde">{figure(r.baseline, r.unit)}</td>
              <td data-label="Senast">{figure(r.latest, r.unit)}</td>
              <td data-label="Mål">
                {r.target === null ? (
                  <span className="muted" title={r.targetWithheld ? sentence(r.targetWithheld) : undefined} data-testid="target-withheld">
                    visas inte
                  </span>
                ) : (
                  formatValue(r.target, r.unit)
                )}{' '}
                ({periodLabel(r.targetPeriod)})
              </td>
              <td data-label="p-värde">{pText(r.p)}</td>
              <td data-label="Status" className="stack-wide">
                <StatusChip status={r.status} />
                {(r.reason ?? statusWhy(r)) && <div className="muted small">{r.reason ?? statusWhy(r)}</div>}
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
  const [chartsBox, chartsWidth] = useWidth<HTMLDivElement>(420)
  return (
    <section className="comparison" aria-labelledby={`fu-${measure.id}`} data-testid={`followup-${measure.id}`}>
      <h2 id={`fu-${measure.id}`}>{measure.title}</h2>
      {evaluation.error && <p role="alert">Utvärderingen kunde inte hämtas: {evaluation.error.message}</p>}
      {rows.length > 0 && <EvaluationTable measure={measure} rows={rows} />}
      <div className="followup-charts" ref={chartsBox}>
        {rows.map((r, i) => (
          <RowChart
            key={`${r.indicatorId}-${r.areaId}`}
            row={r}
            followUp={measure.followUp.find((f) => f.indicatorId === r.indicatorId)!}
            indicator={indicators.find((x) => x.id === r.indicatorId)}
            width={Math.min(420, chartsWidth)}
            testId={`followup-chart-${measure.id}-${i}`}
          />
        ))}
      </div>
      {evaluation.data?.displacement && <DisplacementResult d={evaluation.data.displacement} />}
    </section>
  )
}

/** One indicator in one area: the outcome against the line from the computed baseline to the target. */
function RowChart({ row, followUp, indicator, width, testId }: { row: EvaluationRow; followUp: MeasureDto['followUp'][number]; indicator: IndicatorDto | undefined; width: number; testId: string }) {
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
        width={width}
        testId={testId}
      />
    </div>
  )
}
