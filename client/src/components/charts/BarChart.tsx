import { useId } from 'react'
import { scaleLinear } from 'd3'
import { countOf } from '../../lib/format'
import {
  type Format,
  MISSING_TEXT,
  NEUTRAL_COLOR,
  REFERENCE_COLOR,
  SUPPRESSED_TEXT,
  defaultFormat,
  hasCi,
  niceDomain,
  tableClass,
  textWidth,
  truncate,
  valueText,
  visibleValue,
} from './chartUtils'

export interface Bar {
  id: string
  label: string
  value: number | null
  suppressed?: boolean
  color?: string
  ciLow?: number | null
  ciHigh?: number | null
}

export interface BarChartProps {
  title: string
  /** Drawn in the given order. */
  bars: Bar[]
  /** E.g. the city average: a dashed vertical line. */
  reference?: { label: string; value: number; color?: string }
  width?: number
  /** Bar colour when a bar has none of its own. */
  color?: string
  format?: Format
  showTable?: boolean
  testId?: string
}

const ROW = 26
const BAR = 16

function describeBars(bars: Bar[], reference: BarChartProps['reference'], format: Format): string {
  const shown = bars.flatMap((b) => {
    const v = visibleValue(b)
    return v == null ? [] : [{ label: b.label, v }]
  })
  const against = reference ? `, jämfört med ${reference.label} (${format(reference.value)})` : ''
  const parts = [`Liggande stapeldiagram med ${countOf(bars.length, 'område', 'områden')}${against}.`]
  if (shown.length) {
    const sorted = [...shown].sort((a, b) => b.v - a.v)
    const [top, bottom] = [sorted[0], sorted.at(-1)]
    if (top) parts.push(`Högst: ${top.label} ${format(top.v)}.`)
    if (bottom && bottom !== top) parts.push(`Lägst: ${bottom.label} ${format(bottom.v)}.`)
    if (reference) {
      const above = shown.filter((b) => b.v > reference.value).length
      parts.push(`${above} av ${shown.length} över ${reference.label}.`)
    }
  }
  const hidden = bars.filter((b) => b.suppressed).map((b) => b.label)
  if (hidden.length) parts.push(`${SUPPRESSED_TEXT}: ${hidden.join(', ')}.`)
  const missing = bars.filter((b) => !b.suppressed && b.value == null).map((b) => b.label)
  if (missing.length) parts.push(`${MISSING_TEXT}: ${missing.join(', ')}.`)
  return parts.join(' ')
}

