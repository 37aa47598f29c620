import { useId } from 'react'
import { area, line, scaleLinear, scalePoint } from 'd3'
import { periodLabel, periodLabelShort } from '../../lib/format'
import { commonKind, comparePeriods, periodKindOf, type PeriodKind } from '../../lib/periods'
import {
  type Format,
  REFERENCE_COLOR,
  axisLabels,
  defaultFormat,
  hasCi,
  labelsFit,
  niceDomain,
  tableClass,
  textWidth,
  valueText,
  visibleValue,
} from './chartUtils'

export interface TrendPoint {
  period: string
  value: number | null
  ciLow?: number | null
  ciHigh?: number | null
  suppressed?: boolean
}

export interface TrendSeries {
  id: string
  label: string
  color: string
  points: TrendPoint[]
}

export interface TrendChartProps {
  title: string
  series: TrendSeries[]
  /** E.g. the city as a whole: drawn dashed, without confidence band. */
  reference?: TrendSeries
  width?: number
  height?: number
  format?: Format
  yLabel?: string
  highlightPeriod?: string
  /**
   * The one kind of period drawn (years, halves, quarters or months); by default the kind most of the series'
   * points have. Points of other kinds are left out: a line through 2026, 2026-Q1 and 2026-01 would zig-zag.
   */
  periodKind?: PeriodKind
  /** Fixed y-domain, e.g. shared between small multiples; otherwise 0 (or the minimum) to the maximum incl. CI. */
  yDomain?: [number, number]
  /** Show the data table visibly instead of only to screen readers. */
  showTable?: boolean
  testId?: string
}

/** The y-domain a set of series needs: values and CI limits, always including zero. */
export function trendDomain(series: readonly TrendSeries[]): [number, number] {
  return niceDomain(
    series.flatMap((s) =>
      s.points.flatMap((p) => {
        const v = visibleValue(p)
        const ci = hasCi(p) ? [p.ciLow ?? 0, p.ciHigh ?? 0] : []
        return v == null ? ci : [v, ...ci]
      }),
    ),
  )
}

/**
 * Series of one kind of period, each in time order (by start, never as text), and the kind: the one asked
 * for, else the one most points of `series` have (null when no point is a period: then nothing is left out).
 */
export function oneKindOfPeriod(
  series: readonly TrendSeries[],
  kind?: PeriodKind | null,
  reference?: TrendSeries,
): { kind: PeriodKind | null; series: TrendSeries[]; reference: TrendSeries | undefined } {
  const shown =
    kind ?? commonKind(series.flatMap((s) => s.points.map((p) => p.period))) ?? commonKind(reference?.points.map((p) => p.period) ?? [])
  const keep = (s: TrendSeries): TrendSeries => ({
    ...s,
    points: s.points.filter((p) => shown === null || periodKindOf(p.period) === shown).sort((a, b) => comparePeriods(a.period, b.period)),
  })
  return { kind: shown, series: series.map(keep), reference: reference && keep(reference) }
}

