import { useId } from 'react'
import { area, line, scaleLinear, scalePoint } from 'd3'
import {
  type Format,
  REFERENCE_COLOR,
  defaultFormat,
  hasCi,
  niceDomain,
  tableClass,
  textWidth,
  thinnedLabels,
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

/** Union of periods; ids of one granularity sort as strings, and series may start at different periods. */
function periodUnion(series: readonly TrendSeries[]): string[] {
  return [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

function describeTrend(series: TrendSeries[], reference: TrendSeries | undefined, periods: string[], format: Format): string {
  const span = periods.length > 1 ? `${periods[0]}–${periods.at(-1)}` : (periods[0] ?? 'inga perioder')
  const parts = [`Linjediagram, ${span}.`]
  const summarise = (s: TrendSeries, prefix: string) => {
    const shown = s.points.filter((p) => visibleValue(p) != null)
    const last = shown.at(-1)
    const first = shown[0]
    if (!last) parts.push(`${prefix}${s.label}: uppgift saknas.`)
    else {
      const since = first && first !== last ? `, jämfört med ${format(first.value ?? 0)} (${first.period})` : ''
      const ci = hasCi(last) ? `, konfidensintervall ${format(last.ciLow ?? 0)}–${format(last.ciHigh ?? 0)}` : ''
      parts.push(`${prefix}${s.label}: senaste värde ${format(last.value ?? 0)} (${last.period}${ci})${since}.`)
    }
    const hidden = s.points.filter((p) => p.suppressed).map((p) => p.period)
    if (hidden.length) parts.push(`Dolda värden för ${s.label} (för få): ${hidden.join(', ')}.`)
  }
  series.forEach((s) => summarise(s, ''))
  if (reference) summarise(reference, 'Referens ')
  return parts.join(' ')
}

export function TrendChart({
  title,
  series,
  reference,
  width = 360,
  height = 220,
  format = defaultFormat,
  yLabel,
  highlightPeriod,
  yDomain,
  showTable,
  testId,
}: TrendChartProps) {
  const uid = useId()
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
  const showLabel = thinnedLabels(periods.length, innerW, Math.max(...periods.map((p) => textWidth(p)), 0) + 10)
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
        data-y-domain={y.domain().join(',')}
      >
        <title id={`${uid}-title`}>{title}</title>
        <desc id={`${uid}-desc`}>{describeTrend(series, reference, periods, format)}</desc>
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
            {periods.map((p, i) =>
              showLabel(i) ? (
                <text key={p} x={x(p)} y={16} textAnchor="middle">
                  {p}
                </text>
              ) : null,
            )}
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
                      <title>{`${s.label} ${p.period}: ${valueText(p, format)}`}</title>
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
                    <title>{`${reference.label} ${p.period}: ${valueText(p, format)}`}</title>
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
      <table className={tableClass(showTable)}>
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
              <th scope="row">{period}</th>
              {all.map((s) => {
                const p = s.points.find((q) => q.period === period)
                return <td key={s.id} className="num">{valueText(p ?? { value: null }, format)}</td>
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
