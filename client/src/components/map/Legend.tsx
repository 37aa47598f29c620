import type { Classification } from '../../lib/classify'
import { formatNumber, hiddenExplanation, legendRangeLabel, type Unit } from '../../lib/format'

// The unit is in the title; change classes show signed numbers only, so the labels stay short.
const signed = (v: number) => (v > 0 ? `+${formatNumber(v, { decimals: 1 })}` : formatNumber(v, { decimals: 1 }))

export interface LegendProps {
  title: string
  classification: Classification | null
  colors: readonly string[]
  unit: Unit
  perThousand: boolean
  change: boolean
  noDataColor: string
  threshold: number
  hasSuppressed: boolean
  hasMissing: boolean
  /** Classes drawn beside the ranges, e.g. "ingen säker förändring". */
  extra?: ReadonlyArray<{ id: string; label: string; color: string }>
}

/** The key to the map's colours; every swatch carries its colour for tests and print. */
export function Legend(p: LegendProps) {
  const b = p.classification?.breaks ?? []
  const opts = { perThousand: p.perThousand }
  return (
    <figure className="legend" data-testid="legend">
      <figcaption>{p.title}</figcaption>
      <ul>
        {p.colors.map((color, i) => (
          <li key={`${i}-${color}`} data-color={color} data-lo={b[i]} data-hi={b[i + 1]}>
            <span className="swatch" style={{ background: color }} aria-hidden="true" />
            {b[i] !== undefined && b[i + 1] !== undefined
              ? p.change
                ? `${signed(b[i]!)} till ${signed(b[i + 1]!)}`
                : legendRangeLabel(b[i]!, b[i + 1]!, p.unit, opts)
              : ''}
          </li>
        ))}
        {p.extra?.map((c) => (
          <li key={c.id} data-kind="extra" data-color={c.color}>
            <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
            {c.label}
          </li>
        ))}
        {p.hasSuppressed && (
          <li data-kind="suppressed">
            <span className="swatch hatched" aria-hidden="true" />
            {hiddenExplanation(p.threshold)}
          </li>
        )}
        {p.hasMissing && (
          <li data-kind="missing" data-color={p.noDataColor}>
            <span className="swatch" style={{ background: p.noDataColor }} aria-hidden="true" />
            Uppgift saknas
          </li>
        )}
      </ul>
    </figure>
  )
}

/** The key to a map of classes (hot spots, clusters): one swatch per class that occurs, with its count. */
export function CategoryLegend(p: {
  title: string
  categories: ReadonlyArray<{ id: string; label: string; color: string; count: number }>
  note?: string
  noDataColor: string
  hasMissing: boolean
  /** Areas without a class because their value is hidden (drawn hatched), rather than missing. */
  hiddenLabel?: string
}) {
  return (
    <figure className="legend" data-testid="legend">
      <figcaption>{p.title}</figcaption>
      <ul>
        {p.categories.map((c) => (
          <li key={c.id} data-kind="category" data-category={c.id} data-color={c.color}>
            <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
            {c.label} ({c.count})
          </li>
        ))}
        {p.hasMissing && (
          <li data-kind={p.hiddenLabel ? 'suppressed' : 'missing'} data-color={p.noDataColor}>
            <span className={p.hiddenLabel ? 'swatch hatched' : 'swatch'} style={p.hiddenLabel ? undefined : { background: p.noDataColor }} aria-hidden="true" />
            {p.hiddenLabel ?? 'Uppgift saknas'}
          </li>
        )}
      </ul>
      {p.note && <p className="muted small">{p.note}</p>}
    </figure>
  )
}