/** Union of periods in time order; series may start at different periods. */
function periodUnion(series: readonly TrendSeries[]): string[] {
  return [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort(comparePeriods)
}

const PER_KIND: Record<PeriodKind, string> = { year: 'per år', half: 'per halvår', quarter: 'per kvartal', month: 'per månad', week: 'per vecka' }

function describeTrend(series: TrendSeries[], reference: TrendSeries | undefined, periods: string[], kind: PeriodKind | null, format: Format): string {
  const span = periods.length > 1 ? `${periodLabel(periods[0]!)}–${periodLabel(periods.at(-1)!)}` : periods[0] ? periodLabel(periods[0]) : 'inga perioder'
  const parts = [`Linjediagram${kind ? ` ${PER_KIND[kind]}` : ''}, ${span}.`]
  const summarise = (s: TrendSeries, prefix: string) => {
    const shown = s.points.filter((p) => visibleValue(p) != null)
    const last = shown.at(-1)
    const first = shown[0]
    if (!last) parts.push(`${prefix}${s.label}: uppgift saknas.`)
    else {
      const since = first && first !== last ? `, jämfört med ${format(first.value ?? 0)} (${periodLabel(first.period)})` : ''
      const ci = hasCi(last) ? `, konfidensintervall ${format(last.ciLow ?? 0)}–${format(last.ciHigh ?? 0)}` : ''
      parts.push(`${prefix}${s.label}: senaste värde ${format(last.value ?? 0)} (${periodLabel(last.period)}${ci})${since}.`)
    }
    const hidden = s.points.filter((p) => p.suppressed).map((p) => periodLabel(p.period))
    if (hidden.length) parts.push(`Dolda värden för ${s.label} (för få): ${hidden.join(', ')}.`)
  }
  series.forEach((s) => summarise(s, ''))
  if (reference) summarise(reference, 'Referens ')
  return parts.join(' ')
}

export function TrendChart({
  title,
  series: given,
  reference: givenReference,
  width = 360,
  height = 220,
  format = defaultFormat,
  yLabel,
  highlightPeriod,
  periodKind,
  yDomain,
  showTable,
  testId,
}: TrendChartProps) {
  const uid = useId()
  const { kind, series, reference } = oneKindOfPeriod(given, periodKind, givenReference)
  const all = reference ? [...series, reference] : series
  const periods = periodUnion(all)
  const y = scaleLinear().domain(yDomain ?? trendDomain(all))
  const margin = { top: yLabel ? 22 : 10, right: 12, bottom: 24, left: 0 }
  const innerH = Math.max(20, height - margin.top - margin.bottom)
  const yTicks = y.ticks(Math.max(2, Math.round(innerH / 40)))
  margin.left = 8 + Math.max(...yTicks.map((t) => textWidth(format(t))), 0)
  const innerW = Math.max(20, width - margin.left - margin.right)
  y.range([innerH, 0])
  const x = scalePoint<string>().domain(periods).range([0, innerW]).padding(0.4)
  const px = (p: TrendPoint) => x(p.period) ?? 0
  const [d0 = 0] = y.domain()
  const zeroY = y(Math.max(0, d0))

  const valueLine = line<TrendPoint>()
    .defined((p) => visibleValue(p) != null)
    .x(px)
    .y((p) => y(visibleValue(p) ?? 0))
  const band = area<TrendPoint>()
    .defined(hasCi)
    .x(px)
    .y0((p) => y(p.ciLow ?? 0))
    .y1((p) => y(p.ciHigh ?? 0))
  // Whole labels where they all fit, short ones ('mar 2026') otherwise, thinned until none touch.
  const full = periods.map(periodLabel)
  const tickLabels = axisLabels(
    periods.map((p) => x(p) ?? 0),
    labelsFit(full, x.step()) ? full : periods.map(periodLabelShort),
    -margin.left,
    innerW + margin.right,
  )
  const highlightX = highlightPeriod === undefined ? undefined : x(highlightPeriod)

  return (
    <figure className="chart chart-trend" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg
        className="chart-svg"
        role="img"
        aria-labelledby={`${uid}-title ${uid}-desc`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        data-series-count={series.length}
        data-period-kind={kind ?? undefined}
        data-y-domain={y.domain().join(',')}
      >
        <title id={`${uid}-title`}>{title}</title>
        <desc id={`${uid}-desc`}>{describeTrend(series, reference, periods, kind, format)}</desc>
        <g transform={`translate(${margin.left},${margin.top})`}>
          {highlightX !== undefined && (
            <rect className="chart-highlight" fill="#fff1c2" x={highlightX - x.step() / 2} width={x.step()} y={0} height={innerH} />
          )}
          {yLabel && (
            <text className="chart-axis-label" x={-margin.left} y={-10}>
              {yLabel}
            </text>
          )}
          <g className="chart-axis chart-axis-y">
            {yTicks.map((t) => (
              <g key={t} transform={`translate(0,${y(t)})`}>
                <line className="chart-grid" x2={innerW} stroke="#e4e8ec" />
                <text x={-6} dy="0.32em" textAnchor="end">
                  {format(t)}
                </text>
              </g>
            ))}
          </g>
          <line className="chart-baseline" y1={zeroY} y2={zeroY} x2={innerW} stroke="#8c959f" />
          <g className="chart-axis chart-axis-x" transform={`translate(0,${innerH})`}>
            {tickLabels.map((l) => (
              <text key={periods[l.i]} x={l.x} y={16} textAnchor="middle" data-period={periods[l.i]}>
                {l.text}
              </text>
            ))}
          </g>
          {series.map((s) => {
            const bandPath = band(s.points)
            return (
              <g key={s.id} className="chart-series" data-series={s.id}>
                {bandPath && <path className="chart-band" d={bandPath} fill={s.color} fillOpacity={0.18} />}
                {s.points.filter(hasCi).map((p) => {
                  const [cx, hi, lo] = [px(p), y(p.ciHigh ?? 0), y(p.ciLow ?? 0)]
                  return (
                    <path
                      key={p.period}
                      className="chart-errorbar"
                      d={`M${cx - 3},${hi}H${cx + 3}M${cx},${hi}V${lo}M${cx - 3},${lo}H${cx + 3}`}
                      stroke={s.color}
                      fill="none"
                    />
                  )
                })}
                <path className="chart-line" d={valueLine(s.points) ?? ''} stroke={s.color} fill="none" strokeWidth={2} />
                {s.points.map((p) => {
                  const v = visibleValue(p)
                  if (p.suppressed) {
                    // Unknown but small: a hollow marker at zero, labelled, never a number.
                    return (
                      <g key={p.period} className="chart-suppressed" data-period={p.period}>
                        <circle className="chart-point chart-point--suppressed" cx={px(p)} cy={zeroY} r={3.5} fill="#fff" stroke={s.color} />
                        <text x={px(p)} y={zeroY - 7} textAnchor="middle">
                          dold
                        </text>
                      </g>
                    )
                  }
                  return v == null ? null : (
                    <circle key={p.period} className="chart-point" cx={px(p)} cy={y(v)} r={3} fill={s.color} data-period={p.period}>
                      <title>{`${s.label} ${periodLabel(p.period)}: ${valueText(p, format)}`}</title>
                    </circle>
                  )
                })}
              </g>
            )
          })}
          {reference && (
            <g className="chart-series chart-series--reference" data-series={reference.id}>
              <path
                className="chart-line chart-line--reference"
                d={valueLine(reference.points) ?? ''}
                stroke={reference.color || REFERENCE_COLOR}
                fill="none"
                strokeDasharray="5 4"
              />
              {reference.points.map((p) => {
                const v = visibleValue(p)
                return v == null ? null : (
                  <circle key={p.period} className="chart-point chart-point--reference" cx={px(p)} cy={y(v)} r={2} fill={reference.color || REFERENCE_COLOR} data-period={p.period}>
                    <title>{`${reference.label} ${periodLabel(p.period)}: ${valueText(p, format)}`}</title>
                  </circle>
                )
              })}
            </g>
          )}
        </g>
      </svg>
      {(series.length > 1 || reference) && (
        <ul className="chart-legend">
          {series.map((s) => (
            <li key={s.id}>
              <span className="chart-swatch" style={{ borderTopColor: s.color }} />
              {s.label}
            </li>
          ))}
          {reference && (
            <li>
              <span className="chart-swatch chart-swatch--reference" style={{ borderTopColor: reference.color || REFERENCE_COLOR }} />
              {reference.label}
            </li>
          )}
        </ul>
      )}
      <div className={tableClass(showTable)}>
        <table className="chart-table">
          <caption>{title}{all.some((s) => s.points.some(hasCi)) ? ' (konfidensintervall inom parentes)' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {all.map((s) => (
                <th key={s.id} scope="col">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {periods.map((period) => (
              <tr key={period}>
                <th scope="row">{periodLabel(period)}</th>
                {all.map((s) => {
                  const p = s.points.find((q) => q.period === period)
                  return <td key={s.id} className="num">{valueText(p ?? { value: null }, format)}</td>
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