export function BarChart({
  title,
  bars,
  reference,
  width = 360,
  color = NEUTRAL_COLOR,
  format = defaultFormat,
  showTable,
  testId,
}: BarChartProps) {
  const uid = useId()
  const values = bars.flatMap((b) => {
    const v = visibleValue(b)
    return [...(v == null ? [] : [v]), ...(hasCi(b) ? [b.ciLow ?? 0, b.ciHigh ?? 0] : [])]
  })
  const domain = niceDomain(reference ? [...values, reference.value] : values)
  const labels = bars.map((b) => (visibleValue(b) == null ? '' : format(visibleValue(b) ?? 0)))
  // Room for value labels beyond the bar ends, on whichever side bars grow.
  const endRoom = (neg: boolean) =>
    Math.max(0, ...bars.map((b, i) => ((visibleValue(b) ?? 0) < 0 === neg ? textWidth(labels[i] ?? '') + 8 : 0)))
  const labelW = Math.min(width * 0.4, 8 + Math.max(0, ...bars.map((b) => textWidth(b.label))))
  const top = reference ? 24 : 8
  const innerH = bars.length * ROW
  const height = top + innerH + 24
  const x = scaleLinear()
    .domain(domain)
    .range([labelW + endRoom(true), Math.max(labelW + endRoom(true) + 20, width - 6 - endRoom(false))])
  const x0 = x(0)
  const [rangeLo = 0, rangeHi = width] = x.range()
  const ticks = x.ticks(Math.max(2, Math.floor((rangeHi - rangeLo) / 70)))

  let refLabel: { x: number; anchor: 'start' | 'middle' | 'end'; text: string } | undefined
  if (reference) {
    const text = `${reference.label}: ${format(reference.value)}`
    const rx = x(reference.value)
    const half = textWidth(text) / 2
    const anchor = rx - half < 0 ? 'start' : rx + half > width ? 'end' : 'middle'
    refLabel = { x: rx, anchor, text }
  }

  return (
    <figure className="chart chart-bar" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg
        className="chart-svg"
        role="img"
        aria-labelledby={`${uid}-title ${uid}-desc`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        data-x-domain={domain.join(',')}
      >
        <title id={`${uid}-title`}>{title}</title>
        <desc id={`${uid}-desc`}>{describeBars(bars, reference, format)}</desc>
        <g className="chart-axis chart-axis-x" transform={`translate(0,${top})`}>
          {ticks.map((t) => (
            <g key={t} transform={`translate(${x(t)},0)`}>
              <line className="chart-grid" y2={innerH} stroke="#e4e8ec" />
              <text y={innerH + 16} textAnchor="middle">
                {format(t)}
              </text>
            </g>
          ))}
        </g>
        {bars.map((b, i) => {
          const v = visibleValue(b)
          const rowY = top + i * ROW
          const midY = rowY + ROW / 2
          const fill = b.color ?? color
          const status = b.suppressed ? SUPPRESSED_TEXT : MISSING_TEXT
          // Value labels go past whichever is further out: the bar end or its CI whisker.
          const edge = v == null ? 0 : x(hasCi(b) ? ((v < 0 ? b.ciLow : b.ciHigh) ?? v) : v)
          const outer = v == null ? 0 : v < 0 ? Math.min(x(v), edge) : Math.max(x(v), edge)
          // Status text reads away from zero, into the side with room (all-negative charts have zero on the right).
          const statusLeft = x0 > (rangeLo + rangeHi) / 2
          return (
            <g key={b.id} className="chart-bar-row" data-id={b.id} data-state={b.suppressed ? 'suppressed' : v == null ? 'missing' : 'value'}>
              <text className="chart-bar-label" x={labelW - 8} y={midY} dy="0.32em" textAnchor="end">
                {truncate(b.label, labelW - 8)}
                <title>{b.label}</title>
              </text>
              {v == null ? (
                <text className="chart-bar-status" x={statusLeft ? x0 - 4 : x0 + 4} y={midY} dy="0.32em" textAnchor={statusLeft ? 'end' : 'start'}>
                  {status}
                </text>
              ) : (
                <>
                  <rect className="chart-bar-rect" x={Math.min(x0, x(v))} y={rowY + (ROW - BAR) / 2} width={Math.abs(x(v) - x0)} height={BAR} fill={fill} />
                  {hasCi(b) && (
                    <path
                      className="chart-errorbar"
                      d={`M${x(b.ciLow ?? 0)},${midY - 4}V${midY + 4}M${x(b.ciLow ?? 0)},${midY}H${x(b.ciHigh ?? 0)}M${x(b.ciHigh ?? 0)},${midY - 4}V${midY + 4}`}
                      stroke="#1b1f24"
                      fill="none"
                    />
                  )}
                  <text className="chart-bar-value" x={v < 0 ? outer - 4 : outer + 4} y={midY} dy="0.32em" textAnchor={v < 0 ? 'end' : 'start'}>
                    {labels[i]}
                  </text>
                </>
              )}
            </g>
          )
        })}
        <line className="chart-zero" x1={x0} x2={x0} y1={top} y2={top + innerH} stroke="#57606a" />
        {reference && refLabel && (
          <g className="chart-reference">
            <line x1={refLabel.x} x2={refLabel.x} y1={top - 6} y2={top + innerH} stroke={reference.color ?? REFERENCE_COLOR} strokeDasharray="4 3" strokeWidth={1.5} />
            <text x={refLabel.x} y={top - 10} textAnchor={refLabel.anchor}>
              {refLabel.text}
            </text>
          </g>
        )}
      </svg>
      <div className={tableClass(showTable)}>
        <table className="chart-table">
          <caption>{title}{bars.some(hasCi) ? ' (konfidensintervall inom parentes)' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Område</th>
              <th scope="col">Värde</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.id}>
                <th scope="row">{b.label}</th>
                <td className="num">{valueText(b, format)}</td>
              </tr>
            ))}
            {reference && (
              <tr>
                <th scope="row">{reference.label} (referens)</th>
                <td className="num">{format(reference.value)}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
