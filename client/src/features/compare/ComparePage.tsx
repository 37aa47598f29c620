import { useMemo, useState } from 'react'
import { useSearchParams } from 'react-router'
import { CompareTabs } from '../../components/CompareTabs'
import { BarChart, PeriodKindPicker, SmallMultiples, type TrendPoint } from '../../components/charts'
import { paths, type AreaListItem, type IndicatorDto, type SeriesDto } from '../../lib/api'
import { formatNumber, formatValue, PENDING_AUDIT_NOTE, periodLabel, unitLabel } from '../../lib/format'
import { metricOf } from '../../lib/metrics'
import { useAreaList, useIndicators, useLayers, useSeries } from '../../lib/queries'
import type { PeriodKind } from '../../lib/periods'
import { parseCompare, serializeCompare, type CompareState, type Measure, type RatePer } from '../../lib/viewState'

/** Okabe–Ito: distinguishable with every common colour-vision deficiency. */
const AREA_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7']
const MAX_AREAS = 4

export function ComparePage() {
  const [params, setParams] = useSearchParams()
  const state = useMemo(() => parseCompare(params), [params])
  const update = (patch: Partial<CompareState>) => setParams(serializeCompare({ ...state, ...patch }), { replace: true })
  const areas = useAreaList().data ?? []
  const layers = useLayers().data ?? []
  const indicators = useIndicators().data ?? []
  const [pick, setPick] = useState('')

  const chosen = state.areas.map((id) => areas.find((a) => a.id === id)).filter((a): a is AreaListItem => a !== undefined)
  const chosenIndicators = state.indicators.map((id) => indicators.find((i) => i.id === id)).filter((i): i is IndicatorDto => i !== undefined)
  const layerName = (id: string) => layers.find((l) => l.id === id)?.name ?? id

  return (
    <main className="page compare" id="main">
      <CompareTabs />
      <h1>Jämför områden</h1>
      <p className="lead">Välj 2–4 områden från valfria indelningar och en eller flera indikatorer.</p>

      <section className="compare-controls" aria-label="Val för jämförelsen">
        <div className="field">
          <label htmlFor="cmp-area">Lägg till område</label>
          <div className="inline">
            <select id="cmp-area" value={pick} onChange={(e) => setPick(e.target.value)} disabled={chosen.length >= MAX_AREAS}>
              <option value="">Välj…</option>
              {layers.map((l) => (
                <optgroup key={l.id} label={l.name}>
                  {areas
                    .filter((a) => a.layer === l.id && !state.areas.includes(a.id))
                    .map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
            <button
              type="button"
              disabled={!pick || chosen.length >= MAX_AREAS}
              onClick={() => {
                update({ areas: [...state.areas, Number(pick)] })
                setPick('')
              }}
            >
              Lägg till
            </button>
          </div>
          {chosen.length >= MAX_AREAS && <small className="muted">Högst {MAX_AREAS} områden.</small>}
        </div>
        <ul className="chips" aria-label="Valda områden" data-testid="chosen-areas">
          {chosen.map((a, i) => (
            <li key={a.id} style={{ borderColor: AREA_COLORS[i] }}>
              <span className="swatch" style={{ background: AREA_COLORS[i] }} aria-hidden="true" />
              {a.name} <span className="muted small">({layerName(a.layer)})</span>
              <button type="button" aria-label={`Ta bort ${a.name}`} onClick={() => update({ areas: state.areas.filter((x) => x !== a.id) })}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <fieldset className="field indicator-picks">
          <legend>Indikatorer</legend>
          {indicators.map((i) => (
            <label key={i.id}>
              <input
                type="checkbox"
                checked={state.indicators.includes(i.id)}
                onChange={(e) =>
                  update({ indicators: e.target.checked ? [...state.indicators, i.id] : state.indicators.filter((x) => x !== i.id) })
                }
              />{' '}
              {i.name}
            </label>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>Mått för antal</legend>
          <label>
            <input type="radio" name="cmp-measure" checked={state.measure === 'rate' && state.per === 1000} onChange={() => update({ measure: 'rate', per: 1000 })} /> Per 1 000
            invånare
          </label>
          <label>
            <input type="radio" name="cmp-measure" checked={state.measure === 'rate' && state.per === 100000} onChange={() => update({ measure: 'rate', per: 100000 })} /> Per 100 000
            invånare (Brå)
          </label>
          <label>
            <input type="radio" name="cmp-measure" checked={state.measure === 'value'} onChange={() => update({ measure: 'value' })} /> Antal
          </label>
        </fieldset>
      </section>

      {chosen.length < 2 && <p role="status">Välj minst två områden för att jämföra.</p>}
      {chosen.length >= 2 && chosenIndicators.length === 0 && <p role="status">Välj minst en indikator.</p>}
      {chosen.length >= 2 &&
        chosenIndicators.map((ind) => (
          <IndicatorComparison
            key={ind.id}
            indicator={ind}
            areas={chosen}
            measure={state.measure}
            per={state.per}
            periodKind={state.periodKinds[ind.id] ?? null}
            onPeriodKind={(k) => update({ periodKinds: { ...state.periodKinds, [ind.id]: k } })}
          />
        ))}
    </main>
  )
}

interface IndicatorComparisonProps {
  indicator: IndicatorDto
  areas: AreaListItem[]
  measure: Measure
  per: RatePer
  /** As chosen for this indicator (null: the server's default). */
  periodKind: PeriodKind | null
  onPeriodKind(kind: PeriodKind): void
}

function IndicatorComparison({ indicator, areas, measure: wanted, per, periodKind, onPeriodKind }: IndicatorComparisonProps) {
  const load = useSeries((kind) => paths.series(indicator.id, areas.map((a) => a.id), kind), periodKind)
  const measure: Measure = indicator.unit === 'count' ? wanted : 'value'
  const perThousand = measure === 'rate'
  if (load.error) return <p role="alert">{indicator.name} kunde inte hämtas: {load.error.message}</p>
  if (!load.data) return <p>Hämtar {indicator.name}…</p>
  const data = load.data
  const toPoint = (pt: SeriesDto['series'][number]['points'][number]): TrendPoint => ({
    period: pt.period,
    value: metricOf(pt, measure, per),
    suppressed: pt.suppressed,
    ciLow: perThousand ? null : pt.ciLow,
    ciHigh: perThousand ? null : pt.ciHigh,
  })
  const city = data.city.length ? { id: 'city', label: 'Staden som helhet', color: '#6e7781', points: data.city.map(toPoint) } : undefined
  const latest = data.periods.at(-1)
  const cityLatest = latest ? metricOf(data.city.find((c) => c.period === latest), measure, per) : null
  const unitText = unitLabel(indicator.unit, { perThousand, per })
  const approximate = data.series.some((s) => s.approximate)
  const missingPopulation = perThousand && data.series.some((s) => s.points.every((p) => p.denominator == null))
  // Counts of areas of different sizes only compare against the city as shares or rates.
  const showCityBar = !(indicator.unit === 'count' && !perThousand)

  return (
    <section className="comparison" aria-labelledby={`cmp-${indicator.id}`} data-testid={`comparison-${indicator.id}`}>
      <h2 id={`cmp-${indicator.id}`}>
        {indicator.name} <span className="muted small">({unitText})</span>
      </h2>
      <PeriodKindPicker kinds={data.periodKinds} chosen={periodKind} shown={data.periodKind} onChange={onPeriodKind} testId={`period-kinds-${indicator.id}`} />
      <SmallMultiples
        testId={`multiples-${indicator.id}`}
        periodKind={data.periodKind ?? undefined}
        panels={data.series.map((s, i) => ({
          id: String(s.areaId),
          title: s.name,
          series: [{ id: String(s.areaId), label: s.name, color: AREA_COLORS[i] ?? '#333333', points: s.points.map(toPoint) }],
          reference: city,
        }))}
        width={300}
        format={(v) => formatNumber(v)}
      />
      {latest && (
        <BarChart
          testId={`bars-${indicator.id}`}
          title={`${periodLabel(latest)}: områdena mot ${showCityBar ? 'staden som helhet' : 'varandra'}`}
          bars={data.series.map((s, i) => {
            const pt = s.points.find((p) => p.period === latest)
            return { id: String(s.areaId), label: s.name, value: pt ? metricOf(pt, measure, per) : null, suppressed: pt?.suppressed, color: AREA_COLORS[i] }
          })}
          reference={showCityBar && cityLatest !== null ? { label: `Staden ${formatValue(cityLatest, indicator.unit, { perThousand, per })}`, value: cityLatest } : undefined}
          format={(v) => formatValue(v, indicator.unit, { perThousand, per })}
          width={560}
        />
      )}
      <p className="metadata-line muted small">
        Källa: {data.source}
        {data.demo && <strong className="demo-flag"> · DEMO – syntetiska data</strong>} · värden under {data.suppression.threshold} visas inte
        {data.suppression.pending && <span data-testid="audit-pending"> · {PENDING_AUDIT_NOTE}</span>}
        {approximate && ' · lokalpolisområdenas gränser är ungefärliga'}
        {missingPopulation && ' · befolkning saknas för något område, så dess värde per invånare saknas'}
        {' · '}
        <a href={`${paths.series(indicator.id, areas.map((a) => a.id), data.periodKind ?? undefined)}&format=csv`} download data-testid={`download-${indicator.id}`}>
          Ladda ner jämförelsen (CSV för Excel)
        </a>
      </p>
    </section>
  )
}
